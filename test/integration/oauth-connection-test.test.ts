/**
 * The connection test of an OAuth mailbox against the real authorization server (oidc-provider) and the hub's
 * token-checking Dovecot / Postfix: the `oauth` stage refreshes a token at the provider's token endpoint (said in
 * its evidence, the token never), then SMTP signs in with XOAUTH2 and IMAP with the access token. After the user
 * revokes the grant at the provider, the `oauth` stage fails OAUTH_REVOKED and nothing after it is tried.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OAuthFetch } from '../../electron/core/oauth/servers';
import { describeStages, type ProtocolTestResult } from '../../shared/domain/mailbox';
import { stageLines } from '../../electron/headless/commands/mailbox';
import { startTestCore, type TestCore } from '../helpers/core';
import { addMailHubOAuthUser } from '../helpers/mailhub';
import type { OidcClientInfo } from '../helpers/oidc';
import { waitFor } from '../helpers/wait';
import { addOidcUser, registerOidcClient, revokeGrants, signIn, type TokenResponse } from '../helpers/oidc-flow';

const hub = inject('mailhub');
const oidc = inject('oidc');
const user = `stage-${randomUUID().slice(0, 8)}@warm.test`;
const idpPassword = `idp-${randomUUID()}`;
/** Long enough that a cached token stays fresh: only a test that asks for a new one reaches the token endpoint. */
const TTL_S = 3600;

let k: TestCore;
let client: OidcClientInfo;
/** Every token Kiln was given, so the results can be searched for them. */
const received = new Set<string>();
const answers: { status: number; expiresIn?: number }[] = [];

const oauthFetch: OAuthFetch = async (url, init) => {
  const res = await fetch(url, init as RequestInit);
  if (url === oidc.endpoints.token) {
    const body = (await res.clone().json()) as Partial<TokenResponse>;
    answers.push({ status: res.status, ...(body.expires_in ? { expiresIn: body.expires_in } : {}) });
    for (const t of [body.access_token, body.refresh_token]) if (t) received.add(t);
  }
  return res;
};

async function signInKiln(): Promise<string> {
  const tokens = await signIn(oidc, user, idpPassword, undefined, client);
  for (const t of [tokens.access_token, tokens.refresh_token]) if (t) received.add(t);
  return tokens.refresh_token as string;
}

beforeAll(async () => {
  await addOidcUser(oidc, user, idpPassword);
  await addMailHubOAuthUser(hub, user);
  client = await registerOidcClient(oidc, { redirect_uris: ['http://127.0.0.1/callback'], token_endpoint_auth_method: 'client_secret_basic', kiln_access_token_ttl: TTL_S });
  k = await startTestCore({ ca: [hub.caCert], warmup: false, oauthFetch });
});

afterAll(async () => {
  await k?.core.close(5000);
});

const stage = (r: ProtocolTestResult, name: string) => r.stages.find((s) => s.stage === name)!;

describe('the connection test of an OAuth mailbox', () => {
  it('refreshes a token in an oauth stage, signs in with it, and after a revoked grant fails that stage OAUTH_REVOKED', async () => {
    const app = await k.call('oauthApps.set', { provider: 'custom', label: 'Test IdP', clientId: client.clientId, clientSecret: client.clientSecret, issuer: oidc.issuer, scopes: ['openid', 'email', 'mail'] });
    const server = { host: '127.0.0.1', security: 'starttls' as const, user };
    const mb = await k.call('mailboxes.create', {
      email: user,
      provider: 'custom',
      auth: { kind: 'oauth2', provider: 'custom', appId: app.id, refreshToken: await signInKiln() },
      smtp: { ...server, port: hub.ports.submission },
      imap: { ...server, port: hub.ports.imap },
    });

    // The watcher's first session has taken its token: Kiln holds a fresh one from here on.
    await waitFor(() => (k.core.services.feedback!.watcher(mb.id)?.rounds ?? 0) > 0, { timeoutMs: 20_000, what: 'the watcher signed in' });
    const before = answers.length;
    const r = await k.call('mailboxes.test', { id: mb.id });
    expect(r.smtp).toMatchObject({ ok: true, passed: ['oauth', 'dns', 'connect', 'tls', 'auth', 'send'] });
    expect(r.imap).toMatchObject({ ok: true, passed: ['oauth', 'dns', 'connect', 'tls', 'auth', 'select'] });
    for (const [proto, p] of [['SMTP', r.smtp], ['IMAP', r.imap!]] as const) {
      expect(p.stages.map((s) => [s.stage, s.status])).toEqual([
        ['oauth', 'passed'],
        ['dns', 'passed'],
        ['connect', 'passed'],
        ['tls', 'passed'],
        ['auth', 'passed'],
        [proto === 'SMTP' ? 'send' : 'select', 'passed'],
      ]);
      const oauth = stage(p, 'oauth');
      // Which endpoint was asked and what it answered; the scope part is unknown for a custom provider, never good.
      expect(oauth.verdict.evidence[0]).toMatchObject({ asked: `refresh_token grant at ${oidc.endpoints.token}`, answered: `token issued, expires in ${TTL_S} s` });
      expect(oauth.verdict.evidence[1]!.answered).toContain(`a custom provider publishes no scope ${proto} needs`);
      expect(oauth.verdict.state).toBe('unknown');
      expect(stage(p, 'auth').verdict.state).toBe('good');
    }
    expect(stage(r.smtp, 'auth').verdict.evidence[0]!.asked).toContain('AUTH XOAUTH2');
    // What `kiln mailbox test` and `kiln doctor` print: the oauth stage first, its scope part not ticked green.
    const cli = stageLines('SMTP', r.smtp);
    expect(cli[1]).toMatch(new RegExp(`^ {2}\\? oauth: passed \\(unknown\\) — refresh_token grant at \\S+ → token issued, expires in ${TTL_S} s; scopes granted`));
    expect(cli.slice(1).map((l) => l.split(':')[0]!.trim())).toEqual(['? oauth', '✓ dns', '✓ connect', '✓ tls', '✓ auth', '✓ send']);
    expect(describeStages(r.imap!)).toBe('oauth passed (unknown), dns passed, connect passed, tls passed, auth passed, select passed');
    // Each protocol's oauth stage asked the token endpoint (the cached token was fresh), and was answered.
    expect(answers.slice(before)).toEqual([
      { status: 200, expiresIn: TTL_S },
      { status: 200, expiresIn: TTL_S },
    ]);
    const said = JSON.stringify(r);
    expect([...received].filter((t) => said.includes(t))).toEqual([]);

    // The user withdraws consent at the provider.
    expect(await revokeGrants(oidc, user, client.clientId)).toBeGreaterThan(0);
    const revoked = await k.call('mailboxes.test', { id: mb.id });
    for (const p of [revoked.smtp, revoked.imap!]) {
      expect(p).toMatchObject({ ok: false, stage: 'oauth', code: 'OAUTH_REVOKED', passed: [] });
      expect(p.stages.map((s) => s.status)).toEqual(['failed', 'not_reached', 'not_reached', 'not_reached', 'not_reached', 'not_reached']);
      const oauth = stage(p, 'oauth');
      expect(oauth.verdict.state).toBe('bad');
      expect(oauth.verdict.evidence.at(-1)).toMatchObject({ asked: `refresh_token grant at ${oidc.endpoints.token}` });
      expect(oauth.verdict.evidence.at(-1)!.answered).toMatch(/^OAUTH_REVOKED: .*invalid_grant/);
    }
    expect(stageLines('SMTP', revoked.smtp)[1]).toMatch(/^ {2}✗ oauth: failed — .*invalid_grant.* \(OAUTH_REVOKED\)$/);
    expect(answers.at(-1)!.status).toBe(400);
    expect((await k.call('mailboxes.get', { id: mb.id })).lastError).toMatchObject({ code: 'OAUTH_REVOKED' });
  }, 60_000);
});
