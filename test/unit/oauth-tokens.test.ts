// The exact token requests Kiln makes to Google's and Microsoft's endpoints (which cannot be
// reached from here), through a fake fetch given to oauth4webapi; refresh timing on a manual clock.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../electron/core/clock';
import { tokenManager, REFRESH_AHEAD_MS, type TokenSubject } from '../../electron/core/oauth/tokens';
import { serverResolver, type OAuthClientConfig, type OAuthFetch } from '../../electron/core/oauth/servers';
import { authorizationRequest, exchangeCode } from '../../electron/core/oauth/authorize';
import { KilnError } from '../../shared/errors';

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: URLSearchParams;
}

/** Answers token requests from a script; records each request. */
function fakeTokenEndpoint(answer: (n: number) => { status: number; json: object }) {
  const seen: Seen[] = [];
  const waiting: (() => void)[] = [];
  const gate = { hold: false, open: () => waiting.splice(0).forEach((r) => r()) };
  const fetch: OAuthFetch = async (url, init) => {
    seen.push({ url, method: init.method, headers: init.headers, body: new URLSearchParams(init.body as URLSearchParams) });
    if (gate.hold) await new Promise<void>((r) => waiting.push(r));
    const a = answer(seen.length);
    return new Response(JSON.stringify(a.json), { status: a.status, headers: { 'content-type': 'application/json' } });
  };
  return { fetch, seen, gate };
}

function memorySecrets(initial: Record<string, string>) {
  const m = new Map(Object.entries(initial));
  return { map: m, get: async (r: string) => m.get(r) ?? null, set: async (r: string, v: string) => void m.set(r, v) };
}

const quiet = { info: () => {}, warn: () => {} };
const google: OAuthClientConfig = { provider: 'google', clientId: 'gid.apps.googleusercontent.com', clientSecret: 'g-secret', tenant: null, issuer: null, authorizationEndpoint: null, tokenEndpoint: null, scopes: null };
const microsoft: OAuthClientConfig = { ...google, provider: 'microsoft', clientId: 'ms-client', clientSecret: null, tenant: 'contoso.onmicrosoft.com' };

function setup(config: OAuthClientConfig, answer: (n: number) => { status: number; json: object }) {
  const clock = new ManualClock();
  const endpoint = fakeTokenEndpoint(answer);
  const secrets = memorySecrets({ 'mailbox/m1/oauth': 'refresh-1' });
  const tokens = tokenManager({ clock, secrets, serverFor: serverResolver({ fetch: endpoint.fetch }), log: quiet });
  const subject: TokenSubject = { mailboxId: 'm1', refreshRef: 'mailbox/m1/oauth', config: async () => config };
  return { clock, endpoint, secrets, tokens, subject };
}

const ok = (n: number) => ({ status: 200, json: { access_token: `access-${n}`, token_type: 'Bearer', expires_in: 3600 } });

describe('OAuth token requests', () => {
  it("refreshes at Google's token endpoint with the secret in the body and no scope", async () => {
    const { endpoint, tokens, subject } = setup(google, ok);
    expect((await tokens.accessToken(subject)).accessToken).toBe('access-1');
    expect(endpoint.seen).toHaveLength(1);
    const [r] = endpoint.seen;
    expect(r!.url).toBe('https://oauth2.googleapis.com/token');
    expect(r!.method).toBe('POST');
    expect(Object.fromEntries(r!.body)).toEqual({ grant_type: 'refresh_token', refresh_token: 'refresh-1', client_id: google.clientId, client_secret: 'g-secret' });
    expect(r!.headers.authorization).toBeUndefined();
  });

  it("refreshes at Microsoft's tenant endpoint as a public client, repeating the mail scopes", async () => {
    const { endpoint, tokens, subject } = setup(microsoft, ok);
    await tokens.accessToken(subject);
    const [r] = endpoint.seen;
    expect(r!.url).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token');
    expect(Object.fromEntries(r!.body)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'refresh-1',
      client_id: 'ms-client',
      scope: 'https://outlook.office.com/SMTP.Send https://outlook.office.com/IMAP.AccessAsUser.All offline_access',
    });
    expect(r!.headers.authorization).toBeUndefined();
  });

  it('uses "common" when a Microsoft app names no tenant', async () => {
    const { endpoint, tokens, subject } = setup({ ...microsoft, tenant: null }, ok);
    await tokens.accessToken(subject);
    expect(endpoint.seen[0]!.url).toBe('https://login.microsoftonline.com/common/oauth2/v2.0/token');
  });

  it('keeps the access token until 60 s before expiry, then refreshes', async () => {
    const { clock, endpoint, tokens, subject } = setup(google, ok);
    await tokens.accessToken(subject);
    clock.advance(3600_000 - REFRESH_AHEAD_MS - 1);
    expect((await tokens.accessToken(subject)).accessToken).toBe('access-1');
    expect(endpoint.seen).toHaveLength(1);
    clock.advance(2);
    expect((await tokens.accessToken(subject)).accessToken).toBe('access-2');
    expect(endpoint.seen).toHaveLength(2);
  });

  it('refreshes once more when the server refused the token (renew)', async () => {
    const { endpoint, tokens, subject } = setup(google, ok);
    await tokens.accessToken(subject);
    expect((await tokens.accessToken(subject, { renew: true })).accessToken).toBe('access-2');
    expect(endpoint.seen).toHaveLength(2);
  });

  it("coalesces one mailbox's concurrent refreshes into one request", async () => {
    const { endpoint, tokens, subject } = setup(google, ok);
    endpoint.gate.hold = true;
    const a = tokens.accessToken(subject);
    const b = tokens.accessToken(subject, { renew: true });
    // Let both callers reach the endpoint if they were going to, then answer everything held.
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    endpoint.gate.open();
    expect((await a).accessToken).toBe('access-1');
    expect((await b).accessToken).toBe('access-1');
    expect(endpoint.seen).toHaveLength(1);
  });

  it('turns invalid_grant into OAUTH_REVOKED, without the token in the error', async () => {
    const { tokens, subject } = setup(google, () => ({ status: 400, json: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } }));
    const err = await tokens.accessToken(subject).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KilnError);
    expect((err as KilnError).code).toBe('OAUTH_REVOKED');
    expect(JSON.stringify({ m: (err as KilnError).message, d: (err as KilnError).details })).not.toContain('refresh-1');
  });

  it('turns other failures into OAUTH_REFRESH_FAILED and backs off before asking again', async () => {
    const { clock, endpoint, tokens, subject } = setup(google, (n) => (n === 1 ? { status: 503, json: { error: 'temporarily_unavailable' } } : ok(n)));
    await expect(tokens.accessToken(subject)).rejects.toMatchObject({ code: 'OAUTH_REFRESH_FAILED' });
    await expect(tokens.accessToken(subject)).rejects.toMatchObject({ code: 'OAUTH_REFRESH_FAILED' });
    expect(endpoint.seen).toHaveLength(1);
    clock.advance(30_000);
    expect((await tokens.accessToken(subject)).accessToken).toBe('access-2');
  });

  it('writes a rotated refresh token back to the secret store', async () => {
    const { secrets, tokens, subject, endpoint } = setup(microsoft, (n) => ({ status: 200, json: { ...ok(n).json, refresh_token: `refresh-${n + 1}` } }));
    await tokens.accessToken(subject);
    expect(secrets.map.get('mailbox/m1/oauth')).toBe('refresh-2');
    await tokens.accessToken(subject, { renew: true });
    expect(endpoint.seen[1]!.body.get('refresh_token')).toBe('refresh-2');
  });
});

describe('a custom provider', () => {
  const issuer = 'https://idp.example.test/realms/mail';
  const custom: OAuthClientConfig = { ...google, provider: 'custom', clientId: 'kiln', clientSecret: 's3cret', issuer };

  function discovering(methods: string[]) {
    const seen: string[] = [];
    const bodies: { url: string; headers: Record<string, string>; body: URLSearchParams }[] = [];
    const fetch: OAuthFetch = async (url, init) => {
      seen.push(url);
      if (url.endsWith('/.well-known/openid-configuration')) {
        const doc = { issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, token_endpoint_auth_methods_supported: methods };
        return new Response(JSON.stringify(doc), { status: 200, headers: { 'content-type': 'application/json' } });
      }
      bodies.push({ url, headers: init.headers, body: new URLSearchParams(init.body as URLSearchParams) });
      return new Response(JSON.stringify(ok(1).json), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    return { fetch, seen, bodies };
  }

  it('finds the token endpoint by OpenID discovery on the issuer (once) and sends the secret by HTTP Basic', async () => {
    const f = discovering(['client_secret_basic', 'client_secret_post']);
    const clock = new ManualClock();
    const tokens = tokenManager({ clock, secrets: memorySecrets({ r: 'refresh-c' }), serverFor: serverResolver({ fetch: f.fetch }), log: quiet });
    const subject: TokenSubject = { mailboxId: 'c1', refreshRef: 'r', config: async () => custom };
    await tokens.accessToken(subject);
    await tokens.accessToken(subject, { renew: true });
    expect(f.seen.filter((u) => u.includes('.well-known'))).toEqual([`${issuer}/.well-known/openid-configuration`]);
    expect(f.bodies[0]!.url).toBe(`${issuer}/token`);
    expect(f.bodies[0]!.headers.authorization).toBe(`Basic ${Buffer.from('kiln:s3cret').toString('base64')}`);
    expect(f.bodies[0]!.body.get('client_secret')).toBeNull();
  });

  it('puts the secret in the body when the server supports only client_secret_post', async () => {
    const f = discovering(['client_secret_post']);
    const tokens = tokenManager({ clock: new ManualClock(), secrets: memorySecrets({ r: 'refresh-c' }), serverFor: serverResolver({ fetch: f.fetch }), log: quiet });
    await tokens.accessToken({ mailboxId: 'c2', refreshRef: 'r', config: async () => custom });
    expect(f.bodies[0]!.body.get('client_secret')).toBe('s3cret');
    expect(f.bodies[0]!.headers.authorization).toBeUndefined();
  });
});

describe('OAuth authorization request', () => {
  it('carries an S256 challenge of the kept verifier and a state, and the code exchange sends the verifier', async () => {
    const { endpoint } = setup(google, ok);
    const server = await serverResolver({ fetch: endpoint.fetch })(google);
    const pending = await authorizationRequest(server, { redirectUri: 'http://127.0.0.1:53682/callback', loginHint: 'a@example.com' });
    const p = pending.url.searchParams;
    expect(pending.url.origin + pending.url.pathname).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expect(p.get('code_challenge_method')).toBe('S256');
    const digest = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(pending.verifier))).toString('base64url');
    expect(p.get('code_challenge')).toBe(digest);
    expect(p.get('state')).toBe(pending.state);
    expect(pending.state.length).toBeGreaterThanOrEqual(32);
    expect(p.get('scope')).toBe('https://mail.google.com/');
    expect(p.get('access_type')).toBe('offline');
    expect(p.get('code_verifier')).toBeNull();

    await expect(exchangeCode(server, pending, new URLSearchParams({ code: 'c1', state: 'wrong' }), 0)).rejects.toMatchObject({ code: 'OAUTH_CALLBACK_INVALID' });
    expect(endpoint.seen).toHaveLength(0);
    const grant = await exchangeCode(server, pending, new URLSearchParams({ code: 'c1', state: pending.state }), 0);
    expect(grant.accessToken).toBe('access-1');
    expect(Object.fromEntries(endpoint.seen[0]!.body)).toMatchObject({ grant_type: 'authorization_code', code: 'c1', code_verifier: pending.verifier, redirect_uri: 'http://127.0.0.1:53682/callback' });
  });
});
