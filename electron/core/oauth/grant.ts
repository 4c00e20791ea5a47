import * as oauth from 'oauth4webapi';

/** What a token endpoint granted, in Kiln's terms. Held in memory; only the refresh token is stored (secret store). */
export interface Grant {
  accessToken: string;
  /** Epoch ms on the injected clock. */
  expiresAt: number;
  /** Present when the server issued (or rotated) one. */
  refreshToken: string | null;
  scopes: string[];
  /** Who signed in, when an ID token said (email, else preferred_username); sign-ins only. */
  account?: string | null;
}

/** Servers that omit expires_in: assume the common one hour rather than "forever". */
const DEFAULT_LIFETIME_S = 3600;

export function grantOf(t: oauth.TokenEndpointResponse, asked: string[], now: number): Grant {
  return {
    accessToken: t.access_token,
    expiresAt: now + (t.expires_in ?? DEFAULT_LIFETIME_S) * 1000,
    refreshToken: t.refresh_token ?? null,
    // RFC 6749 §5.1: scope may be omitted when it is what was asked.
    scopes: t.scope ? t.scope.split(' ').filter(Boolean) : asked,
  };
}

/** The signed-in account from a validated ID token, if the server sent one. */
export function accountOf(t: oauth.TokenEndpointResponse): string | null {
  const claims = oauth.getValidatedIdTokenClaims(t);
  const name = claims?.email ?? claims?.preferred_username;
  return typeof name === 'string' && name ? name : null;
}
