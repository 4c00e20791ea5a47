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
