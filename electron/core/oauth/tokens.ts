// Access tokens for OAuth mailboxes. The refresh token lives in the secret store; access tokens
// live in this map only, are refreshed ahead of expiry, once more after an authentication failure
// (`renew`), and one mailbox's concurrent refreshes share one request.
import * as oauth from 'oauth4webapi';
import { KilnError } from '../../../shared/errors';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { SecretStore } from '../secrets/secret-store';
import type { OAuthClientConfig, ServerFor } from './servers';
import { grantOf } from './grant';
import { oauthFailure } from './failure';

export interface TokenManagerNeeds {
  clock: Clock;
  secrets: Pick<SecretStore, 'get' | 'set'>;
  serverFor: ServerFor;
  log: Pick<Logger, 'info' | 'warn'>;
}

/** One OAuth mailbox, as the token manager needs it; the app is read only when a refresh is due. */
export interface TokenSubject {
  mailboxId: string;
  /** Secret-store ref of the refresh token. */
  refreshRef: string;
  config(): Promise<OAuthClientConfig>;
}

export interface AccessToken {
  accessToken: string;
  expiresAt: number;
  /** What the token endpoint granted (the scopes asked when it did not say: RFC 6749 §5.1). */
  scopes: string[];
}

/** Refresh this long before the server's expiry, so a token never expires mid-connection-setup. */
export const REFRESH_AHEAD_MS = 60_000;
/** Transient failures back off 30 s, 1 min, 2 min... up to 15 min. */
export const backoffMs = (failures: number): number => Math.min(30_000 * 2 ** Math.max(0, failures - 1), 15 * 60_000);

interface State {
  token?: AccessToken;
  inflight?: Promise<AccessToken>;
  failures: number;
  retryAt: number;
  lastError?: KilnError;
}

export function tokenManager(deps: TokenManagerNeeds) {
  const states = new Map<string, State>();
  const stateOf = (id: string): State => {
    let s = states.get(id);
    if (!s) states.set(id, (s = { failures: 0, retryAt: 0 }));
    return s;
  };

  async function refresh(subject: TokenSubject, st: State): Promise<AccessToken> {
    const startedAt = deps.clock.now();
    try {
      const refreshToken = await deps.secrets.get(subject.refreshRef);
      if (!refreshToken) throw new KilnError('OAUTH_REVOKED', 'No refresh token is stored for this mailbox: sign in again');
      const server = await deps.serverFor(await subject.config());
      const res = await oauth.refreshTokenGrantRequest(server.as, server.client, server.clientAuth, refreshToken, {
        ...server.http,
        ...(server.scopeOnRefresh ? { additionalParameters: { scope: server.scopes.join(' ') } } : {}),
      });
      const grant = grantOf(await oauth.processRefreshTokenResponse(server.as, server.client, res), server.scopes, startedAt);
      // A rotated refresh token replaces the old one at once: the old one may already be invalid.
      if (grant.refreshToken && grant.refreshToken !== refreshToken) await deps.secrets.set(subject.refreshRef, grant.refreshToken);
      st.token = { accessToken: grant.accessToken, expiresAt: grant.expiresAt, scopes: grant.scopes };
      st.failures = 0;
      st.retryAt = 0;
      delete st.lastError;
      deps.log.info({ mailboxId: subject.mailboxId, rotated: Boolean(grant.refreshToken && grant.refreshToken !== refreshToken) }, 'oauth access token refreshed');
      return st.token;
    } catch (e) {
      const err = oauthFailure(e, 'Refreshing the OAuth access token failed', 'OAUTH_REVOKED');
      delete st.token;
      if (err.code === 'OAUTH_REFRESH_FAILED') {
        st.failures += 1;
        st.retryAt = deps.clock.now() + backoffMs(st.failures);
        st.lastError = new KilnError(err.code, err.message, { ...(err.details as object | undefined), retryAt: new Date(st.retryAt).toISOString() });
        deps.log.warn({ mailboxId: subject.mailboxId, code: err.code, failures: st.failures }, 'oauth refresh failed');
        throw st.lastError;
      }
      deps.log.warn({ mailboxId: subject.mailboxId, code: err.code }, 'oauth refresh refused');
      throw err;
    }
  }

  return {
    /**
     * A valid access token: the cached one unless it expires within REFRESH_AHEAD_MS, or `renew`
     * (the server refused the last one). During a transient failure's backoff, the last error.
     */
    async accessToken(subject: TokenSubject, o: { renew?: boolean } = {}): Promise<AccessToken> {
      const st = stateOf(subject.mailboxId);
      if (st.inflight) return st.inflight;
      const now = deps.clock.now();
      if (!o.renew && st.token && st.token.expiresAt - REFRESH_AHEAD_MS > now) return st.token;
      if (st.lastError && st.retryAt > now) throw st.lastError;
      const p = refresh(subject, st).finally(() => {
        if (st.inflight === p) delete st.inflight;
      });
      st.inflight = p;
      return p;
    },
    /** The token endpoint a refresh asks (the connection test names it in its evidence). */
    async tokenEndpoint(subject: TokenSubject): Promise<string> {
      const server = await deps.serverFor(await subject.config());
      return server.as.token_endpoint ?? server.as.issuer;
    },
    /** Drop what is held for a mailbox (its settings changed, it was deleted or signed in again). */
    forget(mailboxId: string): void {
      states.delete(mailboxId);
    },
  };
}
export type TokenManager = ReturnType<typeof tokenManager>;
