import { useSettings } from '../../stores/settings';
import { useAppStore } from '../../stores/app';
import { ErrorBox, Loading } from '../../components/status';
import { rampPresets } from '../../../../shared/warmup/ramp';
import type { Preferences } from '../../../../shared/domain/preferences';

type Preset = Preferences['defaultPreset'];

/** Defaults for new mailboxes and, in the desktop app, how the app behaves around its window. */
export function GeneralSection(): React.JSX.Element {
  const prefs = useSettings((s) => s.preferences);
  const warmup = useSettings((s) => s.warmup);
  const { updatePreferences, updateWarmup } = useSettings.getState();
  const desktop = useAppStore((s) => s.transport === 'ipc');
  if (!prefs.data || !warmup.data) {
    const error = prefs.error ?? warmup.error;
    return <section className="card">{error ? <ErrorBox error={error} /> : <Loading />}</section>;
  }
  const p = prefs.data;
  const limits = warmup.data.limits;
  return (
    <section className="card form" aria-labelledby="general-h">
      <h2 id="general-h">Defaults</h2>
      <div className="row">
        <label className="field">
          <span>Ramp preset for new mailboxes</span>
          <select value={p.defaultPreset} onChange={(e) => void updatePreferences({ defaultPreset: e.target.value as Preset })}>
            {Object.keys(rampPresets).map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Content of warmup mail</span>
          <output>{warmup.data.content.provider === 'builtin' ? 'Built-in corpus' : `OpenAI-compatible (${warmup.data.content.model})`}</output>
        </label>
        <label className="field">
          <span>Warmup mail per mailbox per hour</span>
          <input
            type="number"
            min={1}
            max={1000}
            defaultValue={limits.mailboxPerHour}
            onBlur={(e) => e.target.valueAsNumber !== limits.mailboxPerHour && void updateWarmup({ limits: { mailboxPerHour: e.target.valueAsNumber } })}
          />
        </label>
      </div>
      {desktop && (
        <fieldset>
          <legend>Desktop</legend>
          {(
            [
              ['startAtLogin', 'Start Kiln when I log in'],
              ['runInBackground', 'Keep warming in the tray when the window is closed'],
              ['notifications', 'Desktop notifications for new alerts'],
            ] as const
          ).map(([key, label]) => (
            <label className="check" key={key}>
              <input type="checkbox" checked={p.desktop[key]} onChange={(e) => void updatePreferences({ desktop: { [key]: e.target.checked } })} /> {label}
            </label>
          ))}
        </fieldset>
      )}
    </section>
  );
}
