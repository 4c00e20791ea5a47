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
