/**
 * A real OAuth2 / OpenID Connect authorization server for tests: `oidc-provider` (certified OP) on 127.0.0.1, a
 * free port, with a tiny interaction app (HTML login and consent forms, usable by fetch and by Chromium) and an
 * in-memory account store. The mail hub's Dovecot checks access tokens against its introspection endpoint.
 *
 *   GET  /.well-known/openid-configuration   discovery (authorization, token, introspection, revocation, /reg)
 *   GET  /interaction/:uid                   login form (login, password) or consent form (scopes)
 *   POST /interaction/:uid/login|confirm|abort
 *   POST /test/revoke                        {account, client?}: revokes every grant of that account (tokens die)
 *   POST /test/users                         {email, password}: adds an account
 *
 * Clients (all native, so a loopback redirect URI matches on any port, RFC 8252 7.3):
 *   kiln-public        public client, PKCE required, redirect http://127.0.0.1/callback and http://localhost/callback
 *   kiln-confidential  client_secret_basic, same redirects
 *   dovecot            introspection only (the mail hub's credentials)
 * More clients (any redirect URIs, own token lifetime) can be registered over HTTP: registerOidcClient().
 *
 * Tokens: opaque access tokens living `accessTokenTtl` seconds (default 60; per client through the registered
 * metadata `kiln_access_token_ttl`); refresh tokens for grants with `offline_access` (only kept with prompt=consent,
 * OIDC Core 11) or `mail`; refresh tokens ROTATE on every use by default, and replaying a used one revokes the
 * whole grant (oidc-provider's reuse detection). Introspection by `dovecot` answers active only for an access
 * token that carries the `mail` scope, and adds the account's `email`.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';
import { mapStore } from './oidc-store';

export const OIDC_SCOPES = ['openid', 'email', 'offline_access', 'mail'] as const;

export interface OidcClientInfo {
  clientId: string;
  /** Absent for public clients. */
  clientSecret?: string;
  redirectUris: string[];
}

/** Plain data (structured-cloneable): what vitest's provide() hands to test workers. */
export interface OidcInfo {
  /** Also the base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  issuer: string;
  port: number;
  clients: { public: OidcClientInfo; confidential: OidcClientInfo; dovecot: OidcClientInfo };
  /** email -> password of the accounts that can sign in. */
  users: Record<string, string>;
  accessTokenTtl: number;
  /** Endpoints from discovery. */
  endpoints: { authorization: string; token: string; introspection: string; revocation: string; registration: string };
}

export interface OidcServer extends OidcInfo {
  /** Adds (or replaces) an account, in this process. From a worker use addOidcUser(). */
  addUser(email: string, password: string): void;
  stop(): Promise<void>;
}

export interface StartOidcOptions {
  /** Access token lifetime in seconds (default 60). */
  accessTokenTtl?: number;
  /** Refresh token lifetime in seconds (default 1 day). */
  refreshTokenTtl?: number;
  /** Issue a new refresh token on every refresh and retire the used one (default true). */
  rotateRefreshToken?: boolean;
  users?: Record<string, string>;
}

const HOST = '127.0.0.1';
const LOOPBACK_REDIRECTS = ['http://127.0.0.1/callback', 'http://localhost/callback'];

export async function startOidcProvider(opts: StartOidcOptions = {}): Promise<OidcServer> {
  const accessTokenTtl = opts.accessTokenTtl ?? 60;
  const users = new Map<string, string>();
  for (const [email, pw] of Object.entries(opts.users ?? {})) users.set(email.toLowerCase(), pw);
  const secret = (): string => randomBytes(18).toString('base64url');
  const clients = {
    public: { clientId: 'kiln-public', redirectUris: LOOPBACK_REDIRECTS },
    confidential: { clientId: 'kiln-confidential', clientSecret: secret(), redirectUris: LOOPBACK_REDIRECTS },
    dovecot: { clientId: 'dovecot', clientSecret: secret(), redirectUris: [] },
  } satisfies OidcInfo['clients'];

  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: HOST, port: 0 }, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://${HOST}:${port}`;

  const provider = new Provider(issuer, configuration({ opts, accessTokenTtl, users, clients }));
  const grantsByAccount = new Map<string, Set<string>>();
  const callback = provider.callback();
  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname.startsWith('/interaction/') || url.pathname.startsWith('/test/')) {
      interaction(provider, users, grantsByAccount, req, res, url).catch((err: Error) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`interaction failed: ${err.message}`);
      });
    } else {
      void callback(req, res);
    }
  });

  const info: OidcServer = {
    issuer,
    port,
    clients,
    get users() {
      return Object.fromEntries(users);
    },
    accessTokenTtl,
    endpoints: {
      authorization: `${issuer}/auth`,
      token: `${issuer}/token`,
      introspection: `${issuer}/token/introspection`,
      revocation: `${issuer}/token/revocation`,
      registration: `${issuer}/reg`,
    },
    addUser: (email, password) => void users.set(email.toLowerCase(), password),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return info;
}

/** The plain-data part (for provide/inject). */
export function oidcInfo(s: OidcInfo): OidcInfo {
  const { issuer, port, clients, users, accessTokenTtl, endpoints } = s;
  return { issuer, port, clients: structuredClone(clients), users: { ...users }, accessTokenTtl, endpoints: { ...endpoints } };
}

interface ConfigInput {
  opts: StartOidcOptions;
  accessTokenTtl: number;
  users: Map<string, string>;
  clients: OidcInfo['clients'];
}

function configuration({ opts, accessTokenTtl, users, clients }: ConfigInput): Configuration {
  // EC, not RSA: an RSA-2048 key takes ~200 ms to generate, on the global setup's critical path.
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const native = { application_type: 'native', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] } as const;
  return {
    clients: [
      { ...native, client_id: clients.public.clientId, token_endpoint_auth_method: 'none', redirect_uris: LOOPBACK_REDIRECTS },
      {
        ...native,
        client_id: clients.confidential.clientId,
        client_secret: clients.confidential.clientSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        redirect_uris: LOOPBACK_REDIRECTS,
      },
      {
        client_id: clients.dovecot.clientId,
        client_secret: clients.dovecot.clientSecret,
        grant_types: [],
        response_types: [],
        redirect_uris: [],
      },
    ],
    adapter: mapStore(),
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), alg: 'ES256', use: 'sig', kid: 'test' }] as never },
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
    cookies: { keys: [randomBytes(24).toString('hex')] },
    scopes: [...OIDC_SCOPES],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    // Account ids are the lowercased addresses.
    findAccount: (_ctx, sub) =>
      users.has(sub) ? { accountId: sub, claims: () => ({ sub, email: sub, email_verified: true }) } : undefined,
    pkce: { required: () => true },
    // Like Google's and Microsoft's, the ID token names the account (email) itself, not only userinfo.
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: false },
      // RFC 8628, for clients registered with the device_code grant (the default pages: a user code form).
      deviceFlow: { enabled: true },
      introspection: {
        enabled: true,
        // The mail server (dovecot) may only ever see access tokens carrying the mail scope as active: a refresh
        // token or a token without `mail` is refused like at Google/Microsoft. Clients may introspect their own.
        allowedPolicy: (_ctx, client, token) =>
          client.clientId === clients.dovecot.clientId
            ? token.kind === 'AccessToken' && (token.scope ?? '').split(' ').includes('mail')
            : token.clientId === client.clientId,
      },
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      registration: {
        enabled: true,
        idFactory: () => `reg-${randomBytes(6).toString('hex')}`,
      },
    },
    extraClientMetadata: {
      properties: ['kiln_access_token_ttl'],
      validator: (_ctx, key, value) => {
        if (key === 'kiln_access_token_ttl' && value !== undefined && !(Number.isInteger(value) && (value as number) > 0)) {
          throw new Error('kiln_access_token_ttl must be a positive integer');
        }
      },
    },
    // Dovecot matches the login name against this claim of the introspection answer.
    extraTokenClaims: (_ctx, token) => (token.kind === 'AccessToken' && token.accountId ? { email: token.accountId } : undefined),
    issueRefreshToken: (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') && (code.scopes.has('offline_access') || code.scopes.has('mail')),
    rotateRefreshToken: opts.rotateRefreshToken ?? true,
    expiresWithSession: () => false,
    ttl: {
      AccessToken: (_ctx, _token, client) => Number(client.kiln_access_token_ttl ?? accessTokenTtl),
      AuthorizationCode: 60,
      RefreshToken: opts.refreshTokenTtl ?? 86_400,
      Grant: 86_400 * 14,
      Interaction: 600,
      Session: 86_400 * 14,
      IdToken: 600,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page('Sign-in error', `<p id="error">${esc(out.error)}</p><p id="error_description">${esc(String(out.error_description ?? ''))}</p>`);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// interaction app: plain HTML forms, so fetch and a browser drive the same pages

async function interaction(
  provider: Provider,
  users: Map<string, string>,
  grantsByAccount: Map<string, Set<string>>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
): Promise<void> {
  if (url.pathname === '/test/revoke' && req.method === 'POST') {
    const body = new URLSearchParams(await readBody(req));
    const account = (body.get('account') ?? '').toLowerCase();
    const client = body.get('client');
    let revoked = 0;
    for (const grantId of grantsByAccount.get(account) ?? []) {
      const grant = await provider.Grant.find(grantId);
      if (!grant || (client && grant.clientId !== client)) continue;
      await Promise.all([provider.AccessToken, provider.RefreshToken, provider.AuthorizationCode].map((m) => m.revokeByGrantId(grantId)));
      await grant.destroy();
      grantsByAccount.get(account)?.delete(grantId);
      revoked++;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ revoked }));
    return;
  }
  if (url.pathname === '/test/users' && req.method === 'POST') {
    const body = new URLSearchParams(await readBody(req));
    users.set((body.get('email') ?? '').toLowerCase(), body.get('password') ?? '');
    res.writeHead(204).end();
    return;
  }
  const [, , uid, action] = url.pathname.split('/');
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  const { prompt, params } = details;

  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    if (prompt.name === 'login') {
      res.end(
        page(
          'Sign in',
          `<form id="login" method="post" action="/interaction/${uid}/login">
<input name="login" type="email" autocomplete="username"><input name="password" type="password">
<button type="submit">Sign in</button></form>
<form id="abort" method="post" action="/interaction/${uid}/abort"><button type="submit">Cancel</button></form>`,
        ),
      );
    } else {
      const scopes = String(params.scope ?? '');
      res.end(
        page(
          'Allow access',
          `<p>${esc(String(params.client_id))} asks for: <span id="scopes">${esc(scopes)}</span></p>
<form id="consent" method="post" action="/interaction/${uid}/confirm"><button type="submit">Allow</button></form>
<form id="abort" method="post" action="/interaction/${uid}/abort"><button type="submit">Deny</button></form>`,
        ),
      );
    }
    return;
  }

  const body = new URLSearchParams(await readBody(req));
  if (action === 'abort') {
    await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'End-User aborted interaction' }, { mergeWithLastSubmission: false });
    return;
  }
  if (action === 'login') {
    const login = (body.get('login') ?? '').toLowerCase();
    if (!users.has(login) || users.get(login) !== body.get('password')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page('Sign in', `<p id="error">Invalid email or password.</p><a href="/interaction/${uid}">Try again</a>`));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
    return;
  }
  if (action === 'confirm' && prompt.name === 'consent') {
    const accountId = details.session?.accountId;
    if (!accountId) throw new Error('consent without a session');
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId, clientId: String(params.client_id) });
    if (!grant) throw new Error('grant vanished');
    const missing = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    grantsByAccount.set(accountId, (grantsByAccount.get(accountId) ?? new Set()).add(grantId));
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return;
  }
  res.writeHead(400, { 'content-type': 'text/plain' });
  res.end(`unexpected interaction ${action} for prompt ${prompt.name}`);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (data += c));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1>${body}</body></html>`;
}
