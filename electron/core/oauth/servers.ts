// Which authorization server an OAuth app talks to, and how it authenticates there: Google's and
// Microsoft's from their provider records (tenant substituted), a custom one from its explicit
// endpoints or from OpenID / RFC 8414 discovery on its issuer.
import * as oauth from 'oauth4webapi';
import type { OAuthProvider } from '../../../shared/domain/oauth';
import { KilnError } from '../../../shared/errors';
import { providerRecords, type OAuthEndpoints } from '../providers';
import { oauthDefaultScopes } from '../../../shared/domain/oauth-defaults';

/** An app with its secret read from the secret store: what the token machinery needs, held in memory only. */
export interface OAuthClientConfig {
  provider: OAuthProvider;
  clientId: string;
  clientSecret: string | null;
  tenant: string | null;
  issuer: string | null;
  authorizationEndpoint: string | null;
  tokenEndpoint: string | null;
  scopes: string[] | null;
}

/** A fetch the tests can replace (oauth4webapi's `customFetch`). */
export type OAuthFetch = (url: string, init: oauth.CustomFetchOptions<string, unknown>) => Promise<Response>;

/** Fits every oauth4webapi request's options (OAuthFetch takes any method and body). */
export interface HttpOptions {
  [oauth.customFetch]?: OAuthFetch;
  [oauth.allowInsecureRequests]?: boolean;
  signal: () => AbortSignal;
}

export interface OAuthServer {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  clientAuth: oauth.ClientAuth;
  scopes: string[];
  scopeOnRefresh: boolean;
  authorizeParams: Record<string, string>;
  /** Options for every oauth4webapi request to this server. */
  http: HttpOptions;
}

// Mail providers' records keyed by the OAuth provider that issues their tokens.
const builtIn: Record<Exclude<OAuthProvider, 'custom'>, OAuthEndpoints> = {
  google: providerRecords.gmail.oauth!,
  microsoft: providerRecords.outlook.oauth!,
};

/** The scopes a protocol needs from this provider's grant; null for a custom server, whose requirement Kiln cannot know. */
export function requiredScopes(provider: OAuthProvider, protocol: 'smtp' | 'imap'): string[] | null {
  return provider === 'custom' ? null : builtIn[provider].requires[protocol];
}

/** Defaults for a custom server: RFC 6749 requires client_secret_basic; XOAUTH2 is what nodemailer speaks. */
export const customDefaults = { scopes: [...oauthDefaultScopes.custom], clientAuth: 'client_secret_basic' as const };

/** Plain http is allowed to a loopback server only (a test's or a local one), never across a network. */
export function isLoopbackUrl(u: URL): boolean {
  return u.hostname === '127.0.0.1' || u.hostname === '[::1]' || u.hostname === 'localhost';
}

function httpOptions(fetchImpl: OAuthFetch | undefined, urls: string[]): HttpOptions {
  const insecure = urls.every((s) => {
    const u = new URL(s);
    return u.protocol === 'https:' || isLoopbackUrl(u);
  });
  return {
    ...(fetchImpl ? { [oauth.customFetch]: fetchImpl } : {}),
    ...(insecure && urls.some((s) => s.startsWith('http:')) ? { [oauth.allowInsecureRequests]: true } : {}),
    signal: () => AbortSignal.timeout(30_000),
  };
}

function clientAuthOf(app: OAuthClientConfig, method: 'client_secret_post' | 'client_secret_basic'): oauth.ClientAuth {
  if (!app.clientSecret) return oauth.None();
  return method === 'client_secret_post' ? oauth.ClientSecretPost(app.clientSecret) : oauth.ClientSecretBasic(app.clientSecret);
}

/** Microsoft's URLs name the directory: the app's tenant, else "common". */
export function withTenant(url: string, tenant: string | null, fallback = 'common'): string {
  return url.replaceAll('{tenant}', encodeURIComponent(tenant ?? fallback));
}

/** Resolves apps to servers; discovery documents are cached per issuer for the life of the resolver. */
export function serverResolver(opts: { fetch?: OAuthFetch } = {}) {
  const discovered = new Map<string, Promise<oauth.AuthorizationServer>>();

  async function discover(issuer: string): Promise<oauth.AuthorizationServer> {
    let p = discovered.get(issuer);
    if (!p) {
      const url = new URL(issuer);
      p = (async () => {
        const res = await oauth.discoveryRequest(url, { ...httpOptions(opts.fetch, [issuer]), algorithm: 'oidc' });
        return oauth.processDiscoveryResponse(url, res);
      })();
      // A failed discovery is not remembered: the next refresh asks again.
      p.catch(() => discovered.delete(issuer));
      discovered.set(issuer, p);
    }
    try {
      return await p;
    } catch (e) {
      throw new KilnError('OAUTH_REFRESH_FAILED', `OpenID discovery at ${issuer} failed: ${e instanceof Error ? e.message : String(e)}`, { issuer });
    }
  }

  return async function serverFor(app: OAuthClientConfig): Promise<OAuthServer> {
    const client: oauth.Client = { client_id: app.clientId };
    if (app.provider !== 'custom') {
      const r = builtIn[app.provider];
      const t = (u: string) => withTenant(u, app.tenant, r.defaultTenant);
      const as: oauth.AuthorizationServer = {
        issuer: t(r.issuer),
        authorization_endpoint: t(r.authorizeUrl),
        token_endpoint: t(r.tokenUrl),
        ...(r.deviceCodeUrl ? { device_authorization_endpoint: t(r.deviceCodeUrl) } : {}),
      };
      return {
        as,
        client,
        clientAuth: clientAuthOf(app, r.clientAuth),
        scopes: app.scopes ?? r.scopes,
        scopeOnRefresh: r.scopeOnRefresh,
        authorizeParams: r.authorizeParams ?? {},
        http: httpOptions(opts.fetch, [as.token_endpoint!]),
      };
    }
    let as: oauth.AuthorizationServer;
    if (app.authorizationEndpoint && app.tokenEndpoint) {
      as = { issuer: app.issuer ?? new URL(app.tokenEndpoint).origin, authorization_endpoint: app.authorizationEndpoint, token_endpoint: app.tokenEndpoint };
    } else if (app.issuer) {
      as = await discover(app.issuer);
    } else {
      throw new KilnError('OAUTH_NOT_CONFIGURED', 'This custom OAuth app names neither an issuer nor its endpoints');
    }
    const methods = as.token_endpoint_auth_methods_supported;
    const method = methods && !methods.includes('client_secret_basic') && methods.includes('client_secret_post') ? 'client_secret_post' : customDefaults.clientAuth;
    return {
      as,
      client,
      clientAuth: clientAuthOf(app, method),
      scopes: app.scopes ?? customDefaults.scopes,
      scopeOnRefresh: false,
      authorizeParams: {},
      http: httpOptions(opts.fetch, [as.token_endpoint ?? app.issuer!]),
    };
  };
}
export type ServerFor = ReturnType<typeof serverResolver>;
