import { z } from 'zod';

/** Who issues a mailbox's OAuth tokens: Google, Microsoft (Entra, tenant aware) or any OAuth2 / OpenID Connect server. */
export const oauthProviders = ['google', 'microsoft', 'custom'] as const;
export type OAuthProvider = (typeof oauthProviders)[number];

/** How a mailbox signs in to SMTP and IMAP. */
export const authKinds = ['password', 'oauth2'] as const;
export type AuthKind = (typeof authKinds)[number];

const url = z.url({ protocol: /^https?$/ }).max(2048);

/**
 * A workspace's own app registration with a provider (Kiln ships no client secrets). The secret
 * is write-only: an answer says whether one is stored, never what it is.
 */
export const oauthApp = z.object({
  id: z.string(),
  provider: z.enum(oauthProviders),
  label: z.string(),
  clientId: z.string(),
  hasClientSecret: z.boolean(),
  /** Microsoft: "common", "organizations", "consumers" or a directory (tenant) id or domain. */
  tenant: z.string().nullable(),
  /** Custom: the issuer whose /.well-known/openid-configuration (or oauth-authorization-server) names the endpoints. */
  issuer: z.string().nullable(),
  /** Custom without discovery: the endpoints themselves. */
  authorizationEndpoint: z.string().nullable(),
  tokenEndpoint: z.string().nullable(),
  /** Scopes to ask for instead of the provider's defaults; null = the defaults. */
  scopes: z.array(z.string()).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type OAuthApp = z.infer<typeof oauthApp>;

const tenant = z.string().trim().min(1).max(128).regex(/^[A-Za-z0-9.-]+$/, 'must be "common", "organizations", "consumers", a tenant id or a domain');
const scope = z.string().trim().min(1).max(512).regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'must be one scope token, without spaces');

/** `oauthApps.set` input: create (no id) or replace (id) an app; a missing clientSecret keeps the stored one. */
export const oauthAppInput = z
  .object({
    id: z.string().min(1).max(64).optional(),
    provider: z.enum(oauthProviders),
    label: z.string().trim().max(200).optional(),
    clientId: z.string().trim().min(1).max(512),
    /** Optional (public clients such as a desktop app have none); null removes a stored one. */
    clientSecret: z.string().min(1).max(4096).nullable().optional(),
    tenant: tenant.optional(),
    issuer: url.optional(),
    authorizationEndpoint: url.optional(),
    tokenEndpoint: url.optional(),
    scopes: z.array(scope).min(1).max(20).optional(),
  })
  .superRefine((a, ctx) => {
    if (a.provider !== 'microsoft' && a.tenant) ctx.addIssue({ code: 'custom', path: ['tenant'], message: 'only a Microsoft app has a tenant' });
    if (a.provider !== 'custom') {
      for (const f of ['issuer', 'authorizationEndpoint', 'tokenEndpoint'] as const) {
        if (a[f]) ctx.addIssue({ code: 'custom', path: [f], message: `only a custom app names its ${f}; ${a.provider}'s are built in` });
      }
    } else if (!a.issuer && !(a.authorizationEndpoint && a.tokenEndpoint)) {
      ctx.addIssue({ code: 'custom', path: ['issuer'], message: 'a custom app needs an issuer (discovery) or both authorizationEndpoint and tokenEndpoint' });
    }
  });
export type OAuthAppInput = z.infer<typeof oauthAppInput>;

/** How a mailbox signs in, as the API answers it: never a password or token. */
export const mailboxAuth = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('password') }),
  z.object({
    kind: z.literal('oauth2'),
    provider: z.enum(oauthProviders),
    /** The workspace's OAuth app the tokens were issued to. */
    appId: z.string(),
    /** Scopes the provider granted (a grant without the SMTP scope cannot send). */
    scopes: z.array(z.string()),
  }),
]);
export type MailboxAuth = z.infer<typeof mailboxAuth>;

/**
 * How a sign-in comes back: `loopback` a one-shot listener on 127.0.0.1 at a random port (desktop,
 * CLI; RFC 8252), `server` the callback route on `kiln serve`'s own origin (web UI), `device` the
 * device-code flow (RFC 8628) for a CLI without a browser, where the provider offers it (Microsoft).
 */
export const signInFlows = ['loopback', 'server', 'device'] as const;
export type SignInFlow = (typeof signInFlows)[number];

/**
 * `waiting` for the person to sign in; `signedIn` a grant is held in memory until a mailbox uses it
 * (mailboxes.create / update with `auth.signInId`), once; `failed` refused with a coded error;
 * `expired` nobody came back in time; `used` a mailbox took the grant.
 */
export const signInStatuses = ['waiting', 'signedIn', 'failed', 'expired', 'used'] as const;
export type SignInStatus = (typeof signInStatuses)[number];

export const signInStartInput = z.object({
  provider: z.enum(oauthProviders),
  /** The workspace's app to sign in with; needed only when it has several of that provider. */
  appId: z.string().min(1).max(64).optional(),
  flow: z.enum(signInFlows).default('loopback'),
  /** The address the person is expected to sign in as (sent as login_hint). */
  loginHint: z.email().max(320).optional(),
  /** Reconnect: the mailbox whose grant this sign-in replaces (its address becomes the login hint). */
  mailboxId: z.string().min(1).max(64).optional(),
});
export type SignInStartInput = z.input<typeof signInStartInput>;

/** A sign-in as the API answers it: never a code, verifier or token. */
export const signIn = z.object({
  id: z.string(),
  provider: z.enum(oauthProviders),
  appId: z.string(),
  flow: z.enum(signInFlows),
  status: z.enum(signInStatuses),
  mailboxId: z.string().nullable(),
  /** Where the person signs in (loopback, server): the provider's authorization URL. */
  url: z.string().nullable(),
  /** The redirect URI this sign-in uses (to register with the provider). */
  redirectUri: z.string().nullable(),
  /** Device flow: the code to enter and where. */
  userCode: z.string().nullable(),
  verificationUri: z.string().nullable(),
  /** True when Kiln opened the system browser itself (desktop). */
  browserOpened: z.boolean(),
  /** Who signed in, when the provider said (ID token email or preferred_username). */
  account: z.string().nullable(),
  /** Scopes granted (signedIn), as the provider answered or, when it did not say, as asked. */
  scopes: z.array(z.string()),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  expiresAt: z.string(),
});
export type SignIn = z.infer<typeof signIn>;
