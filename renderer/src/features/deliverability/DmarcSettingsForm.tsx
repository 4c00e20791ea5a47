// Where Kiln reads DMARC aggregate reports: a mailbox of this workspace with IMAP, the folder the
// reports arrive in, where they go once read (or refused), and whether to read on a schedule.
import type { FormEvent } from 'react';
import type { DmarcSettings } from '../../../../shared/domain/dmarc';
import { FormError } from '../../components/FormError';
import { useDmarc } from './dmarc-store';
import { useFleet } from '../../stores/fleet';
import { useDraftForm } from './useDraftForm';

type Draft = { mailboxId: string; folder: string; processedFolder: string; failedFolder: string; schedule: boolean; intervalMinutes: string };
const toDraft = (s: DmarcSettings): Draft => ({
  mailboxId: s.mailboxId ?? '',
  folder: s.folder,
  processedFolder: s.processedFolder,
  failedFolder: s.failedFolder,
  schedule: s.schedule,
  intervalMinutes: String(s.intervalMinutes),
});

export function DmarcSettingsForm({ settings }: { settings: DmarcSettings }): React.JSX.Element {
  const saveSettings = useDmarc((s) => s.saveSettings);
  const actionError = useDmarc((s) => (s.actionError?.scope === 'settings' ? s.actionError.error : null));
  const mailboxes = useFleet((s) => s.fleet.data?.mailboxes);
  const { draft, edit, busy, saved, save } = useDraftForm(settings, toDraft);
  const was = toDraft(settings);
  const changed = (Object.keys(draft) as (keyof Draft)[]).filter((k) => draft[k] !== was[k]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (changed.length === 0) return;
    await save(() => saveSettings({
      ...(changed.includes('mailboxId') ? { mailboxId: draft.mailboxId || null } : {}),
      ...(changed.includes('folder') ? { folder: draft.folder } : {}),
      ...(changed.includes('processedFolder') ? { processedFolder: draft.processedFolder } : {}),
      ...(changed.includes('failedFolder') ? { failedFolder: draft.failedFolder } : {}),
      ...(changed.includes('schedule') ? { schedule: draft.schedule } : {}),
      ...(changed.includes('intervalMinutes') ? { intervalMinutes: Number(draft.intervalMinutes) } : {}),
    }));
  };
  const readable = (mailboxes ?? []).filter((m) => m.readable || m.id === settings.mailboxId);
  const folder = (key: 'folder' | 'processedFolder' | 'failedFolder', label: string) => (
    <div className="field">
      <label htmlFor={`dmarc-${key}`}>{label}</label>
      <input id={`dmarc-${key}`} value={draft[key]} onChange={(e) => edit({ [key]: e.target.value })} required maxLength={200} spellCheck={false} />
    </div>
  );

  return (
    <form className="form" onSubmit={(e) => void submit(e)} aria-label="DMARC reports mailbox">
      {actionError && <FormError error={actionError} />}
      <div className="row">
        <div className="field grow">
          <label htmlFor="dmarc-mailbox">Reports mailbox (the rua= address)</label>
          <select id="dmarc-mailbox" value={draft.mailboxId} onChange={(e) => edit({ mailboxId: e.target.value })}>
            <option value="">None: do not read reports</option>
            {readable.map((m) => (
              <option key={m.id} value={m.id}>
                {m.email}
              </option>
            ))}
          </select>
        </div>
        {folder('folder', 'Folder the reports arrive in')}
        {folder('processedFolder', 'Move read reports to')}
        {folder('failedFolder', 'Move refused reports to')}
      </div>
      <div className="row">
        <label className="check">
          <input type="checkbox" checked={draft.schedule} onChange={(e) => edit({ schedule: e.target.checked })} /> Read on a schedule
        </label>
        <div className="field">
          <label htmlFor="dmarc-interval">Every (minutes)</label>
          <input id="dmarc-interval" type="number" min={5} max={1440} step={1} value={draft.intervalMinutes} onChange={(e) => edit({ intervalMinutes: e.target.value })} disabled={!draft.schedule} />
        </div>
      </div>
      <p className="hint">Folders use / between levels (e.g. Reports/DMARC). Mail in the folder that is not a report is left where it is.</p>
      <div className="actions">
        {saved && changed.length === 0 && (
          <span className="ok" role="status">
            Saved
          </span>
        )}
        <button type="submit" className="primary" disabled={busy || changed.length === 0}>
          Save DMARC settings
        </button>
      </div>
    </form>
  );
}
