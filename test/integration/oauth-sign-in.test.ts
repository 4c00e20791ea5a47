// OAuth sign-ins end to end against a real OpenID provider (oidc-provider on 127.0.0.1): Kiln builds
// the authorization URL, the provider's login and consent forms are posted over HTTP, and the
// provider's redirect is fetched from Kiln's own one-shot loopback listener (or the server's
// /oauth/callback route). The grant then becomes a mailbox's, once, and signs in to the mail hub.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createServer } from '../../electron/server/app';
import { codeOf, startTestCore, type TestCore } from '../helpers/core';
import { addMailHubOAuthUser } from '../helpers/mailhub';
import { addOidcUser, followAuthorization, registerOidcClient } from '../helpers/oidc-flow';
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
    const refresh = await k.core.services.secrets.get(`mailbox/${mb.id}/oauth-refresh`);
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
