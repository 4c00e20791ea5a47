// What goes on every report (the consultant's name and logo, the time zone its days are counted
// in) and the weekly mail: to whom, through which mailbox, on which weekday and hour.
import { useEffect, useState } from 'react';
import { Can } from '../../app/Can';
import { ErrorBox } from '../../components/status';
import { TimeZoneInput } from '../../components/TimeZoneInput';
import { useReports } from './reports-store';
import { hrefOf } from '../../app/router';
import type { ReportSettings } from '../../../../shared/domain/report';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MAX_LOGO = 200_000;

function readDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(new Error('could not read the file'));
    r.readAsDataURL(file);
  });
}

export function ReportSettingsForm({ onSaved }: { onSaved: () => void }): React.JSX.Element {
  const settings = useReports((s) => s.settings);
  const mailboxes = useReports((s) => s.mailboxes);
  const busy = useReports((s) => s.busy);
  const saved = useReports((s) => s.saved);
  const { loadSettings, saveSettings } = useReports.getState();
  const [draft, setDraft] = useState(settings.data);
  const [logoError, setLogoError] = useState<string | null>(null);
  useEffect(() => void loadSettings(), [loadSettings]);
  useEffect(() => setDraft(settings.data), [settings.data]);
  if (settings.error && !settings.data) return <ErrorBox error={settings.error} onRetry={() => void loadSettings()} />;
  if (!draft) return <></>;
  const weekly = draft.weekly;
  const setWeekly = (patch: Partial<typeof weekly>) => setDraft({ ...draft, weekly: { ...weekly, ...patch } });
  const pickLogo = async (file: File | undefined) => {
    setLogoError(null);
    if (!file) return;
    if (file.size > MAX_LOGO) return setLogoError('The logo must be at most 200 kB');
    setDraft({ ...draft, logoDataUrl: await readDataUrl(file) });
  };

  return (
    <form
      className="card report-settings"
      onSubmit={(e) => {
        e.preventDefault();
        void saveSettings({ consultantName: draft.consultantName, logoDataUrl: draft.logoDataUrl, timeZone: draft.timeZone, weekly: draft.weekly }).then((ok) => ok && onSaved());
      }}
    >
      <h2>On every report</h2>
      <div className="row">
        <div className="field grow">
          <label htmlFor="report-consultant">Consultant name</label>
          <input id="report-consultant" value={draft.consultantName ?? ''} maxLength={200} onChange={(e) => setDraft({ ...draft, consultantName: e.target.value || null })} />
        </div>
        <TimeZoneInput label="Report time zone" value={draft.timeZone} onChange={(timeZone) => setDraft({ ...draft, timeZone })} />
      </div>
      <div className="row">
        <div className="field">
          <label htmlFor="report-logo">Logo (PNG, JPEG, GIF, WebP or SVG; at most 200 kB)</label>
          <input id="report-logo" type="file" accept="image/png,image/jpeg,image/gif,image/webp,image/svg+xml" onChange={(e) => void pickLogo(e.target.files?.[0])} />
          {logoError && <p className="field-error">{logoError}</p>}
        </div>
        {draft.logoDataUrl && (
          <>
            <img className="report-logo" src={draft.logoDataUrl} alt="Logo on reports" />
            <button type="button" onClick={() => setDraft({ ...draft, logoDataUrl: null })}>
              Remove logo
            </button>
          </>
        )}
      </div>
      <h2>Weekly mail</h2>
      <p className="muted">The last seven days' report, as an HTML mail through one of this workspace's mailboxes, once a week.</p>
      <label className="check">
        <input type="checkbox" checked={weekly.enabled} onChange={(e) => setWeekly({ enabled: e.target.checked })} /> Mail the report every week
      </label>
      <div className="row">
        <div className="field grow">
          <label htmlFor="report-recipient">To</label>
          <input id="report-recipient" type="email" value={weekly.recipient ?? ''} onChange={(e) => setWeekly({ recipient: e.target.value || null })} />
        </div>
        <div className="field">
          <label htmlFor="report-mailbox">Through mailbox</label>
          <select id="report-mailbox" value={weekly.mailboxId ?? ''} onChange={(e) => setWeekly({ mailboxId: e.target.value || null })}>
            <option value="">Choose…</option>
            {mailboxes.map((m) => (
              <option key={m.id} value={m.id}>
                {m.email}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="report-weekday">On</label>
          <select id="report-weekday" value={weekly.weekday} onChange={(e) => setWeekly({ weekday: Number(e.target.value) })}>
            {WEEKDAYS.map((d, i) => (
              <option key={d} value={i}>
                {d}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="report-hour">At</label>
          <select id="report-hour" value={weekly.hour} onChange={(e) => setWeekly({ hour: Number(e.target.value) })}>
            {Array.from({ length: 24 }, (_, h) => (
              <option key={h} value={h}>
                {String(h).padStart(2, '0')}:00
              </option>
            ))}
          </select>
        </div>
      </div>
      <LastWeekly last={draft.lastWeekly} />
      <Can call="reports.settings.set">
        <button type="submit" className="primary" disabled={busy === 'settings'}>
          Save report settings
        </button>
        {saved && <span className="muted"> Saved.</span>}
      </Can>
    </form>
  );
}

/** The last weekly slot's outcome: a queued mail links to its message (where delivery shows), a refusal says why. */
function LastWeekly({ last }: { last: ReportSettings['lastWeekly'] }): React.JSX.Element | null {
  if (!last) return null;
  if (last.error) {
    return (
      <p className="error" role="status">
        The weekly report for the week of {last.week} was not sent: {last.error.message} ({last.error.code}).
      </p>
    );
  }
  return (
    <p className="muted">
      The weekly report for the week of {last.week} was queued{' '}
      {last.messageId && <a href={hrefOf({ name: 'messages', query: `id=${encodeURIComponent(last.messageId)}` })}>(see whether it was delivered)</a>}.
    </p>
  );
}
