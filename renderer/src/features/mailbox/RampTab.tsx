// The ramp editor: presets, every field of the ramp, and a preview of the next 30 days that
// follows the fields as they change, before anything is saved.
import { useEffect, useState, type FormEvent } from 'react';
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { rampPresets, type Ramp } from '../../../../shared/warmup/ramp';
import { ErrorBox, Loading } from '../../components/status';
import { formatDay } from '../../lib/format';
import { useMailbox } from '../../stores/mailbox';
import { useChartColors } from './colors';
import { RampFields } from './RampFields';

type Preset = keyof typeof rampPresets;

export function RampTab(): React.JSX.Element {
  const warmup = useMailbox((s) => s.warmup);
  const preview = useMailbox((s) => s.preview);
  const previewRamp = useMailbox((s) => s.previewRamp);
  const saveRamp = useMailbox((s) => s.saveRamp);
  const saving = useMailbox((s) => s.saving);
  const saveError = useMailbox((s) => s.saveError);
  const colors = useChartColors();
  const saved = warmup.data?.ramp;
  const [ramp, setRamp] = useState<Ramp | null>(saved ?? null);
  const [dirty, setDirty] = useState(false);
  useEffect(() => {
    if (saved && !dirty) setRamp(saved);
  }, [saved, dirty]);
  useEffect(() => {
    if (ramp) previewRamp(ramp);
  }, [ramp, previewRamp]);

  if (!ramp) return warmup.error ? <ErrorBox error={warmup.error} /> : <Loading />;
  const change = (next: Ramp) => {
    setRamp(next);
    setDirty(true);
  };
  const applyPreset = (name: Preset) => change({ ...rampPresets[name], timeZone: ramp.timeZone, days: ramp.days, window: ramp.window });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await saveRamp(ramp)) setDirty(false);
  };
  const days = preview.data?.days.map((d) => ({ ...d, label: formatDay(d.date) })) ?? [];
  const last = days.at(-1);

  return (
    <div className="ramp-layout">
      <form className="card form" onSubmit={(e) => void submit(e)} aria-label="Ramp">
        <div className="row" role="group" aria-label="Presets">
          <span className="muted">Presets:</span>
          {(Object.keys(rampPresets) as Preset[]).map((p) => (
            <button type="button" key={p} onClick={() => applyPreset(p)}>
              {p[0]!.toUpperCase() + p.slice(1)}
            </button>
          ))}
        </div>
        <RampFields ramp={ramp} onChange={change} />
        {saveError && <ErrorBox error={saveError} />}
        <div className="actions">
          <button type="button" disabled={!dirty} onClick={() => (setDirty(false), saved && setRamp(saved))}>
            Discard changes
          </button>
          <button type="submit" className="primary" disabled={!dirty || saving}>
            Save ramp
          </button>
        </div>
      </form>
      <section className="card" aria-labelledby="preview-h">
        <h2 id="preview-h">Next 30 days</h2>
        {preview.error && <ErrorBox error={preview.error} />}
        <p className="muted" aria-live="polite" data-testid="ramp-preview-last">
          {last ? `${formatDay(last.date)}: ${last.volume} / day` : '…'}
        </p>
        <div className="chart" data-testid="ramp-preview">
          <ResponsiveContainer>
            <AreaChart data={days}>
              <CartesianGrid strokeDasharray="3 3" stroke={colors.border} />
              <XAxis dataKey="label" stroke={colors.muted} fontSize={12} />
              <YAxis allowDecimals={false} stroke={colors.muted} fontSize={12} />
              <Tooltip />
              <Area dataKey="volume" name="Warmup mail" stroke={colors.accent} fill={colors.accent} fillOpacity={0.25} isAnimationActive={false} />
            </AreaChart>
          </ResponsiveContainer>
        </div>
        <p className="hint">Days off (weekdays not chosen) show as 0; the ramp counts sending days only.</p>
      </section>
    </div>
  );
}
