// Add or edit a mailbox: provider presets fill the servers; saving runs the connection test and
// shows each stage; a failed stage can be fixed and tested again without leaving the dialog.
import { useEffect, useState, type FormEvent } from 'react';
import { providers } from '../../../../shared/domain/mailbox';
import { Dialog } from '../../components/Dialog';
import { ErrorBox, Loading } from '../../components/status';
import { useMailboxEditor, type MailboxForm } from '../../stores/mailbox-editor';
import { ConnectionStages } from './ConnectionStages';
import { ServerFields } from './ServerFields';

export function MailboxDialog(): React.JSX.Element {
  const s = useMailboxEditor();
  const { open, loadProviders } = s;
  const [form, setForm] = useState<MailboxForm>(s.initial);
  useEffect(() => setForm(s.initial), [s.initial]);
  useEffect(() => {
    if (open) void loadProviders();
  }, [open, loadProviders]);

  const preset = s.providers.find((p) => p.provider === form.provider);
  const choose = (provider: MailboxForm['provider']) => {
    const p = s.providers.find((x) => x.provider === provider);
    const fill = (e: { host: string; port: number; security: MailboxForm['smtp']['security'] } | null | undefined, cur: MailboxForm['smtp']) =>
      e ? { ...cur, host: e.host, port: String(e.port), security: e.security } : cur;
    setForm((f) => ({ ...f, provider, smtp: fill(p?.smtp, f.smtp), imap: fill(p?.imap, f.imap) }));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void s.save(form);
    setForm((f) => ({ ...f, smtp: { ...f.smtp, password: '' }, imap: { ...f.imap, password: '' } }));
  };
  const editing = s.id !== null;
  const failedStage = s.result && (!s.result.smtp.ok || (s.result.imap && !s.result.imap.ok));

  return (
    <Dialog title={editing ? `Mailbox ${form.email}` : 'Add mailbox'} open={s.open} onClose={s.close}>
      <form className="form" onSubmit={submit} aria-label="Mailbox settings">
        <div className="row">
          <label className="field grow">
            <span>Email address</span>
            <input name="email" type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} required disabled={editing} />
          </label>
          <label className="field">
            <span>Provider</span>
            <select name="provider" value={form.provider} onChange={(e) => choose(e.target.value as MailboxForm['provider'])} disabled={editing}>
              {providers.map((p) => (
                <option key={p} value={p}>
                  {s.providers.find((x) => x.provider === p)?.label ?? p}
                </option>
              ))}
            </select>
          </label>
        </div>
        {preset?.note && <p className="hint">{preset.note}</p>}
        <div className="row">
          <label className="field grow">
            <span>Display name</span>
            <input name="displayName" value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} />
          </label>
          <label className="field grow">
            <span>Time zone</span>
            <input name="timeZone" value={form.timeZone} onChange={(e) => setForm({ ...form, timeZone: e.target.value })} />
          </label>
        </div>
        <ServerFields name="SMTP" value={form.smtp} onChange={(smtp) => setForm({ ...form, smtp })} editing={editing} />
        <label className="check">
          <input type="checkbox" checked={form.readImap} onChange={(e) => setForm({ ...form, readImap: e.target.checked })} /> Read this mailbox (IMAP): needed to see where mail lands
        </label>
        {form.readImap && <ServerFields name="IMAP" value={form.imap} onChange={(imap) => setForm({ ...form, imap })} editing={editing && s.initial.readImap} />}
        {s.error && <ErrorBox error={s.error} />}
        {s.testing && <Loading label="Testing the connection…" />}
        {s.result && <ConnectionStages result={s.result} />}
        <div className="actions">
          <button type="button" onClick={s.close}>
            {s.result && !failedStage ? 'Done' : 'Close'}
          </button>
          {editing && (
            <button type="button" onClick={() => void s.test()} disabled={s.testing || s.saving}>
              Test connection
            </button>
          )}
          <button type="submit" className="primary" disabled={s.saving || s.testing}>
            {editing ? 'Save and test again' : 'Save and test'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
