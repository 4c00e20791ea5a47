/**
 * What an SMTP or IMAP session signs in with, fetched when it connects: a mailbox's password, or
 * an OAuth2 access token (SASL XOAUTH2 / OAUTHBEARER) from the token manager (electron/core/oauth).
 */
export type MailCredential =
  | { kind: 'password'; password: string }
  | {
      kind: 'oauth2';
      /** Valid now (refreshed ahead of expiry). */
      accessToken: string;
      /** A token for a new connection; `renew` after the server refused the last one (refreshes once). */
      token(renew: boolean): Promise<string>;
    };

/** Looks up the credential of a stored mailbox for one protocol (app.ts wires it). */
export type CredentialOf<Row> = (row: Row, protocol: 'smtp' | 'imap') => Promise<MailCredential>;

export const passwordCredential = (password: string): MailCredential => ({ kind: 'password', password });

/**
 * What the connection test's `oauth` stage asks of an OAuth mailbox (oauth/credentials.ts builds it):
 * the token endpoint, a token refreshed now, and the scopes the protocol needs.
 */
export interface TokenProbe {
  /** The token endpoint and the scopes this protocol needs (null: the provider publishes no requirement). */
  describe(): Promise<{ endpoint: string; required: string[] | null }>;
  /** A token refreshed now, with the server's expiry (epoch ms) and the scopes it granted; rejects with a coded error. */
  token(): Promise<{ accessToken: string; expiresAt: number; scopes: string[] }>;
}

export type TokenProbeOf<Row> = (row: Row, protocol: 'smtp' | 'imap') => TokenProbe;
