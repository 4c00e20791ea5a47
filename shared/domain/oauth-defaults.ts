// What every face says about an OAuth provider before any app exists: the scopes Kiln asks for by
// default, the mail provider whose servers it fills, and the callback path to register.
import type { Provider } from './mailbox';
import type { OAuthProvider } from './oauth';

/**
 * Scopes asked for when an app names none. Google: the one scope covering IMAP and SMTP;
 * Microsoft: SMTP AUTH, IMAP and a refresh token; a custom server: OpenID and a refresh token.
 * test/unit/oauth-defaults.test.ts keeps these equal to the core's provider records.
 */
export const oauthDefaultScopes: Readonly<Record<OAuthProvider, readonly string[]>> = {
  google: ['https://mail.google.com/'],
  microsoft: ['https://outlook.office.com/SMTP.Send', 'https://outlook.office.com/IMAP.AccessAsUser.All', 'offline_access'],
  custom: ['openid', 'offline_access'],
};

/** The mail provider whose SMTP/IMAP presets go with an OAuth provider's accounts. */
export const mailProviderOfOAuth: Readonly<Record<OAuthProvider, Provider>> = { google: 'gmail', microsoft: 'outlook', custom: 'custom' };

export const oauthProviderLabels: Readonly<Record<OAuthProvider, string>> = { google: 'Google', microsoft: 'Microsoft', custom: 'Another provider' };

/** The redirect path of both flows: on 127.0.0.1 at any port (loopback) and on `kiln serve`'s origin (server). */
export const oauthCallbackPath = '/oauth/callback';
