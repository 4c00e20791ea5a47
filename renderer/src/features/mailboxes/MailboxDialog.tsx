// Add or edit a mailbox: provider presets fill the servers; a new mailbox signs in with a password
// or through OAuth ("Sign in with …": the dialog waits for the sign-in, then creating it takes the
// grant); saving runs the connection test and shows each stage; a failed stage can be fixed and
// tested again without leaving the dialog. Closing it cancels a sign-in no mailbox took.
import { useEffect, useState, type FormEvent } from 'react';
import { providers } from '../../../../shared/domain/mailbox';
import { Dialog } from '../../components/Dialog';
import { FormError } from '../../components/FormError';
import { Loading } from '../../components/status';
import { TimeZoneInput } from '../../components/TimeZoneInput';
import { fieldIssues, issueAt } from '../../lib/issues';
import { withoutPasswords, type MailboxForm, type ServerForm } from '../../lib/mailbox-form';
import { useMailboxEditor, type ProviderPreset } from '../../stores/mailboxes';
import { ConnectionStages } from './ConnectionStages';
import { ServerFields } from './ServerFields';
import { mailProviderOfOAuth, oauthProviderLabels } from '../../../../shared/domain/oauth-defaults';
import type { OAuthProvider } from '../../../../shared/domain/oauth';
import { loginHint } from '../../lib/sign-in';
import { useSignIn } from '../../stores/sign-in';
import { AuthChoice } from './AuthChoice';
import { SignInPanel } from './SignInPanel';

type Preset = ProviderPreset['smtp'];
const fill = (p: Preset, cur: ServerForm): ServerForm => (p ? { ...cur, host: p.host, port: String(p.port), security: p.security } : cur);

function MailboxFormBody(): React.JSX.Element {
  const s = useMailboxEditor();
  const [form, setForm] = useState<MailboxForm>(s.saved);
  // A loaded or newly opened mailbox replaces what is in the form; a save only clears the passwords.
  useEffect(() => setForm(s.saved), [s.version]);
  const existing = s.id !== null;
  const issues = fieldIssues(s.error);
  const preset = s.providers.find((p) => p.provider === form.provider);
  const choose = (provider: MailboxForm['provider'], patch: Partial<MailboxForm> = {}) => {
    const p = s.providers.find((x) => x.provider === provider);
    setForm((f) => ({ ...f, ...patch, provider, smtp: fill(p?.smtp ?? null, f.smtp), imap: fill(p?.imap ?? null, f.imap) }));
  };
  const signIn = useSignIn((x) => x.current);
  const { begin, abandon } = useSignIn.getState();
  // The dialog closed (this body unmounts): a sign-in no mailbox took is cancelled.
  useEffect(() => () => useSignIn.getState().abandon(), []);
  const startSignIn = (p: OAuthProvider) => void begin({ provider: p, loginHint: loginHint(form.email) });
  const chooseAuth = (p: OAuthProvider | null) => {
    if (p === null) {
      abandon();
      setForm((f) => ({ ...f, signInWith: null }));
      return;
    }
    // Google and Microsoft fill their servers; another provider keeps the hosts the user enters.
    if (p === 'custom') setForm((f) => ({ ...f, signInWith: p }));
    else choose(mailProviderOfOAuth[p], { signInWith: p });
    startSignIn(p);
  };
  const account = signIn?.status === 'signedIn' ? signIn.account : null;
  useEffect(() => {
    if (account) setForm((f) => (f.email.trim() === '' ? { ...f, email: account } : f));
  }, [account]);
  const oauth = form.signInWith !== null;
  const waitingForSignIn = !existing && oauth && signIn?.status !== 'signedIn';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await s.save(form)) setForm((f) => withoutPasswords(f));
  };
  const failed = s.result !== null && (!s.result.smtp.ok || (s.result.imap !== null && !s.result.imap.ok));
  if (s.loading) return <Loading label="Loading the mailbox…" />;

  return (
    <form className="form" onSubmit={(e) => void submit(e)} aria-label="Mailbox settings">
      <div className="row">
        <div className="field grow">
          <label htmlFor="mb-email">Email address</label>
          <input id="mb-email" name="email" type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} required disabled={existing} autoComplete="off" />
          {issueAt(issues, 'email') && <span className="field-error">{issueAt(issues, 'email')}</span>}
        </div>
        <div className="field">
          <label htmlFor="mb-provider">Provider</label>
          <select id="mb-provider" name="provider" value={form.provider} onChange={(e) => choose(e.target.value as MailboxForm['provider'])} disabled={existing}>
            {providers.map((p) => (
              <option key={p} value={p}>
                {s.providers.find((x) => x.provider === p)?.label ?? p}
              </option>
            ))}
          </select>
        </div>
      </div>
      {preset?.note && <p className="hint">{preset.note}</p>}
      {existing ? (
        <p className="muted" data-testid="mailbox-auth" data-kind={oauth ? 'oauth2' : 'password'}>
          Signs in with {form.signInWith ? `OAuth (${oauthProviderLabels[form.signInWith]})` : 'a password'}
        </p>
      ) : (
        <AuthChoice value={form.signInWith} onChoose={chooseAuth} />
      )}
      {!existing && form.signInWith && <SignInPanel provider={form.signInWith} email={form.email} onRetry={() => form.signInWith && startSignIn(form.signInWith)} />}
      <div className="row">
        <div className="field grow">
          <label htmlFor="mb-name">Display name</label>
          <input id="mb-name" name="displayName" value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} />
        </div>
        <TimeZoneInput label="Time zone" name="timeZone" value={form.timeZone} onChange={(timeZone) => setForm({ ...form, timeZone })} error={issueAt(issues, 'timeZone')} />
      </div>
      <ServerFields name="SMTP" value={form.smtp} onChange={(smtp) => setForm({ ...form, smtp })} existing={existing} issues={issues} password={!oauth} />
      <label className="check">
        <input type="checkbox" checked={form.readImap} onChange={(e) => setForm({ ...form, readImap: e.target.checked })} /> Read this mailbox (IMAP)
        <span className="muted">— needed to see where mail lands</span>
      </label>
      {form.readImap && <ServerFields name="IMAP" value={form.imap} onChange={(imap) => setForm({ ...form, imap })} existing={existing && s.saved.readImap} issues={issues} password={!oauth} />}
      {s.error && <FormError error={s.error} />}
      <ConnectionStages result={s.result} testing={s.testing} progress={s.progress} oauth={oauth} />
      <div className="actions">
        <button type="button" onClick={s.close}>
          {s.result && !failed ? 'Done' : 'Close'}
        </button>
        {existing && (
          <button type="button" onClick={() => void s.test()} disabled={s.testing || s.saving}>
            Test connection
          </button>
        )}
        <button type="submit" className="primary" disabled={s.saving || s.testing || waitingForSignIn} title={waitingForSignIn ? 'Sign in first' : undefined}>
          {s.saving ? 'Saving…' : s.result ? 'Save and test again' : 'Save and test'}
        </button>
      </div>
    </form>
  );
}

export function MailboxDialog(): React.JSX.Element {
  const open = useMailboxEditor((s) => s.open);
  const id = useMailboxEditor((s) => s.id);
  const email = useMailboxEditor((s) => s.saved.email);
  const loading = useMailboxEditor((s) => s.loading);
  const close = useMailboxEditor((s) => s.close);
  const loadProviders = useMailboxEditor((s) => s.loadProviders);
  useEffect(() => {
    if (open) void loadProviders();
  }, [open, loadProviders]);
  return (
    <Dialog title={loading ? 'Edit mailbox' : id ? `Mailbox ${email}` : 'Add mailbox'} open={open} onClose={close}>
      <MailboxFormBody />
    </Dialog>
  );
}
