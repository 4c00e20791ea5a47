/**
 * The live proof of OAuth mailboxes: a Kiln core signs in to the hub's token-checking Dovecot (IMAP, and Postfix
 * submission through Dovecot SASL) with access tokens from the real authorization server only; the hub user has no
 * password. Kiln sends with XOAUTH2 and its IMAP watcher sees the mail across several refreshes, a refused token is
 * renewed once (SMTP and the watcher's reconnect), a revoked grant stops the mailbox while its mail waits, and a new
 * sign-in sends that mail. No token Kiln received is left in the data folder or the logs.
 *
 * Token lifetime: the provider issues 62-second access tokens (a client registered with kiln_access_token_ttl: 62).
 * Kiln refreshes 60 s ahead of expiry on its injected (simulated) clock, so a token is fresh for Kiln for 2 s of that
 * clock: the test moves it 3 s to make the next use refresh. A lifetime under 60 s would make every use refresh (the
 * cache is never fresh enough), which would not prove the cache or the renewal. The server's side of expiry is real
 * time: once the provider says the token Kiln still holds is inactive, Dovecot refuses it and Kiln must renew.
 * Refreshes are counted on the wire (the token endpoint's answers to Kiln), never from timing.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OAuthFetch } from '../../electron/core/oauth/servers';
import { startTestCore, type TestCore } from '../helpers/core';
import { addMailHubOAuthUser } from '../helpers/mailhub';
import type { OidcClientInfo } from '../helpers/oidc';
import { addOidcUser, registerOidcClient, revokeGrants, signIn, type TokenResponse } from '../helpers/oidc-flow';
import { startProxy } from '../helpers/tcp-proxy';
import { waitFor } from '../helpers/wait';

const hub = inject('mailhub');
const oidc = inject('oidc');
const user = `live-${randomUUID().slice(0, 8)}@warm.test`;
const idpPassword = `idp-${randomUUID()}`;
const TTL_S = 62;
/** Enough simulated time for Kiln's cached token to be due (TTL - 60 s ahead, plus a second). */
const TOKEN_DUE_MS = (TTL_S - 60 + 1) * 1000;

let k: TestCore;
let client: OidcClientInfo;
/** Between Kiln and the hub, so a test can drop Kiln's IMAP session and its pooled SMTP connection. */
let proxy: Awaited<ReturnType<typeof startProxy>>;
let smtpProxy: Awaited<ReturnType<typeof startProxy>>;
/** Every answer of the token endpoint to Kiln, as seen on the wire (Kiln's oauthFetch). */
const exchanges: { grant: string | null; status: number; body: Partial<TokenResponse> & { error?: string } }[] = [];
/** Every token Kiln was given: by the test (sign-ins) or by the token endpoint. */
const received = new Set<string>();

const oauthFetch: OAuthFetch = async (url, init) => {
  const res = await fetch(url, init as RequestInit);
  if (url === oidc.endpoints.token) {
    const body = (await res.clone().json()) as (typeof exchanges)[number]['body'];
    exchanges.push({ grant: new URLSearchParams(String(init.body)).get('grant_type'), status: res.status, body });
    for (const t of [body.access_token, body.refresh_token]) if (t) received.add(t);
  }
  return res;
};
const refreshes = () => exchanges.filter((e) => e.grant === 'refresh_token' && e.status === 200);
const lastAccessToken = () => refreshes().at(-1)!.body.access_token!;

/** Sign-in and consent through the provider's real pages, for the test's registered client. */
async function signInKiln(): Promise<string> {
  const tokens = await signIn(oidc, user, idpPassword, undefined, client);
  expect(tokens.expires_in).toBe(TTL_S);
  for (const t of [tokens.access_token, tokens.refresh_token]) if (t) received.add(t);
  return tokens.refresh_token as string;
}

beforeAll(async () => {
  await addOidcUser(oidc, user, idpPassword);
  await addMailHubOAuthUser(hub, user);
  client = await registerOidcClient(oidc, { redirect_uris: ['http://127.0.0.1/callback'], token_endpoint_auth_method: 'client_secret_basic', kiln_access_token_ttl: TTL_S });
  proxy = await startProxy(hub.ports.imap);
  smtpProxy = await startProxy(hub.ports.submission);
  // Watchers also poll every second, as in the other feedback tests: a restarted watcher (the new sign-in) finds the
  // mail whether or not its IDLE saw it arrive.
  k = await startTestCore({ ca: [hub.caCert], warmup: false, backoff: [1], oauthFetch, feedbackPollMs: 1000, engagement: { open: 0, flag: 0, reply: 0 } });
});

afterAll(async () => {
  await k?.core.close(5000);
  await proxy?.close();
  await smtpProxy?.close();
});

/** Asks the provider about a token as the mail hub's Dovecot does. */
async function introspect(token: string): Promise<{ active: boolean }> {
  const { clientId, clientSecret } = oidc.clients.dovecot;
  const res = await fetch(oidc.endpoints.introspection, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
    body: new URLSearchParams({ token }).toString(),
  });
  return (await res.json()) as { active: boolean };
}

/** Every file of the data folder (database, WAL, shm, anything else) and the captured logs, as text. */
function persisted(): string {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) files.push(p);
    }
  };
  walk(k.dataDir);
  expect(files.some((f) => f.endsWith('kiln.db'))).toBe(true);
  return files.map((f) => fs.readFileSync(f).toString('latin1')).join('\n') + k.logs.join('\n');
}

describe('an OAuth mailbox on a token-checking mail server', () => {
  it('sends and watches across refreshes, renews a refused token, stops on a revoked grant with its mail waiting, resumes after a new sign-in', async () => {
    const app = await k.call('oauthApps.set', { provider: 'custom', label: 'Test IdP', clientId: client.clientId, clientSecret: client.clientSecret, issuer: oidc.issuer, scopes: ['openid', 'email', 'mail'] });
    const server = { host: '127.0.0.1', security: 'starttls' as const, user };
    const mb = await k.call('mailboxes.create', {
      email: user,
      provider: 'custom',
      auth: { kind: 'oauth2', provider: 'custom', appId: app.id, refreshToken: await signInKiln() },
      smtp: { ...server, port: smtpProxy.port },
      imap: { ...server, port: proxy.port },
    });
    const watcher = () => k.core.services.feedback!.watcher(mb.id);
    await waitFor(() => (watcher()?.rounds ?? 0) > 0, { timeoutMs: 20_000, what: 'the watcher signed in with a token' });
    // Kiln keeps only the refresh token of a sign-in: its first connection refreshed once.
    expect(refreshes().length).toBe(1);

    /**
     * Sends to itself; resolves when the message is sent and the IMAP watcher has placed it. Then drops the pool's
     * idle SMTP connection, so the next send signs in again (dropped well before it, so the pool has seen the close).
     */
    const roundTrip = async (label: string) => {
      const msg = await k.call('messages.send', { mailboxId: mb.id, to: [user], subject: `live ${label}`, text: `round ${label}` });
      expect((await k.waitStatus(msg.id, ['sent', 'failed', 'retry_scheduled'], 30_000)).status).toBe('sent');
      const p = await waitFor(async () => (await k.call('messages.get', { id: msg.id })).placements[0], { timeoutMs: 30_000, what: `the watcher seeing ${label}` });
      expect(p.placement).toBe('inbox');
      await smtpProxy.cut();
      await smtpProxy.restore();
    };
    /** Drops the watcher's IMAP connection; resolves once it signed in again and finished a round. */
    const reconnectWatcher = async () => {
      const before = watcher()!.rounds;
      await proxy.cut();
      await proxy.restore();
      await waitFor(() => watcher()!.rounds > before, { timeoutMs: 20_000, what: 'the watcher back after a reconnect' });
    };

    // Three token lifetimes: each use after the cached token is due refreshes it (and the refresh token rotates).
    for (let i = 1; i <= 3; i++) {
      k.advance(TOKEN_DUE_MS);
      await roundTrip(`lifetime ${i}`);
      expect(refreshes().length).toBe(1 + i);
      await reconnectWatcher(); // the watcher's new session takes the cached, still-fresh token
      expect(refreshes().length).toBe(1 + i);
    }

    // The refresh token rotated three times, yet it is the same grant: a change that is not IMAP's keeps the session.
    const session = watcher();
    await k.call('mailboxes.update', { id: mb.id, displayName: 'Live sender' });
    await k.core.services.feedback!.settled();
    expect(watcher()).toBe(session);

    // The token expires at the provider in real time while Kiln, whose clock has not moved, still holds it as
    // fresh: Dovecot refuses it, and the send's SMTP AUTH and the watcher's new session each renew once and get in.
    const stale = lastAccessToken();
    await waitFor(async () => !(await introspect(stale)).active, { timeoutMs: (TTL_S + 30) * 1000, intervalMs: 1000, what: 'the access token expired at the provider' });
    const before = refreshes().length;
    await Promise.all([reconnectWatcher(), roundTrip('after a refused token')]);
    expect(refreshes().length).toBeGreaterThan(before);
    expect(lastAccessToken()).not.toBe(stale);
    expect((await k.call('mailboxes.get', { id: mb.id })).status).toBe('active');

    // The user withdraws consent at the provider: the next refresh is refused and the mailbox stops.
    expect(await revokeGrants(oidc, user, client.clientId)).toBeGreaterThan(0);
    const refused = exchanges.length;
    // No pooled SMTP session may carry the send past the revocation: the next one must sign in.
    await smtpProxy.cut();
    await smtpProxy.restore();
    k.advance(TOKEN_DUE_MS);
    const waiting = await k.call('messages.send', { mailboxId: mb.id, to: [user], subject: 'live waits', text: 'sent after a new sign-in' });
    const errored = await waitFor(async () => {
      const m = await k.call('mailboxes.get', { id: mb.id });
      return m.status === 'error' && m;
    }, { timeoutMs: 20_000, what: 'the mailbox in error' });
    expect(errored.lastError).toMatchObject({ stage: 'auth', code: 'OAUTH_REVOKED' });
    // Within one refresh: the first refresh after the revocation was the refused one.
    expect(exchanges[refused]).toMatchObject({ grant: 'refresh_token', status: 400, body: { error: 'invalid_grant' } });
    expect((await k.call('alerts.list', {})).items.find((a) => a.mailboxId === mb.id)).toMatchObject({ kind: 'mailbox.signInRevoked', state: 'open' });
    expect((await k.waitStatus(waiting.id, ['retry_scheduled', 'failed', 'sent'])).status).toBe('retry_scheduled');
    // Its retry time comes and goes: a mailbox in error is not dispatched, so the mail neither fails nor goes out.
    k.advance(5 * 60_000);
    expect((await k.call('messages.get', { id: waiting.id })).status).toBe('retry_scheduled');

    // A new sign-in: the waiting mail goes out and lands, the alert resolves.
    const signedIn = await k.call('mailboxes.update', { id: mb.id, auth: { kind: 'oauth2', provider: 'custom', appId: app.id, refreshToken: await signInKiln() } });
    expect(signedIn).toMatchObject({ status: 'active', lastError: null });
    k.advance(2 * 60_000);
    expect((await k.waitStatus(waiting.id, ['sent', 'failed'], 30_000)).status).toBe('sent');
    expect((await waitFor(async () => (await k.call('messages.get', { id: waiting.id })).placements[0], { timeoutMs: 30_000, what: 'the waiting mail placed' })).placement).toBe('inbox');
    expect((await k.call('alerts.list', { state: 'all' })).items.find((a) => a.mailboxId === mb.id)).toMatchObject({ state: 'resolved' });

    // Secrets: no refresh or access token Kiln received, nor the client secret, in any file of the data folder or the logs.
    expect(received.size).toBeGreaterThanOrEqual(12);
    const onDisk = persisted();
    const leaked = [...received, client.clientSecret as string].filter((t) => onDisk.includes(t));
    expect(leaked).toEqual([]);
  }, 240_000);
});
