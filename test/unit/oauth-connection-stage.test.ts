// The connection test's `oauth` stage against a fake token endpoint (Microsoft's cannot be reached from here):
// the token manager refreshes through it, and the stage checks the grant against what each protocol needs.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../electron/core/clock';
import type { MailboxRow } from '../../electron/core/db/schema';
import { EventBus } from '../../electron/core/events/bus';
import { testImap, testSmtp } from '../../electron/core/mail/connection-test';
import { tokenProbes } from '../../electron/core/oauth/credentials';
import { serverResolver, type OAuthClientConfig, type OAuthFetch } from '../../electron/core/oauth/servers';
import { tokenManager } from '../../electron/core/oauth/tokens';

const microsoft: OAuthClientConfig = { provider: 'microsoft', clientId: 'ms-client', clientSecret: null, tenant: 'contoso.onmicrosoft.com', issuer: null, authorizationEndpoint: null, tokenEndpoint: null, scopes: null };
const TOKEN_URL = 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token';
const ACCESS = 'access-token-never-shown';

/** A port on 127.0.0.1 nothing listens on: the stages after `oauth` fail at connect, which this test does not look at. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function setup(config: OAuthClientConfig, scope: string) {
  const clock = new ManualClock();
  const asked: string[] = [];
  const fetch: OAuthFetch = async (url) => {
    asked.push(url);
    return new Response(JSON.stringify({ access_token: ACCESS, token_type: 'Bearer', expires_in: 3600, scope }), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const secrets = new Map([['mailbox/m1/oauth', 'refresh-1']]);
  const tokens = tokenManager({
    clock,
    secrets: { get: async (r: string) => secrets.get(r) ?? null, set: async (r: string, v: string) => void secrets.set(r, v) },
    serverFor: serverResolver({ fetch }),
    log: { info: () => {}, warn: () => {} },
  });
  const probeOf = tokenProbes({ secretOf: async () => '', tokens, apps: { clientConfig: async () => config }, bus: new EventBus() });
  const row = { id: 'm1', oauth_secret_ref: 'mailbox/m1/oauth', oauth_app_id: 'app1' } as MailboxRow;
  return { clock, asked, probeOf, row };
}

describe('the oauth stage of a connection test', () => {
  it('fails SMTP with OAUTH_SCOPE_MISSING naming SMTP.Send when a Microsoft grant lacks it, while IMAP passes it', async () => {
    const { clock, asked, probeOf, row } = setup(microsoft, 'https://outlook.office.com/IMAP.AccessAsUser.All');
    const server = { host: '127.0.0.1', port: await closedPort(), security: 'none' as const, user: 'a@contoso.com' };
    const opts = { now: () => clock.now(), timeoutMs: 5_000 };

    const smtp = await testSmtp({ ...server, oauth: probeOf(row, 'smtp') }, opts);
    expect(smtp).toMatchObject({ ok: false, stage: 'oauth', code: 'OAUTH_SCOPE_MISSING', passed: [] });
    expect(smtp.message).toContain('https://outlook.office.com/SMTP.Send');
    expect(smtp.stages.map((s) => [s.stage, s.status])).toEqual([
      ['oauth', 'failed'],
      ['dns', 'not_reached'],
      ['connect', 'not_reached'],
      ['tls', 'not_used'],
      ['auth', 'not_reached'],
      ['send', 'not_reached'],
    ]);
    const oauth = smtp.stages[0]!.verdict;
    expect(oauth.state).toBe('bad');
    expect(oauth.evidence[0]).toMatchObject({ asked: `refresh_token grant at ${TOKEN_URL}`, answered: 'token issued, expires in 3600 s' });
    expect(oauth.evidence[1]).toMatchObject({ asked: 'scopes granted, against what SMTP needs (https://outlook.office.com/SMTP.Send)' });
    expect(oauth.evidence[1]!.answered).toMatch(/^OAUTH_SCOPE_MISSING: .*SMTP\.Send/);

    const imap = await testImap({ ...server, oauth: probeOf(row, 'imap') }, opts);
    const imapOAuth = imap.stages[0]!;
    expect(imapOAuth).toMatchObject({ stage: 'oauth', status: 'passed', verdict: { state: 'good' } });
    expect(imapOAuth.verdict.evidence[1]).toMatchObject({ answered: 'granted: https://outlook.office.com/IMAP.AccessAsUser.All' });
    expect(imap.stage).toBe('connect'); // nothing listens: the test went on past oauth

    // Each protocol's stage refreshed at Microsoft's endpoint; the token is in no result.
    expect(asked).toEqual([TOKEN_URL, TOKEN_URL]);
    expect(JSON.stringify([smtp, imap])).not.toContain(ACCESS);
  });

  it('passes both protocols for a Microsoft grant with both scopes', async () => {
    const { clock, probeOf, row } = setup(microsoft, 'https://outlook.office.com/SMTP.Send https://outlook.office.com/IMAP.AccessAsUser.All');
    const server = { host: '127.0.0.1', port: await closedPort(), security: 'none' as const, user: 'a@contoso.com' };
    for (const r of [await testSmtp({ ...server, oauth: probeOf(row, 'smtp') }, { now: () => clock.now() }), await testImap({ ...server, oauth: probeOf(row, 'imap') }, { now: () => clock.now() })]) {
      expect(r.stages[0]).toMatchObject({ stage: 'oauth', status: 'passed', verdict: { state: 'good' } });
      expect(r.stage).toBe('connect');
    }
  });

  it('has no oauth stage for a password mailbox', async () => {
    const r = await testSmtp({ host: '127.0.0.1', port: await closedPort(), security: 'none', user: 'a', password: 'p' });
    expect(r.stages.map((s) => s.stage)).toEqual(['dns', 'connect', 'tls', 'auth', 'send']);
  });
});
