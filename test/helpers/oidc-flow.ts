/**
 * The client side of the test authorization server (test/helpers/oidc.ts), over real HTTP only, so it works from
 * any test worker with the injected OidcInfo: sign in and consent by following the provider's redirects and posting
 * its forms, exchange/refresh/revoke at its endpoints, register clients, add accounts.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { OidcClientInfo, OidcInfo } from './oidc';

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
}

export interface AuthorizeOptions {
  /** Default: the public client. */
  client?: OidcClientInfo;
  /** Default: the client's first redirect URI, on port 1 (a native client's loopback redirect matches any port). */
  redirectUri?: string;
  state?: string;
  codeChallenge: string;
  /** Default 'openid email offline_access mail'. */
  scope?: string;
  user: string;
  password: string;
  /** false: press Deny on the consent page (the redirect then carries error=access_denied). Default true. */
  consent?: boolean;
  /** Extra authorization request parameters, e.g. { prompt: 'consent' } (needed to keep offline_access). */
  extra?: Record<string, string>;
}

export interface AuthorizeResult {
  /** The redirect to redirect_uri, not fetched. */
  callbackUrl: string;
  code?: string;
  state?: string;
  error?: string;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/**
 * Runs the authorization code flow from the authorization request to the redirect back to redirect_uri, through the
 * provider's real redirects, login form and consent form. Returns the callback URL (and its code/state/error); it
 * never fetches redirect_uri, so the caller can hand the URL to whatever listens there.
 */
export async function authorize(info: OidcInfo, o: AuthorizeOptions): Promise<AuthorizeResult> {
  const client = o.client ?? info.clients.public;
  const redirectUri = o.redirectUri ?? withPort(client.redirectUris[0] as string, 1);
  const url = new URL(info.endpoints.authorization);
  const q = {
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: o.scope ?? 'openid email offline_access mail',
    code_challenge: o.codeChallenge,
    code_challenge_method: 'S256',
    ...(o.state !== undefined ? { state: o.state } : {}),
    ...o.extra,
  };
  for (const [k, v] of Object.entries(q)) url.searchParams.set(k, v);
  return followAuthorization(info, url.href, redirectUri, o);
}

/**
 * Drives an authorization URL someone else built (Kiln's sign-in) through the provider's login and consent forms
 * until the provider redirects to `redirectUri`; that redirect is returned, not fetched.
 */
export async function followAuthorization(
  info: OidcInfo,
  start: string,
  redirectUri: string,
  o: { user: string; password: string; consent?: boolean },
): Promise<AuthorizeResult> {
  const jar = new CookieJar();
  let next: { url: string; method: 'GET' | 'POST'; body?: string } = { url: start, method: 'GET' };
  for (let hop = 0; hop < 20; hop++) {
    if (next.url.startsWith(redirectUri.split('?')[0] as string)) {
      const cb = new URL(next.url);
      return {
        callbackUrl: next.url,
        code: cb.searchParams.get('code') ?? undefined,
        state: cb.searchParams.get('state') ?? undefined,
        error: cb.searchParams.get('error') ?? undefined,
      };
    }
    if (!next.url.startsWith(info.issuer)) throw new Error(`oidc: redirected off the provider to ${next.url}`);
    const res = await fetch(next.url, {
      method: next.method,
      redirect: 'manual',
      headers: {
        cookie: jar.header(next.url),
        ...(next.body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: next.body,
    });
    jar.store(res.headers.getSetCookie());
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      next = { url: new URL(location, next.url).href, method: 'GET' };
      continue;
    }
    const html = await res.text();
    const form = (id: string) => new RegExp(`<form id="${id}" method="post" action="([^"]+)"`).exec(html)?.[1];
    const target = (path: string) => new URL(path, info.issuer).href;
    if (form('login')) {
      if (hop > 0 && html.includes('id="error"')) throw new Error(`oidc: login refused for ${o.user}`);
      next = { url: target(form('login') as string), method: 'POST', body: new URLSearchParams({ login: o.user, password: o.password }).toString() };
    } else if (form('consent')) {
      next = { url: target(form(o.consent === false ? 'abort' : 'consent') as string), method: 'POST', body: '' };
    } else {
      throw new Error(`oidc: unexpected page (HTTP ${res.status}) at ${next.url}: ${html.replace(/<[^>]+>/g, ' ').trim().slice(0, 300)}`);
    }
  }
  throw new Error('oidc: too many redirects');
}

/**
 * The person's side of the device flow (RFC 8628): opens the verification page, enters the user code, confirms,
 * signs in and consents through the same forms, until the provider's success page.
 */
export async function confirmDeviceCode(info: OidcInfo, verificationUri: string, userCode: string, o: { user: string; password: string }): Promise<void> {
  const jar = new CookieJar();
  let next: { url: string; method: 'GET' | 'POST'; body?: string } = { url: verificationUri, method: 'GET' };
  for (let hop = 0; hop < 30; hop++) {
    const res = await fetch(next.url, {
      method: next.method,
      redirect: 'manual',
      headers: { cookie: jar.header(next.url), ...(next.body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: next.body,
    });
    jar.store(res.headers.getSetCookie());
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      next = { url: new URL(location, next.url).href, method: 'GET' };
      continue;
    }
    const html = await res.text();
    const action = (id: string) => new RegExp(`<form id="${id}"[^>]* action="([^"]+)"`).exec(html)?.[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const target = (path: string) => new URL(path, info.issuer).href;
    if (html.includes('Sign-in Success')) return;
    if (action('op.deviceInputForm')) {
      if (hop > 2) throw new Error('oidc: the user code was refused');
      next = { url: target(action('op.deviceInputForm') as string), method: 'POST', body: new URLSearchParams({ xsrf, user_code: userCode }).toString() };
    } else if (action('op.deviceConfirmForm')) {
      next = { url: target(action('op.deviceConfirmForm') as string), method: 'POST', body: new URLSearchParams({ xsrf, user_code: userCode, confirm: 'yes' }).toString() };
    } else if (action('login')) {
      next = { url: target(action('login') as string), method: 'POST', body: new URLSearchParams({ login: o.user, password: o.password }).toString() };
    } else if (action('consent')) {
      next = { url: target(action('consent') as string), method: 'POST', body: '' };
    } else {
      throw new Error(`oidc: unexpected device page (HTTP ${res.status}) at ${next.url}: ${html.replace(/<[^>]+>/g, ' ').trim().slice(0, 300)}`);
    }
  }
  throw new Error('oidc: too many hops in the device flow');
}

/** Exchanges an authorization code at the token endpoint. Throws with the provider's error on failure. */
export async function exchangeCode(
  info: OidcInfo,
  o: { client?: OidcClientInfo; code: string; redirectUri: string; codeVerifier: string },
): Promise<TokenResponse> {
  return tokenRequest(info, o.client ?? info.clients.public, {
    grant_type: 'authorization_code',
    code: o.code,
    redirect_uri: o.redirectUri,
    code_verifier: o.codeVerifier,
  });
}

export async function refreshTokens(info: OidcInfo, refreshToken: string, client = info.clients.public): Promise<TokenResponse> {
  return tokenRequest(info, client, { grant_type: 'refresh_token', refresh_token: refreshToken });
}

/** Sign in as `user` (with the public client unless another is given) and return the tokens (authorize + exchange in one). */
export async function signIn(
  info: OidcInfo,
  user: string,
  password = info.users[user.toLowerCase()] ?? '',
  scope?: string,
  client: OidcClientInfo = info.clients.public,
): Promise<TokenResponse> {
  const { verifier, challenge } = pkcePair();
  const redirectUri = withPort(client.redirectUris[0] as string, 1);
  const r = await authorize(info, { client, user, password, codeChallenge: challenge, state: 's', redirectUri, scope });
  if (!r.code) throw new Error(`oidc: no code in ${r.callbackUrl}`);
  return exchangeCode(info, { client, code: r.code, redirectUri, codeVerifier: verifier });
}

/** RFC 7009 revocation of one token. Revoking a refresh token revokes its whole grant (access tokens included). */
export async function revokeToken(info: OidcInfo, token: string, client = info.clients.public): Promise<void> {
  const res = await fetch(info.endpoints.revocation, { method: 'POST', headers: clientHeaders(client), body: form({ token, ...clientBody(client) }) });
  if (!res.ok) throw new Error(`oidc: revocation answered ${res.status}: ${await res.text()}`);
}

/** Revokes every grant `account` gave (optionally only to one client), as a user would in their account settings. */
export async function revokeGrants(info: OidcInfo, account: string, clientId?: string): Promise<number> {
  const res = await fetch(`${info.issuer}/test/revoke`, { method: 'POST', body: form({ account, ...(clientId ? { client: clientId } : {}) }) });
  if (!res.ok) throw new Error(`oidc: revoke answered ${res.status}`);
  return ((await res.json()) as { revoked: number }).revoked;
}

/** Adds an account that can sign in (it needs a mail hub user too: addMailHubOAuthUser). */
export async function addOidcUser(info: OidcInfo, email: string, password: string): Promise<void> {
  if (!password) throw new Error('oidc: empty password');
  const res = await fetch(`${info.issuer}/test/users`, { method: 'POST', body: form({ email, password }) });
  if (!res.ok) throw new Error(`oidc: adding ${email} answered ${res.status}`);
  info.users[email.toLowerCase()] = password;
}

/**
 * RFC 7591 dynamic registration, e.g. a client whose redirect URI is a `kiln serve` origin, or with short tokens:
 * registerOidcClient(info, { redirect_uris: [...], token_endpoint_auth_method: 'none', kiln_access_token_ttl: 5 }).
 * Defaults: native application, code + refresh_token grants, client_secret_basic.
 */
export async function registerOidcClient(info: OidcInfo, metadata: Record<string, unknown>): Promise<OidcClientInfo> {
  const res = await fetch(info.endpoints.registration, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ application_type: 'native', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], ...metadata }),
  });
  const body = (await res.json()) as { client_id: string; client_secret?: string; redirect_uris: string[]; error_description?: string };
  if (res.status !== 201) throw new Error(`oidc: registration refused (${res.status}): ${body.error_description ?? JSON.stringify(body)}`);
  return { clientId: body.client_id, clientSecret: body.client_secret, redirectUris: body.redirect_uris };
}

export function withPort(uri: string, port: number): string {
  const u = new URL(uri);
  u.port = String(port);
  return u.href;
}

async function tokenRequest(info: OidcInfo, client: OidcClientInfo, params: Record<string, string>): Promise<TokenResponse> {
  const res = await fetch(info.endpoints.token, { method: 'POST', headers: clientHeaders(client), body: form({ ...params, ...clientBody(client) }) });
  const body = (await res.json()) as TokenResponse & { error?: string; error_description?: string };
  if (!res.ok) throw Object.assign(new Error(`oidc: token endpoint: ${body.error}: ${body.error_description}`), { oauthError: body.error });
  return body;
}

function clientHeaders(client: OidcClientInfo): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (client.clientSecret) {
    const enc = (s: string) => encodeURIComponent(s);
    h.authorization = `Basic ${Buffer.from(`${enc(client.clientId)}:${enc(client.clientSecret)}`).toString('base64')}`;
  }
  return h;
}

function clientBody(client: OidcClientInfo): Record<string, string> {
  return client.clientSecret ? {} : { client_id: client.clientId };
}

function form(o: Record<string, string>): string {
  return new URLSearchParams(o).toString();
}

/** Just enough of a cookie jar for the provider's interaction cookies (name + path; all are host-only). */
class CookieJar {
  private cookies = new Map<string, { value: string; path: string }>();

  store(setCookies: string[]): void {
    for (const sc of setCookies) {
      const [pair, ...attrs] = sc.split(';');
      const eq = (pair as string).indexOf('=');
      const name = (pair as string).slice(0, eq).trim();
      const value = (pair as string).slice(eq + 1).trim();
      const path = attrs.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const expired = attrs.some((a) => /^\s*expires=thu, 01 jan 1970/i.test(a)) || value === '';
      const key = `${name};${path}`;
      if (expired) this.cookies.delete(key);
      else this.cookies.set(key, { value, path });
    }
  }

  header(url: string): string {
    const p = new URL(url).pathname;
    return [...this.cookies]
      .filter(([, c]) => p === c.path || p.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map(([key, c]) => `${key.split(';')[0]}=${c.value}`)
      .join('; ');
  }
}
