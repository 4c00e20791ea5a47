// OAuth apps, OAuth mailboxes and a revoked grant through the core's one call path. The token
// endpoint is a real HTTP server on 127.0.0.1 that answers as a provider does when consent was
// withdrawn (RFC 6749 invalid_grant); the mailbox goes to error (auth, OAUTH_REVOKED) with an alert,
// its mail waits, and no refresh token reaches the API, the database (WAL included) or the logs.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codeOf, mailboxSecretRefs, refreshRefOf, startTestCore, type TestCore } from '../helpers/core';
import { waitFor } from '../helpers/wait';

const hub = inject('mailhub');
let k: TestCore;
let tokenServer: http.Server;
let tokenUrl = '';
/** Form bodies the token endpoint received. */
const requests: URLSearchParams[] = [];

beforeAll(async () => {
  tokenServer = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      requests.push(form);
      // A provider in trouble for refresh tokens named "unavailable-…"; every other grant was revoked.
      if (form.get('refresh_token')?.startsWith('unavailable-')) {
        res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'temporarily_unavailable' }));
        return;
      }
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant', error_description: 'The grant was revoked' }));
    });
  });
  await new Promise<void>((r) => tokenServer.listen(0, '127.0.0.1', r));
  tokenUrl = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/token`;
  k = await startTestCore({ ca: [hub.caCert], warmup: false });
  await k.core.services.feedback?.stop();
});

afterAll(async () => {
  await k?.core.close();
  await new Promise((r) => tokenServer?.close(r));
});

/** Everything on disk that could hold a leaked secret: the database, its WAL and the captured logs. */
function persisted(): string {
  const files = fs.readdirSync(k.dataDir).filter((f) => f.startsWith('kiln.db'));
  return files.map((f) => fs.readFileSync(path.join(k.dataDir, f)).toString('latin1')).join('\n') + k.logs.join('\n');
}

describe('OAuth apps of a workspace', () => {
  it('keeps the client secret in the secret store: answered as hasClientSecret only, kept when omitted, removed with null', async () => {
    const app = await k.call('oauthApps.set', { provider: 'google', clientId: 'g-client', clientSecret: 'g-client-secret-value' });
    expect(app).toMatchObject({ provider: 'google', clientId: 'g-client', hasClientSecret: true, label: 'Google', tenant: null });
    expect(await k.core.services.secrets.get(`oauth-app/${app.id}/client-secret`)).toBe('g-client-secret-value');
    const again = await k.call('oauthApps.set', { id: app.id, provider: 'google', clientId: 'g-client-2' });
    expect(again).toMatchObject({ id: app.id, clientId: 'g-client-2', hasClientSecret: true });
    expect(JSON.stringify(await k.call('oauthApps.list', {}))).not.toContain('g-client-secret-value');
    expect(persisted()).not.toContain('g-client-secret-value');
    expect(await k.call('oauthApps.set', { id: app.id, provider: 'google', clientId: 'g-client-2', clientSecret: null })).toMatchObject({ hasClientSecret: false });
    expect(await k.core.services.secrets.get(`oauth-app/${app.id}/client-secret`)).toBeNull();
    await k.call('oauthApps.remove', { id: app.id });
    expect((await k.call('oauthApps.list', {})).map((a) => a.id)).not.toContain(app.id);
  });

  it('refuses a custom app without an issuer or endpoints, and a tenant on a Google app', async () => {
    expect(await codeOf(k.call('oauthApps.set', { provider: 'custom', clientId: 'c' }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(k.call('oauthApps.set', { provider: 'google', clientId: 'c', tenant: 'contoso' }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(k.call('oauthApps.set', { provider: 'microsoft', clientId: 'c', tenant: 'contoso.onmicrosoft.com' }))).toBe('OK');
  });
});

describe('an OAuth mailbox', () => {
  it('is created without a password, says how it signs in, and keeps its refresh token out of answers, the database and logs', async () => {
    const app = await k.call('oauthApps.set', { provider: 'custom', clientId: 'kiln-test', authorizationEndpoint: tokenUrl.replace('/token', '/auth'), tokenEndpoint: tokenUrl, scopes: ['mail'] });
    const mb = await k.call('mailboxes.create', {
      email: 'oauth-created@kiln.test',
      auth: { kind: 'oauth2', provider: 'custom', refreshToken: 'refresh-token-created-1' },
      smtp: { host: '127.0.0.1', port: hub.ports.submission, security: 'none' },
    });
    expect(mb.auth).toEqual({ kind: 'oauth2', provider: 'custom', appId: app.id, scopes: ['mail'] });
    expect(JSON.stringify(await k.call('mailboxes.get', { id: mb.id }))).not.toContain('refresh-token-created-1');
    const ref = refreshRefOf(k, mb.id)!;
    expect(await k.core.services.secrets.get(ref)).toBe('refresh-token-created-1');
    expect(persisted()).not.toContain('refresh-token-created-1');
    // The app is in use: removing it would strand the mailbox.
    expect(await codeOf(k.call('oauthApps.remove', { id: app.id }))).toBe('CONFLICT');
    await k.call('mailboxes.delete', { id: mb.id });
    expect(await k.core.services.secrets.get(ref)).toBeNull();
    await k.call('oauthApps.remove', { id: app.id });
  });

  it('switches from a password to OAuth and back as the same mailbox: passwords and tokens are not kept across', async () => {
    const app = await k.call('oauthApps.set', { provider: 'microsoft', clientId: 'ms-switch', tenant: 'contoso.onmicrosoft.com' });
    const smtp = { host: '127.0.0.1', port: hub.ports.submission, security: 'none' as const };
    const mb = await k.call('mailboxes.create', { email: 'switch@kiln.test', smtp: { ...smtp, password: 'old-password' } });
    const s = k.core.services.secrets;
    const toOAuth = await k.call('mailboxes.update', { id: mb.id, auth: { kind: 'oauth2', provider: 'microsoft', appId: app.id, refreshToken: 'refresh-switch-1', scopes: ['https://outlook.office.com/SMTP.Send'] } });
    expect(toOAuth).toMatchObject({ id: mb.id, createdAt: mb.createdAt, auth: { kind: 'oauth2', provider: 'microsoft', appId: app.id, scopes: ['https://outlook.office.com/SMTP.Send'] } });
    expect(await s.get(`mailbox/${mb.id}/smtp`)).toBeNull();
    const grant = refreshRefOf(k, mb.id)!;
    expect(await s.get(grant)).toBe('refresh-switch-1');
    // Back to a password: the password is required, and the refresh token goes.
    expect(await codeOf(k.call('mailboxes.update', { id: mb.id, auth: { kind: 'password' } }))).toBe('VALIDATION_FAILED');
    const back = await k.call('mailboxes.update', { id: mb.id, auth: { kind: 'password' }, smtp: { password: 'new-password' } });
    expect(back).toMatchObject({ id: mb.id, auth: { kind: 'password' } });
    expect(await s.get(`mailbox/${mb.id}/smtp`)).toBe('new-password');
    expect(await s.get(grant)).toBeNull();
    expect(mailboxSecretRefs(k, mb.id)).toEqual([`mailbox/${mb.id}/smtp`]);
  });

  it('whose token endpoint is in trouble keeps sending state: the problem is shown, the mail retries later', async () => {
    const app = await k.call('oauthApps.set', { provider: 'custom', label: 'Flaky IdP', clientId: 'kiln-flaky', authorizationEndpoint: tokenUrl.replace('/token', '/auth'), tokenEndpoint: tokenUrl });
    const mb = await k.call('mailboxes.create', {
      email: 'oauth-flaky@kiln.test',
      auth: { kind: 'oauth2', provider: 'custom', appId: app.id, refreshToken: 'unavailable-1' },
      smtp: { host: '127.0.0.1', port: hub.ports.submission, security: 'none' },
    });
    const msg = await k.call('messages.send', { mailboxId: mb.id, to: ['someone@kiln.test'], subject: 'later', text: 'x' });
    const waiting = await k.waitStatus(msg.id, ['retry_scheduled', 'failed', 'sent']);
    expect(waiting.status).toBe('retry_scheduled');
    expect(waiting.lastError).toMatchObject({ code: 'OAUTH_REFRESH_FAILED', kind: 'transient' });
    const shown = await waitFor(async () => {
      const m = await k.call('mailboxes.get', { id: mb.id });
      return m.lastError && m;
    }, { what: 'the problem shown on the mailbox' });
    expect(shown).toMatchObject({ status: 'active', lastError: { stage: 'auth', code: 'OAUTH_REFRESH_FAILED' } });
    expect((await k.call('alerts.list', {})).items.find((a) => a.mailboxId === mb.id)).toBeUndefined();
  });

  it('still needs the SMTP password when created with a password, as before', async () => {
    const smtp = { host: '127.0.0.1', port: hub.ports.submission, security: 'none' as const };
    expect(await codeOf(k.call('mailboxes.create', { email: 'nopw@kiln.test', smtp }))).toBe('VALIDATION_FAILED');
    const mb = await k.call('mailboxes.create', { email: 'pw@kiln.test', smtp: { ...smtp, password: 'pw' } });
    expect(mb.auth).toEqual({ kind: 'password' });
  });

  it('whose grant was revoked goes to error (auth, OAUTH_REVOKED) with an alert; its mail waits; a new sign-in clears both', async () => {
    const app = await k.call('oauthApps.set', { provider: 'custom', label: 'Test IdP', clientId: 'kiln-test', clientSecret: 'idp-client-secret', authorizationEndpoint: tokenUrl.replace('/token', '/auth'), tokenEndpoint: tokenUrl });
    const mb = await k.call('mailboxes.create', {
      email: 'oauth-revoked@kiln.test',
      auth: { kind: 'oauth2', provider: 'custom', appId: app.id, refreshToken: 'refresh-token-revoked-1' },
      smtp: { host: '127.0.0.1', port: hub.ports.submission, security: 'none' },
    });
    const msg = await k.call('messages.send', { mailboxId: mb.id, to: ['someone@kiln.test'], subject: 'waits', text: 'x' });

    const errored = await waitFor(async () => {
      const m = await k.call('mailboxes.get', { id: mb.id });
      return m.status === 'error' && m;
    }, { what: 'the mailbox in error' });
    expect(errored.lastError).toMatchObject({ protocol: 'smtp', stage: 'auth', code: 'OAUTH_REVOKED' });
    expect(requests.some((r) => r.get('grant_type') === 'refresh_token' && r.get('refresh_token') === 'refresh-token-revoked-1')).toBe(true);
    const alert = (await k.call('alerts.list', {})).items.find((a) => a.mailboxId === mb.id);
    expect(alert).toMatchObject({ kind: 'mailbox.signInRevoked', state: 'open' });
    // Nothing was sent unauthenticated and nothing was given up: the message waits for a new sign-in.
    const waiting = await k.waitStatus(msg.id, ['retry_scheduled', 'failed', 'sent']);
    expect(waiting.status).toBe('retry_scheduled');
    expect(waiting.lastError).toMatchObject({ code: 'OAUTH_REVOKED', kind: 'transient' });
    expect(persisted()).not.toContain('refresh-token-revoked-1');
    expect(persisted()).not.toContain('idp-client-secret');

    const revokedRef = refreshRefOf(k, mb.id)!;
    const signedIn = await k.call('mailboxes.update', { id: mb.id, auth: { kind: 'oauth2', provider: 'custom', appId: app.id, refreshToken: 'refresh-token-revoked-2' } });
    expect(signedIn).toMatchObject({ status: 'active', lastError: null });
    // A new grant, a new ref; the revoked grant's token is gone from the store.
    expect(refreshRefOf(k, mb.id)).not.toBe(revokedRef);
    expect(await k.core.services.secrets.get(refreshRefOf(k, mb.id)!)).toBe('refresh-token-revoked-2');
    expect(mailboxSecretRefs(k, mb.id)).toEqual([refreshRefOf(k, mb.id)]);
    expect((await k.call('alerts.list', { state: 'all' })).items.find((a) => a.mailboxId === mb.id)).toMatchObject({ state: 'resolved' });
  });
});
