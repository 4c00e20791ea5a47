// General defaults for new mailboxes and, in the desktop app only, how the app behaves around its
// window. Changes apply at once (the time zone on Save) and follow `preferences.updated` live.
import { useState, type FormEvent } from 'react';
import type { Preferences } from '../../../../shared/domain/preferences';
import { rampPresets } from '../../../../shared/warmup/ramp';
import { useSettings } from './settings-store';
import { useAppStore } from '../../stores/app';
import { Editable, ReadOnlyNote } from '../../app/Can';
import { FormError } from '../../components/FormError';
import { ErrorBox, Loading } from '../../components/status';
import { TimeZoneInput, browserTimeZone } from '../../components/TimeZoneInput';
import { LocalApiSection } from './LocalApiSection';

type Preset = Preferences['defaultPreset'];
const presets = Object.keys(rampPresets) as Preset[];
const desktopOptions: Array<[Exclude<keyof Preferences['desktop'], 'localApi'>, string]> = [
  ['startAtLogin', 'Start Kiln when I log in'],
  ['runInBackground', 'Keep warming in the tray when the window is closed'],
  ['notifications', 'Show desktop notifications for new alerts'],
];

export function GeneralSection(): React.JSX.Element {
  const prefs = useSettings((s) => s.preferences);
  const actionError = useSettings((s) => (s.actionError?.scope === 'preferences' ? s.actionError.error : null));
  const { updatePreferences, loadPreferences } = useSettings.getState();
  const desktop = useAppStore((s) => s.transport === 'ipc');
  const p = prefs.data;
  return (
    <section className="card form" aria-labelledby="general-h">
      <h2 id="general-h">General</h2>
      {prefs.error && <ErrorBox error={prefs.error} onRetry={() => void loadPreferences()} />}
      {!p ? (
        !prefs.error && <Loading label="Loading preferences…" />
      ) : (
        <>
          {actionError && <FormError error={actionError} />}
          <ReadOnlyNote call="preferences.update" what="changing the defaults" />
          <Editable call="preferences.update">
            <div className="row">
              <div className="field">
                <label htmlFor="pref-preset">Ramp preset for new mailboxes</label>
                <select id="pref-preset" value={p.defaultPreset} onChange={(e) => void updatePreferences({ defaultPreset: e.target.value as Preset })}>
                  {presets.map((k) => (
                    <option key={k} value={k}>
                      {k} ({rampPresets[k].startVolume} a day, +{rampPresets[k].dailyIncrease} a day, up to {rampPresets[k].dailyMax})
                    </option>
                  ))}
                </select>
              </div>
              <TimeZoneForm saved={p.defaultTimeZone} />
            </div>
            {desktop && (
              <fieldset>
                <legend>Desktop app</legend>
                {desktopOptions.map(([key, label]) => (
                  <label className="check" key={key}>
                    <input type="checkbox" checked={p.desktop[key]} onChange={(e) => void updatePreferences({ desktop: { [key]: e.target.checked } })} /> {label}
                  </label>
                ))}
                <LocalApiSection pref={p.desktop.localApi} />
              </fieldset>
            )}
          </Editable>
        </>
      )}
    </section>
  );
}

/** The default time zone: empty means the machine's. */
function TimeZoneForm({ saved }: { saved: string | null }): React.JSX.Element {
  const updatePreferences = useSettings((s) => s.updatePreferences);
  const [value, setValue] = useState(saved ?? '');
  const [base, setBase] = useState(saved);
  if (base !== saved) {
    setBase(saved);
    setValue(saved ?? '');
  }
  const dirty = value.trim() !== (saved ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void updatePreferences({ defaultTimeZone: value.trim() || null });
  };
  return (
    <form className="row grow" onSubmit={submit} aria-label="Default time zone">
      <TimeZoneInput label="Time zone for new mailboxes (empty: the machine Kiln runs on)" name="defaultTimeZone" value={value} onChange={setValue} />
      {value === '' && (
        <button type="button" onClick={() => setValue(browserTimeZone())}>
          Use {browserTimeZone()}
        </button>
      )}
      <button type="submit" disabled={!dirty}>
        Save time zone
      </button>
    </form>
  );
}
