// OAuth sign-ins end to end against a real OpenID provider (oidc-provider on 127.0.0.1): Kiln builds
// the authorization URL, the provider's login and consent forms are posted over HTTP, and the
// provider's redirect is fetched from Kiln's own one-shot loopback listener (or the server's
// /oauth/callback route). The grant then becomes a mailbox's, once, and signs in to the mail hub.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createServer } from '../../electron/server/app';
import { codeOf, mailboxSecretRefs, refreshRefOf, startTestCore, type TestCore } from '../helpers/core';
import { apiClient, createToken, startKiln } from '../helpers/kiln';
import { addMailHubOAuthUser } from '../helpers/mailhub';
import { addOidcUser, confirmDeviceCode, followAuthorization, registerOidcClient, revokeGrants } from '../helpers/oidc-flow';
import { waitFor } from '../helpers/wait';

const hub = inject('mailhub');
const oidc = inject('oidc');
const user = `signin-${randomUUID().slice(0, 8)}@warm.test`;
const password = 'idp-signin-pw';
const opened: string[] = [];
let k: TestCore;
let appId = '';

beforeAll(async () => {
  await addOidcUser(oidc, user, password);
  await addMailHubOAuthUser(hub, user);
  // A native public client: a loopback redirect URI matches on any port (RFC 8252 §7.3).
  const client = await registerOidcClient(oidc, { redirect_uris: ['http://127.0.0.1/oauth/callback'], token_endpoint_auth_method: 'none' });
  k = await startTestCore({ ca: [hub.caCert], warmup: false, openBrowser: (url) => void opened.push(url), publicUrl: 'http://127.0.0.1:7999' });
  await k.core.services.feedback?.stop();
  appId = (await k.call('oauthApps.set', { provider: 'custom', clientId: client.clientId, issuer: oidc.issuer, scopes: ['openid', 'email', 'offline_access', 'mail'] })).id;
});

afterAll(async () => {
  await k?.core.close();
});

/** The database (WAL included) and the captured logs: where a leaked code or token would stay. */
function persisted(): string {
  const files = fs.readdirSync(k.dataDir).filter((f) => f.startsWith('kiln.db'));
  return files.map((f) => fs.readFileSync(path.join(k.dataDir, f)).toString('latin1')).join('\n') + k.logs.join('\n');
}

/** Signs in at the provider as `user` and returns the redirect back to Kiln (not yet fetched). */
async function atProvider(signIn: { url: string | null; redirectUri: string | null }, consent = true) {
  return followAuthorization(oidc, signIn.url!, signIn.redirectUri!, { user, password, consent });
}

async function back(callbackUrl: string): Promise<{ status: number; html: string }> {
  const res = await fetch(callbackUrl);
  return { status: res.status, html: await res.text() };
}

const smtp = () => ({ host: '127.0.0.1', port: hub.ports.submission, security: 'starttls' as const });

describe('the loopback sign-in', () => {
  it('completes through the provider\'s redirects, and its grant becomes one mailbox\'s, once', async () => {
    const s = await k.call('oauthSignIns.start', { provider: 'custom', loginHint: user });
    expect(s).toMatchObject({ status: 'waiting', flow: 'loopback', appId, browserOpened: true, account: null });
    expect(s.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
    expect(opened.at(-1)).toBe(s.url);
    const url = new URL(s.url!);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ code_challenge_method: 'S256', login_hint: user, redirect_uri: s.redirectUri, response_type: 'code' });

    const cb = await atProvider(s);
    expect(cb.code).toBeTruthy();
    const page = await back(cb.callbackUrl);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Signed in');
    expect(page.html).not.toContain(cb.code!);
    const done = await k.call('oauthSignIns.get', { id: s.id });
    expect(done).toMatchObject({ status: 'signedIn', account: user, error: null });
    expect(done.scopes).toEqual(expect.arrayContaining(['openid', 'mail']));
    // One-shot: the listener is gone once the sign-in settled.
    await expect(fetch(cb.callbackUrl)).rejects.toThrow();

    const mb = await k.call('mailboxes.create', { email: user, provider: 'custom', auth: { kind: 'oauth2', signInId: s.id }, smtp: smtp() });
    expect(mb.auth).toMatchObject({ kind: 'oauth2', provider: 'custom', appId });
    expect((await k.call('oauthSignIns.get', { id: s.id })).status).toBe('used');
    const refresh = await k.core.services.secrets.get(refreshRefOf(k, mb.id)!);
    expect(refresh).toBeTruthy();
    expect(persisted()).not.toContain(refresh!);
    expect(persisted()).not.toContain(cb.code!);
    expect(JSON.stringify(await k.call('oauthSignIns.get', { id: s.id }))).not.toContain(refresh!);

    // A second use of the same sign-in is refused.
    expect(await codeOf(k.call('mailboxes.create', { email: `again-${user}`, provider: 'custom', auth: { kind: 'oauth2', signInId: s.id }, smtp: smtp() }))).toBe('CONFLICT');

    // The grant signs in to the hub: a message goes out over XOAUTH2 with the refreshed access token.
    const msg = await k.call('messages.send', { mailboxId: mb.id, to: [user], subject: 'signed in', text: 'hello' });
    expect((await k.waitStatus(msg.id, ['sent', 'failed', 'retry_scheduled'])).status).toBe('sent');
  });
});

const stateOf = (s: { url: string | null }) => new URL(s.url!).searchParams.get('state')!;
const at = (s: { redirectUri: string | null }, q: Record<string, string>) => `${s.redirectUri}?${new URLSearchParams(q)}`;

describe('a sign-in callback that cannot be accepted', () => {
  it('with a wrong state is answered 400 and the sign-in keeps waiting for its real answer', async () => {
    const s = await k.call('oauthSignIns.start', { provider: 'custom' });
    const page = await back(at(s, { code: 'forged-code', state: 'not-the-state' }));
    expect(page.status).toBe(400);
    expect(page.html).toContain('OAUTH_CALLBACK_INVALID');
    expect(page.html).not.toContain('forged-code');
    expect((await k.call('oauthSignIns.get', { id: s.id })).status).toBe('waiting');
    // The real answer still completes it.
    expect((await back((await atProvider(s)).callbackUrl)).status).toBe(200);
    expect((await k.call('oauthSignIns.get', { id: s.id })).status).toBe('signedIn');
  });

  it('without a code fails the sign-in with OAUTH_CALLBACK_INVALID', async () => {
    const s = await k.call('oauthSignIns.start', { provider: 'custom' });
    expect((await back(at(s, { state: stateOf(s), iss: oidc.issuer }))).status).toBe(400);
    const after = await k.call('oauthSignIns.get', { id: s.id });
    expect(after).toMatchObject({ status: 'failed', error: { code: 'OAUTH_CALLBACK_INVALID' } });
    expect(after.error!.message).toContain('no authorization code');
  });

  it('after the person denied consent (access_denied) fails the sign-in and says so', async () => {
    const s = await k.call('oauthSignIns.start', { provider: 'custom' });
    const cb = await atProvider(s, false);
    expect(cb.error).toBe('access_denied');
    const page = await back(cb.callbackUrl);
    expect(page.status).toBe(400);
    expect(page.html).toContain('access_denied');
    const after = await k.call('oauthSignIns.get', { id: s.id });
    expect(after).toMatchObject({ status: 'failed', error: { code: 'OAUTH_CALLBACK_INVALID' } });
    expect(after.error!.message).toContain('access_denied');
  });

  it('carrying a provider error (server_error) fails the sign-in', async () => {
    const s = await k.call('oauthSignIns.start', { provider: 'custom' });
    expect((await back(at(s, { error: 'server_error', error_description: 'The server is down', state: stateOf(s), iss: oidc.issuer }))).status).toBe(400);
    const after = await k.call('oauthSignIns.get', { id: s.id });
    expect(after).toMatchObject({ status: 'failed', error: { code: 'OAUTH_CALLBACK_INVALID' } });
    expect(after.error!.message).toContain('server_error');
    expect(await codeOf(k.call('mailboxes.create', { email: `x-${user}`, provider: 'custom', auth: { kind: 'oauth2', signInId: s.id }, smtp: smtp() }))).toBe('VALIDATION_FAILED');
  });

  it('replayed after success (server flow) is refused, and the grant it would replay is dropped', async () => {
    const server = await createServer(k.core, { logger: k.core.services.log, version: 'test' });
    try {
      const s = await k.call('oauthSignIns.start', { provider: 'custom', flow: 'server' });
      expect(s.redirectUri).toBe('http://127.0.0.1:7999/oauth/callback');
      const cb = await atProvider(s);
      const callback = new URL(cb.callbackUrl);
      const first = await server.inject({ method: 'GET', url: `${callback.pathname}${callback.search}` });
      expect(first.statusCode).toBe(200);
      expect((await k.call('oauthSignIns.get', { id: s.id })).status).toBe('signedIn');
      const replay = await server.inject({ method: 'GET', url: `${callback.pathname}${callback.search}` });
      expect(replay.statusCode).toBe(400);
      expect(replay.body).toContain('OAUTH_CALLBACK_INVALID');
      expect(replay.body).not.toContain(cb.code!);
      expect(await k.call('oauthSignIns.get', { id: s.id })).toMatchObject({ status: 'failed', error: { code: 'OAUTH_CALLBACK_INVALID' } });
      // An unknown state at the server's route touches no sign-in.
      expect((await server.inject({ method: 'GET', url: '/oauth/callback?state=nobody&code=x' })).statusCode).toBe(400);
      expect(persisted()).not.toContain(cb.code!);
    } finally {
      await server.close();
    }
    expect(persisted()).not.toContain('code_verifier');
  });

  it('is not possible after the sign-in expired: its listener is closed', async () => {
    const s = await k.call('oauthSignIns.start', { provider: 'custom' });
    k.clock.advance(10 * 60_000 + 1);
    expect((await k.call('oauthSignIns.get', { id: s.id })).status).toBe('expired');
    await expect(fetch(at(s, { state: stateOf(s), code: 'late' }))).rejects.toThrow();
  });

  it('the server flow is refused where there is no server', async () => {
    const local = await startTestCore({ warmup: false });
    try {
      await local.call('oauthApps.set', { provider: 'custom', clientId: 'x', issuer: oidc.issuer });
      expect(await codeOf(local.call('oauthSignIns.start', { provider: 'custom', flow: 'server' }))).toBe('VALIDATION_FAILED');
    } finally {
      await local.core.close();
    }
  });
});

describe('reconnecting a mailbox whose grant was revoked', () => {
  it('takes a new sign-in: the error and the alert clear and the waiting mail goes', async () => {
    const reUser = `reconnect-${randomUUID().slice(0, 8)}@warm.test`;
    await addOidcUser(oidc, reUser, password);
    await addMailHubOAuthUser(hub, reUser);
    const signInAs = async (mailboxId?: string) => {
      const s = await k.call('oauthSignIns.start', { provider: 'custom', ...(mailboxId ? { mailboxId } : { loginHint: reUser }) });
      const cb = await followAuthorization(oidc, s.url!, s.redirectUri!, { user: reUser, password });
      expect((await back(cb.callbackUrl)).status).toBe(200);
      return s;
    };
    const first = await signInAs();
    const mb = await k.call('mailboxes.create', { email: reUser, provider: 'custom', auth: { kind: 'oauth2', signInId: first.id }, smtp: smtp() });
    await revokeGrants(oidc, reUser);
    const msg = await k.call('messages.send', { mailboxId: mb.id, to: [reUser], subject: 'waits', text: 'x' });
    await waitFor(async () => (await k.call('mailboxes.get', { id: mb.id })).status === 'error');
    expect((await k.call('mailboxes.get', { id: mb.id })).lastError).toMatchObject({ code: 'OAUTH_REVOKED' });
    const alertOpen = async () => (await k.call('alerts.list', {})).items.some((a) => a.kind === 'mailbox.signInRevoked' && a.mailboxId === mb.id && a.state === 'open');
    await waitFor(alertOpen);

    const again = await signInAs(mb.id);
    expect(new URL(again.url!).searchParams.get('login_hint')).toBe(reUser);
    const reconnected = await k.call('mailboxes.update', { id: mb.id, auth: { kind: 'oauth2', signInId: again.id } });
    expect(reconnected).toMatchObject({ status: 'active', lastError: null });
    expect(await alertOpen()).toBe(false);
    expect((await k.waitStatus(msg.id, ['sent', 'failed'])).status).toBe('sent');
  });
});

describe('mailboxes.update with a refresh token', () => {
  it('stores nothing when the rest of the update is refused', async () => {
    const mb = await k.call('mailboxes.create', { email: `validate-${user}`, provider: 'custom', auth: { kind: 'oauth2', provider: 'custom', refreshToken: 'refresh-before' }, smtp: smtp() });
    const refused = k.call('mailboxes.update', { id: mb.id, auth: { kind: 'oauth2', provider: 'custom', refreshToken: 'refresh-after' }, imap: { host: 'imap.example.com', port: 143, security: 'none' } });
    expect(await codeOf(refused)).toBe('INSECURE_TRANSPORT');
    expect(await k.core.services.secrets.get(refreshRefOf(k, mb.id)!)).toBe('refresh-before');
    // Nothing was stored at a new grant's ref either.
    expect(mailboxSecretRefs(k, mb.id)).toEqual([refreshRefOf(k, mb.id)]);
  });
});

describe('the device sign-in', () => {
  it('shows a user code; once the person confirms it at the provider, Kiln polls its way to signedIn', async () => {
    const client = await registerOidcClient(oidc, {
      redirect_uris: ['http://127.0.0.1/oauth/callback'],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
    });
    const device = await k.call('oauthApps.set', { provider: 'custom', label: 'Device', clientId: client.clientId, issuer: oidc.issuer, scopes: ['openid', 'email', 'offline_access', 'mail'] });
    const s = await k.call('oauthSignIns.start', { provider: 'custom', appId: device.id, flow: 'device' });
    expect(s).toMatchObject({ flow: 'device', status: 'waiting', url: null, redirectUri: null });
    expect(s.userCode).toBeTruthy();
    expect(s.verificationUri).toBe(`${oidc.issuer}/device`);
    await confirmDeviceCode(oidc, s.verificationUri!, s.userCode!, { user, password });
    const done = await waitFor(async () => {
      const now = await k.call('oauthSignIns.get', { id: s.id });
      return now.status !== 'waiting' && now;
    }, { timeoutMs: 30_000, what: 'the device sign-in to settle' });
    expect(done).toMatchObject({ status: 'signedIn', account: user });
    expect(done.scopes).toContain('mail');
  });

  it('is refused where the provider has no device endpoint', async () => {
    const google = await k.call('oauthApps.set', { provider: 'google', clientId: 'g-no-device' });
    expect(await codeOf(k.call('oauthSignIns.start', { provider: 'google', appId: google.id, flow: 'device' }))).toBe('OAUTH_NOT_CONFIGURED');
  });
});

describe('the server sign-in through `kiln serve`', () => {
  it('comes back to the server\'s own /oauth/callback (no token needed) and is signed in', async () => {
    const kiln = await startKiln({ args: ['--no-feedback', '--no-warmup'] });
    try {
      const api = apiClient(`${kiln.url}/api/v1`, await createToken(kiln.dataDir, 'admin'));
      const client = await registerOidcClient(oidc, { redirect_uris: ['http://127.0.0.1/oauth/callback'], token_endpoint_auth_method: 'none' });
      expect((await api.post('/oauth/apps', { provider: 'custom', clientId: client.clientId, issuer: oidc.issuer, scopes: ['openid', 'email', 'offline_access', 'mail'] })).status).toBe(200);
      const started = await api.post('/oauth/sign-ins', { provider: 'custom', flow: 'server' });
      expect(started.status).toBe(200);
      const s = started.body.data as { id: string; url: string; redirectUri: string };
      // Without --public-url the callback is on the address the server bound.
      expect(s.redirectUri).toBe(`${kiln.url}/oauth/callback`);
      const cb = await atProvider(s);
      const page = await back(cb.callbackUrl);
      expect(page.status).toBe(200);
      expect(page.html).toContain('Signed in');
      expect((await api.get(`/oauth/sign-ins/${s.id}`)).body.data).toMatchObject({ status: 'signedIn', account: user });
      expect(kiln.output()).not.toContain(cb.code!);
    } finally {
      await kiln.stop();
    }
  });
});
