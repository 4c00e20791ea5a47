// Reconnect a mailbox whose grant was revoked (or whose refreshes keep failing): the same sign-in
// as adding one, for this mailbox (its address is the login hint), then `mailboxes.update` takes
// the new grant. Closing before that cancels the sign-in. Test ids: reconnect-dialog, reconnect-save.
import { useEffect } from 'react';
import { Dialog } from '../../components/Dialog';
import { ErrorBox, Loading } from '../../components/status';
import { useReconnect } from '../../stores/reconnect';
import { useSignIn } from '../../stores/sign-in';
import { SignInPanel } from './SignInPanel';

function Body(): React.JSX.Element {
  const { mailbox: m, loading, saving, done, error, close, finish } = useReconnect();
  const signIn = useSignIn((s) => s.current);
  const begin = useSignIn((s) => s.begin);
  const provider = m?.auth.kind === 'oauth2' ? m.auth.provider : null;
  const start = () => m && provider && void begin({ provider, mailboxId: m.id });
  useEffect(() => {
    start();
    return () => useSignIn.getState().abandon();
    // Once per mailbox shown.
  }, [m?.id]);
  if (loading) return <Loading label="Loading the mailbox…" />;
  if (error && !m) return <ErrorBox error={error} />;
  if (!m) return <></>;
  if (!provider) return <p className="muted">{m.email} signs in with a password: change it in the mailbox&apos;s settings.</p>;
  const save = async () => {
    if (signIn && (await finish(signIn.id))) useSignIn.getState().used();
  };
  return (
    <div data-testid="reconnect-dialog">
      {m.lastError && (
        <p className="error">
          {m.lastError.message} <span className="code">({m.lastError.code})</span>
        </p>
      )}
      {done ? (
        <p className="ok" role="status" data-testid="reconnect-done">
          {m.email} signs in again.
        </p>
      ) : (
        <SignInPanel provider={provider} email={m.email} mailboxId={m.id} onRetry={start} />
      )}
      {error && <ErrorBox error={error} />}
      <div className="actions">
        <button type="button" onClick={close}>
          {done ? 'Done' : 'Cancel'}
        </button>
        {!done && (
          <button type="button" className="primary" data-testid="reconnect-save" disabled={saving || signIn?.status !== 'signedIn'} onClick={() => void save()}>
            {saving ? 'Saving…' : 'Use this sign-in'}
          </button>
        )}
      </div>
    </div>
  );
}

export function ReconnectDialog(): React.JSX.Element {
  const openId = useReconnect((s) => s.openId);
  const email = useReconnect((s) => s.mailbox?.email);
  const close = useReconnect((s) => s.close);
  return (
    <Dialog title={email ? `Reconnect ${email}` : 'Reconnect mailbox'} open={openId !== null} onClose={close}>
      <Body />
    </Dialog>
  );
}
