// The ramp editor: presets, every field of the ramp, and a preview of the next 30 days that
// follows the fields as they change, before anything is saved.
import { useEffect, useState, type FormEvent } from 'react';
import { rampPresets, type Ramp } from '../../../../shared/warmup/ramp';
import { FormError } from '../../components/FormError';
import { ErrorBox, Loading } from '../../components/status';
import { fieldIssues } from '../../lib/issues';
import { useMailbox, type RampPreset } from './mailbox-store';
import { useCan } from '../../stores/app';
import { Editable, ReadOnlyNote } from '../../app/Can';
import { RampFields } from './RampFields';
import { RampPreview } from './RampPreview';

const presetNames = Object.keys(rampPresets) as RampPreset[];
const shapeKeys = ['startVolume', 'dailyIncrease', 'dailyMax'] as const;
const matches = (r: Ramp, p: RampPreset) => shapeKeys.every((k) => r[k] === rampPresets[p][k]);

export function RampTab(): React.JSX.Element {
  const warmup = useMailbox((s) => s.warmup);
  const preview = useMailbox((s) => s.preview);
  const previewRamp = useMailbox((s) => s.previewRamp);
  const saveRamp = useMailbox((s) => s.saveRamp);
  const saving = useMailbox((s) => s.saving);
  const saveError = useMailbox((s) => s.saveError);
  const canSave = useCan('warmup.update');
  const saved = warmup.data?.ramp;
  const [ramp, setRamp] = useState<Ramp | null>(saved ?? null);
  const [dirty, setDirty] = useState(false);
  const [justSaved, setJustSaved] = useState(false);
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
    setJustSaved(false);
  };
  // A preset sets the ramp's shape and engagement; the mailbox's days, window and time zone stay.
  const applyPreset = (name: RampPreset) => change({ ...rampPresets[name], timeZone: ramp.timeZone, days: ramp.days, window: ramp.window });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await saveRamp(ramp)) {
      setDirty(false);
      setJustSaved(true);
    }
  };
  const issues = [...fieldIssues(saveError), ...fieldIssues(preview.error)];

  return (
    <div className="ramp-layout">
      <form className="card form" onSubmit={(e) => void submit(e)} aria-labelledby="ramp-h">
        <h2 id="ramp-h">Ramp</h2>
        <ReadOnlyNote call="warmup.update" what="changing the ramp" />
        <Editable call="warmup.update">
          <div className="row" role="group" aria-label="Presets">
            <span className="muted">Start from a preset:</span>
            {presetNames.map((p) => (
              <button type="button" key={p} aria-pressed={matches(ramp, p)} onClick={() => applyPreset(p)}>
                {p[0]!.toUpperCase() + p.slice(1)}
              </button>
            ))}
          </div>
          <RampFields ramp={ramp} onChange={change} issues={issues} />
        </Editable>
        {saveError && <FormError error={saveError} />}
        {canSave && (
          <div className="actions">
            <span className="muted grow" role="status">
              {dirty ? 'Unsaved changes: the preview shows them.' : justSaved ? 'Saved.' : ''}
            </span>
            <button type="button" disabled={!dirty} onClick={() => (setDirty(false), saved && setRamp(saved))}>
              Discard changes
            </button>
            <button type="submit" className="primary" disabled={!dirty || saving}>
              {saving ? 'Saving…' : 'Save ramp'}
            </button>
          </div>
        )}
      </form>
      <RampPreview preview={preview} />
    </div>
  );
}
