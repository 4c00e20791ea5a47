// Every field of a ramp with its label and limits (see rampSchema); the core checks them again
// and its complaints show under the field they concern.
import { useEffect, useState } from 'react';
import type { Ramp } from '../../../../shared/warmup/ramp';
import { TimeZoneInput } from '../../components/TimeZoneInput';
import { issueAt, type FieldIssue } from '../../lib/issues';

const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** A whole-number input that lets the field be empty while typing (the ramp keeps its last number). */
function NumberField(props: { label: string; name: string; value: number; onChange: (n: number) => void; min?: number; max: number; error: string | null }): React.JSX.Element {
  const { label, name, value, min = 0, max, error } = props;
  const [draft, setDraft] = useState(String(value));
  useEffect(() => setDraft((d) => (Number(d) === value && d.trim() !== '' ? d : String(value))), [value]);
  const id = `ramp-${name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        step={1}
        value={draft}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => {
          setDraft(e.target.value);
          if (e.target.value.trim() !== '' && Number.isFinite(e.target.valueAsNumber)) props.onChange(e.target.valueAsNumber);
        }}
      />
      {error && (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

export function RampFields({ ramp, onChange, issues }: { ramp: Ramp; onChange: (r: Ramp) => void; issues: FieldIssue[] }): React.JSX.Element {
  const set = (patch: Partial<Ramp>) => onChange({ ...ramp, ...patch });
  const err = (path: string) => issueAt(issues, `ramp.${path}`);
  const num = (name: keyof Ramp & string, label: string, max: number, min = 0) => (
    <NumberField label={label} name={name} value={ramp[name] as number} min={min} max={max} error={err(name)} onChange={(n) => set({ [name]: n })} />
  );
  const curve = ramp.curve;
  return (
    <>
      <div className="row">
        {num('startVolume', 'Start volume', 1000)}
        {num('dailyIncrease', 'Daily increase', 200)}
        {num('dailyMax', 'Daily max', 1000, 1)}
        {num('variancePct', 'Daily variance %', 50)}
      </div>
      <div className="row">
        <div className="field">
          <label htmlFor="ramp-curve">Curve</label>
          <select
            id="ramp-curve"
            value={curve.kind}
            onChange={(e) => set({ curve: e.target.value === 'band' ? { kind: 'band', min: Math.round(ramp.dailyMax * 0.7), max: ramp.dailyMax } : { kind: 'linear' } })}
          >
            <option value="linear">Linear</option>
            <option value="band">Random band</option>
            {curve.kind === 'waypoints' && <option value="waypoints">Waypoints (set through the API)</option>}
          </select>
        </div>
        {curve.kind === 'band' && (
          <>
            <NumberField label="Band min" name="bandMin" value={curve.min} max={1000} error={err('curve.min')} onChange={(min) => set({ curve: { ...curve, min } })} />
            <NumberField label="Band max" name="bandMax" value={curve.max} max={1000} error={err('curve.max')} onChange={(max) => set({ curve: { ...curve, max } })} />
          </>
        )}
        {err('curve') && <span className="field-error">{err('curve')}</span>}
      </div>
      <div className="row">
        {num('replyPct', 'Reply %', 100)}
        {num('openPct', 'Open %', 100)}
        {num('importantPct', 'Mark important %', 100)}
        {num('rescuePct', 'Rescue from spam %', 100)}
      </div>
      <fieldset aria-describedby={err('days') ? 'ramp-days-error' : undefined}>
        <legend>Sending days</legend>
        <div className="row">
          {weekdays.map((name, i) => (
            <label className="check" key={name}>
              <input
                type="checkbox"
                checked={ramp.days.includes(i + 1)}
                onChange={(e) => set({ days: e.target.checked ? [...ramp.days, i + 1].sort((a, b) => a - b) : ramp.days.filter((d) => d !== i + 1) })}
              />
              {name}
            </label>
          ))}
        </div>
        {err('days') && (
          <span className="field-error" id="ramp-days-error">
            {err('days')}
          </span>
        )}
      </fieldset>
      <div className="row">
        <div className="field">
          <label htmlFor="ramp-window-start">Send window start</label>
          <input id="ramp-window-start" type="time" value={ramp.window.start} onChange={(e) => set({ window: { ...ramp.window, start: e.target.value } })} />
        </div>
        <div className="field">
          <label htmlFor="ramp-window-end">Send window end</label>
          <input id="ramp-window-end" type="time" value={ramp.window.end} onChange={(e) => set({ window: { ...ramp.window, end: e.target.value } })} />
        </div>
        <TimeZoneInput label="Time zone" value={ramp.timeZone} onChange={(timeZone) => set({ timeZone })} error={err('timeZone')} />
      </div>
      {err('window') && <span className="field-error">{err('window')}</span>}
    </>
  );
}
