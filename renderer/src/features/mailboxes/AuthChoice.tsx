// How a new mailbox signs in: a password (the server fields' password inputs) or "Sign in with
// Google / Microsoft / another provider" (OAuth: the provider's page opens, the dialog waits). An
// existing mailbox says how it signs in and offers to sign in again.
import { oauthProviders, type OAuthProvider } from '../../../../shared/domain/oauth';
import { oauthProviderLabels } from '../../../../shared/domain/oauth-defaults';
import type { MailboxAuth } from '../../../../shared/domain/oauth';

/** Buttons with stable names: "Use a password", "Sign in with Google", "… Microsoft", "… another provider". */
export function AuthChoice({ value, onChoose }: { value: OAuthProvider | null; onChoose: (p: OAuthProvider | null) => void }): React.JSX.Element {
  return (
    <fieldset data-testid="auth-choice">
      <legend>How this mailbox signs in</legend>
      <div className="row">
        <button type="button" aria-pressed={value === null} data-testid="signin-password" onClick={() => onChoose(null)}>
          Use a password
        </button>
        {oauthProviders.map((p) => (
          <button key={p} type="button" aria-pressed={value === p} data-testid={`signin-${p}`} onClick={() => onChoose(p)}>
            Sign in with {p === 'custom' ? 'another provider' : oauthProviderLabels[p]}
          </button>
        ))}
      </div>
    </fieldset>
  );
}

/** "Password" or "OAuth (Google) — scopes …", for an existing mailbox's dialog and detail. */
export function AuthSummary({ auth }: { auth: MailboxAuth }): React.JSX.Element {
  return (
    <p className="muted" data-testid="mailbox-auth" data-kind={auth.kind}>
      Signs in with{' '}
      {auth.kind === 'password' ? (
        'a password'
      ) : (
        <>
          OAuth ({oauthProviderLabels[auth.provider]}) · scopes <span className="code wrap">{auth.scopes.join(' ') || 'none recorded'}</span>
        </>
      )}
    </p>
  );
}
