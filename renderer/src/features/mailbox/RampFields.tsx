import type { Ramp } from '../../../../shared/warmup/ramp';

const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function NumberField({ label, value, onChange, min = 0, max }: { label: string; value: number; onChange: (n: number) => void; min?: number; max: number }): React.JSX.Element {
  return (
    <label className="field">
      <span>{label}</span>
      <input type="number" min={min} max={max} value={value} onChange={(e) => onChange(e.target.valueAsNumber || 0)} />
    </label>
  );
}

/** Every ramp field with its label; numbers are checked by the API, whose errors show on save. */
export function RampFields({ ramp, onChange }: { ramp: Ramp; onChange: (r: Ramp) => void }): React.JSX.Element {
  const set = (patch: Partial<Ramp>) => onChange({ ...ramp, ...patch });
  const curve = ramp.curve;
  return (
    <>
      <div className="row">
        <NumberField label="Start volume" value={ramp.startVolume} max={1000} onChange={(startVolume) => set({ startVolume })} />
        <NumberField label="Daily increase" value={ramp.dailyIncrease} max={200} onChange={(dailyIncrease) => set({ dailyIncrease })} />
        <NumberField label="Daily max" value={ramp.dailyMax} min={1} max={1000} onChange={(dailyMax) => set({ dailyMax })} />
        <NumberField label="Daily variance %" value={ramp.variancePct} max={50} onChange={(variancePct) => set({ variancePct })} />
      </div>
      <div className="row">
        <label className="field">
          <span>Curve</span>
          <select
            value={curve.kind}
            onChange={(e) => set({ curve: e.target.value === 'band' ? { kind: 'band', min: Math.round(ramp.dailyMax * 0.7), max: ramp.dailyMax } : { kind: 'linear' } })}
          >
            <option value="linear">Linear</option>
            <option value="band">Random band</option>
            {curve.kind === 'waypoints' && <option value="waypoints">Waypoints (set through the API)</option>}
          </select>
        </label>
        {curve.kind === 'band' && (
          <>
            <NumberField label="Band min" value={curve.min} max={1000} onChange={(min) => set({ curve: { ...curve, min } })} />
            <NumberField label="Band max" value={curve.max} max={1000} onChange={(max) => set({ curve: { ...curve, max } })} />
          </>
        )}
      </div>
      <div className="row">
        <NumberField label="Reply %" value={ramp.replyPct} max={100} onChange={(replyPct) => set({ replyPct })} />
        <NumberField label="Open %" value={ramp.openPct} max={100} onChange={(openPct) => set({ openPct })} />
        <NumberField label="Mark important %" value={ramp.importantPct} max={100} onChange={(importantPct) => set({ importantPct })} />
        <NumberField label="Rescue from spam %" value={ramp.rescuePct} max={100} onChange={(rescuePct) => set({ rescuePct })} />
      </div>
      <fieldset>
        <legend>Sending days</legend>
        <div className="row">
          {weekdays.map((name, i) => (
            <label className="check" key={name}>
              <input
                type="checkbox"
                checked={ramp.days.includes(i + 1)}
                onChange={(e) => set({ days: e.target.checked ? [...ramp.days, i + 1].sort() : ramp.days.filter((d) => d !== i + 1) })}
              />
              {name}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="row">
        <label className="field">
          <span>Window start</span>
          <input type="time" value={ramp.window.start} onChange={(e) => set({ window: { ...ramp.window, start: e.target.value } })} />
        </label>
        <label className="field">
          <span>Window end</span>
          <input type="time" value={ramp.window.end} onChange={(e) => set({ window: { ...ramp.window, end: e.target.value } })} />
        </label>
        <label className="field grow">
          <span>Time zone</span>
          <input value={ramp.timeZone} onChange={(e) => set({ timeZone: e.target.value })} />
        </label>
      </div>
    </>
  );
}
