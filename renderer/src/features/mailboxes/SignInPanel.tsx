// Where an OAuth sign-in stands, for the add-mailbox dialog and Reconnect: no app set up (a link
// to Settings → OAuth apps), several apps (pick one), waiting (the page can be opened again),
// signed in (the account and the scopes granted; a warning when the account is not the address
// typed), failed (the coded error), expired. Stable test ids: signin-status[data-status], signin-*.
import type { OAuthProvider } from '../../../../shared/domain/oauth';
import { oauthProviderLabels } from '../../../../shared/domain/oauth-defaults';
import { hrefOf } from '../../app/router';
import { Pill } from '../../components/Pill';
import { ErrorBox } from '../../components/status';
import { accountDiffers, loginHint as hint } from '../../lib/sign-in';
import { useSignIn } from '../../stores/sign-in';

export function SignInPanel(props: { provider: OAuthProvider; email: string; onRetry: () => void; mailboxId?: string }): React.JSX.Element | null {
  const { need, current, starting, error } = useSignIn();
  const start = useSignIn((s) => s.start);
  const name = oauthProviderLabels[props.provider];
  if (error) {
    return (
      <div data-testid="signin-status" data-status="error">
        <ErrorBox error={error} onRetry={props.onRetry} />
      </div>
    );
  }
  if (need?.provider === props.provider && need.apps.length === 0) {
    return (
      <p className="warning" data-testid="signin-no-app" role="status">
        No {props.provider === 'custom' ? 'custom OAuth' : name} app is set up in this workspace yet. Add one in{' '}
        <a href={hrefOf({ name: 'settings' })}>Settings → OAuth apps</a> (your own client id from the provider), then sign in here.
      </p>
    );
  }
  if (need?.provider === props.provider) {
    return (
      <div className="field" data-testid="signin-choose-app">
        <label htmlFor="signin-app">Sign in with which {name} app?</label>
        <select id="signin-app" defaultValue="" onChange={(e) => e.target.value && void start({ provider: props.provider, appId: e.target.value, loginHint: hint(props.email), mailboxId: props.mailboxId })}>
          <option value="">Choose an app…</option>
          {need.apps.map((a) => (
            <option key={a.id} value={a.id}>
              {a.label || a.clientId}
            </option>
          ))}
        </select>
      </div>
    );
  }
  if (starting) return <p className="muted" role="status" data-testid="signin-status" data-status="starting">Starting the sign-in…</p>;
  if (!current) return null;
  return (
    <div className="card" role="status" aria-live="polite" data-testid="signin-status" data-status={current.status}>
      {current.status === 'waiting' && (
        <p>
          Waiting for you to sign in at {name}
          {current.browserOpened ? ' in your browser' : ' in the new tab'}…{' '}
          {current.url && (
            <a href={current.url} target="_blank" rel="noopener noreferrer" data-testid="signin-open">
              Open the sign-in page again
            </a>
          )}
        </p>
      )}
      {current.status === 'signedIn' && (
        <>
          <p>
            <Pill tone="good">Signed in</Pill> as <strong data-testid="signin-account">{current.account ?? 'an account the provider did not name'}</strong>
          </p>
          <p className="muted">
            Scopes granted: <span className="code wrap" data-testid="signin-scopes">{current.scopes.join(' ') || 'none reported'}</span>
          </p>
          {accountDiffers(current.account, props.email) && (
            <p className="warning" data-testid="signin-account-differs">
              You signed in as {current.account}, not {props.email.trim()}: the mailbox would send as the account that signed in.
            </p>
          )}
        </>
      )}
      {current.status === 'failed' && (
        <p className="error" data-testid="signin-error">
          The sign-in failed: {current.error?.message ?? 'no reason given'} {current.error && <span className="code">({current.error.code})</span>}
        </p>
      )}
      {current.status === 'expired' && <p className="error" data-testid="signin-error">Nobody came back from {name} in time: the sign-in expired.</p>}
      {(current.status === 'failed' || current.status === 'expired') && (
        <button type="button" onClick={props.onRetry} data-testid="signin-retry">
          Sign in again
        </button>
      )}
    </div>
  );
}
