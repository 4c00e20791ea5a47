// Send limits for warmup mail: per recipient domain (all senders together) and per mailbox.
import { useState, type FormEvent } from 'react';
import type { WarmupLimits } from '../../../../shared/domain/warmup';
import { useSettings } from './settings-store';

type Key = keyof WarmupLimits;
const fields: Array<{ key: Key; label: string; min: number; max: number; step?: number }> = [
  { key: 'domainPerMinute', label: 'Per recipient domain, per minute', min: 1, max: 10_000 },
  { key: 'domainPerHour', label: 'Per recipient domain, per hour', min: 1, max: 100_000 },
  { key: 'domainPerDay', label: 'Per recipient domain, per day', min: 1, max: 1_000_000 },
  { key: 'mailboxPerMinute', label: 'Per mailbox, per minute', min: 1, max: 60 },
  { key: 'mailboxPerHour', label: 'Per mailbox, per hour', min: 1, max: 1_000 },
  { key: 'minGapMinutes', label: 'Least gap between two sends of a mailbox (minutes)', min: 0, max: 120, step: 0.5 },
];

const toDraft = (limits: WarmupLimits) => Object.fromEntries(fields.map((f) => [f.key, String(limits[f.key])])) as Record<Key, string>;

export function LimitsForm({ limits }: { limits: WarmupLimits }): React.JSX.Element {
  const updateWarmup = useSettings((s) => s.updateWarmup);
  const [draft, setDraft] = useState(() => toDraft(limits));
  // Saved or reloaded values replace the draft (the "Saved" note stays).
  const [base, setBase] = useState(limits);
  if (base !== limits) {
    setBase(limits);
    setDraft(toDraft(limits));
  }
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const changed = fields.filter((f) => Number(draft[f.key]) !== limits[f.key]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (changed.length === 0) return;
    setBusy(true);
    const ok = await updateWarmup({ limits: Object.fromEntries(changed.map((f) => [f.key, Number(draft[f.key])])) });
    setBusy(false);
    setSaved(ok);
  };
  return (
    <form className="form" onSubmit={(e) => void submit(e)} aria-label="Send limits">
      <fieldset>
        <legend>Send limits for warmup mail</legend>
        <div className="grid limits-grid">
          {fields.map((f) => (
            <div className="field" key={f.key}>
              <label htmlFor={`limit-${f.key}`}>{f.label}</label>
              <input
                id={`limit-${f.key}`}
                type="number"
                required
                min={f.min}
                max={f.max}
                step={f.step ?? 1}
                value={draft[f.key]}
                onChange={(e) => (setSaved(false), setDraft({ ...draft, [f.key]: e.target.value }))}
              />
            </div>
          ))}
        </div>
        <p className="hint">Domain limits count every mailbox of the workspace together, so one provider never sees a burst.</p>
      </fieldset>
      <div className="actions">
        {saved && changed.length === 0 && (
          <span className="ok" role="status">
            Saved
          </span>
        )}
        <button type="submit" className="primary" disabled={busy || changed.length === 0}>
          Save limits
        </button>
      </div>
    </form>
  );
}
