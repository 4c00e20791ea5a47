import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestCore, type TestCore } from '../helpers/core';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server';
import { addMailHubUser } from '../helpers/mailhub';
import { hubAccount, uniqueUser } from '../helpers/imap';
import { startProxy } from '../helpers/tcp-proxy';
import type { Mailbox } from '../../shared/domain/mailbox';

// A connection test through the core's one call path, against the real mail hub on 127.0.0.1: what
// each stage says (TLS "not used" on a plaintext connection), what a failed test leaves on the
// mailbox (status error + lastError, as a failed send does, seen by the fleet and its alerts), what
// a passing test clears, and that errors name hosts whole and never carry the password. Names are
// resolved by the test DNS server (the core's dnsServers option): nothing leaves 127.0.0.1.

const hub = inject('mailhub');
let k: TestCore;
let dns: TestDnsServer;

beforeAll(async () => {
  dns = await startDnsServer({});
  k = await startTestCore({ ca: [hub.caCert], dnsServers: [dns.server], warmup: false });
  // Nothing may send or watch behind the test's back: the mailbox's state is the test's alone.
  await k.core.services.dispatcher?.stop();
  await k.core.services.feedback?.stop();
});

afterAll(async () => {
  await k?.core.close();
  await dns?.close();
});

async function hubUser(prefix: string): Promise<{ address: string; password: string }> {
  const u = uniqueUser(prefix);
  await addMailHubUser(hub, u.address, u.password);
  return u;
}

const get = (id: string): Promise<Mailbox> => k.call('mailboxes.get', { id });
const fleetRow = async (id: string) => (await k.call('fleet.get', {})).mailboxes.find((m) => m.id === id)!;

describe('stages of a plaintext connection (security "none" on the hub\'s plain ports)', () => {
  it('says tls "not used" (verdict na), never passed, for SMTP and IMAP', async () => {
    const u = await hubUser('plain');
    const plain = { host: '127.0.0.1', security: 'none' as const, user: u.address, password: u.password };
    const mb = await k.call('mailboxes.create', { email: u.address, smtp: { ...plain, port: hub.ports.submission }, imap: { ...plain, port: hub.ports.imap } });
    const r = await k.call('mailboxes.test', { id: mb.id });
    expect(r.smtp).toMatchObject({ ok: true, passed: ['dns', 'connect', 'auth', 'send'] });
    expect(r.imap).toMatchObject({ ok: true, passed: ['dns', 'connect', 'auth', 'select'] });
    for (const res of [r.smtp, r.imap!]) {
      expect(res.stages.map((s) => `${s.stage} ${s.status} ${s.verdict.state}`)).toContain('tls not_used na');
      expect(res.stages.filter((s) => s.stage !== 'tls').every((s) => s.status === 'passed' && s.verdict.state === 'good' && s.verdict.evidence.length > 0)).toBe(true);
    }
    expect(await get(mb.id)).toMatchObject({ status: 'active', lastError: null });
  });
});

describe('a failed connection test leaves its mark on the mailbox', () => {
  it('a wrong password: status error, lastError smtp auth, fleet state error with an alert; fixed and tested again: cleared', async () => {
    const u = await hubUser('wrongpw');
    const acct = hubAccount(hub, u);
    const mb = await k.call('mailboxes.create', { email: u.address, smtp: { ...acct.smtp, password: 'not-the-Passw0rd' } });
    const r = await k.call('mailboxes.test', { id: mb.id });
    expect(r.smtp).toMatchObject({ ok: false, stage: 'auth', code: 'SMTP_AUTH_FAILED' });

    const failed = await get(mb.id);
    expect(failed.status).toBe('error');
    expect(failed.lastError).toMatchObject({ protocol: 'smtp', stage: 'auth', code: 'SMTP_AUTH_FAILED', source: 'connection-test' });
    expect(failed.lastError!.message).toBe(r.smtp.message);
    const fleet = await k.call('fleet.get', {});
    expect(fleet.mailboxes.find((m) => m.id === mb.id)).toMatchObject({ state: 'error', lastError: { stage: 'auth', code: 'SMTP_AUTH_FAILED' } });
    expect(fleet.alerts.find((a) => a.mailboxId === mb.id)).toMatchObject({ severity: 'critical', code: 'SMTP_AUTH_FAILED' });

    await k.call('mailboxes.update', { id: mb.id, smtp: { password: u.password } });
    const again = await k.call('mailboxes.test', { id: mb.id });
    expect(again.smtp.ok).toBe(true);
    expect(await get(mb.id)).toMatchObject({ status: 'active', lastError: null });
    expect((await fleetRow(mb.id)).state).not.toBe('error');
  });

  it('a wrong IMAP password stops the feedback loop, not sending: a flag with a warning alert, cleared by a passing test', async () => {
    const u = await hubUser('imapbad');
    const acct = hubAccount(hub, u);
    const mb = await k.call('mailboxes.create', { email: u.address, smtp: acct.smtp, imap: { ...acct.imap, password: 'not-the-Passw0rd' } });
    const r = await k.call('mailboxes.test', { id: mb.id });
    expect(r.smtp.ok).toBe(true);
    expect(r.imap).toMatchObject({ ok: false, stage: 'auth' });

    const flagged = await get(mb.id);
    expect(flagged.status).toBe('active');
    expect(flagged.lastError).toMatchObject({ protocol: 'imap', stage: 'auth', source: 'connection-test' });
    const fleet = await k.call('fleet.get', {});
    expect(fleet.mailboxes.find((m) => m.id === mb.id)).toMatchObject({ lastError: { protocol: 'imap', stage: 'auth' } });
    expect(fleet.alerts.find((a) => a.mailboxId === mb.id)).toMatchObject({ severity: 'warning', code: r.imap!.code });

    await k.call('mailboxes.update', { id: mb.id, imap: { password: u.password } });
    expect((await k.call('mailboxes.test', { id: mb.id })).imap?.ok).toBe(true);
    expect(await get(mb.id)).toMatchObject({ status: 'active', lastError: null });
  });

  it('an unreachable server (127.0.0.1, closed port): connect error; once it answers, a passing test clears it', async () => {
    const u = await hubUser('closed');
    const proxy = await startProxy(hub.ports.submission);
    try {
      const mb = await k.call('mailboxes.create', { email: u.address, smtp: { ...hubAccount(hub, u).smtp, port: proxy.port } });
      await proxy.cut();
      const r = await k.call('mailboxes.test', { id: mb.id });
      expect(r.smtp).toMatchObject({ ok: false, stage: 'connect', code: 'SMTP_CONNECT' });
      expect(await get(mb.id)).toMatchObject({ status: 'error', lastError: { protocol: 'smtp', stage: 'connect', code: 'SMTP_CONNECT' } });
      expect((await fleetRow(mb.id)).state).toBe('error');

      await proxy.restore();
      expect((await k.call('mailboxes.test', { id: mb.id })).smtp.ok).toBe(true);
      expect(await get(mb.id)).toMatchObject({ status: 'active', lastError: null });
    } finally {
      await proxy.close();
    }
  });

  it('a passing test clears an auth failure a send recorded, but not a rejection seen on real mail', async () => {
    const u = await hubUser('sendfail');
    const mb = await k.call('mailboxes.create', { email: u.address, smtp: hubAccount(hub, u).smtp });
    const row = () => k.core.services.db.sqlite.prepare('SELECT * FROM mailboxes WHERE id = ?').get(mb.id) as never;
    // The send path's own recorder, as sending does on a 535.
    await k.core.services.mailboxes.markError(row(), { protocol: 'smtp', stage: 'auth', code: 'SMTP_AUTH_FAILED', message: 'Authentication failed' });
    expect((await get(mb.id)).status).toBe('error');
    expect((await k.call('mailboxes.test', { id: mb.id })).smtp.ok).toBe(true);
    expect(await get(mb.id)).toMatchObject({ status: 'active', lastError: null });

    // A 5.7.1 DSN on real mail is not something MAIL FROM + RSET can disprove: it stays.
    await k.core.services.mailboxes.flag(row(), { protocol: 'smtp', stage: 'send', code: 'DSN_5.7.1', message: 'rejected by the receiving server' });
    expect((await k.call('mailboxes.test', { id: mb.id })).smtp.ok).toBe(true);
    expect((await get(mb.id)).lastError).toMatchObject({ code: 'DSN_5.7.1' });
  });

  it('a paused mailbox keeps its pause: the failure is shown, a pass clears it without resuming', async () => {
    const u = await hubUser('paused');
    const proxy = await startProxy(hub.ports.submission);
    try {
      const mb = await k.call('mailboxes.create', { email: u.address, smtp: { ...hubAccount(hub, u).smtp, port: proxy.port } });
      await k.call('mailboxes.pause', { id: mb.id });
      await proxy.cut();
      await k.call('mailboxes.test', { id: mb.id });
      expect(await get(mb.id)).toMatchObject({ status: 'paused', lastError: { stage: 'connect', code: 'SMTP_CONNECT' } });
      await proxy.restore();
      await k.call('mailboxes.test', { id: mb.id });
      expect(await get(mb.id)).toMatchObject({ status: 'paused', lastError: null });
    } finally {
      await proxy.close();
    }
  });
});

describe('error texts name hosts whole and never carry the password', () => {
  it('password "x" and a host under .invalid: the dns error names the host intact', async () => {
    const host = 'smtp.nonexistent.invalid';
    const mb = await k.call('mailboxes.create', { email: 'short-pw@warm.test', smtp: { host, port: 587, security: 'starttls', user: 'short-pw@warm.test', password: 'x' } });
    const r = await k.call('mailboxes.test', { id: mb.id });
    expect(r.smtp).toMatchObject({ ok: false, stage: 'dns', code: 'SMTP_DNS' });
    expect(r.smtp.message).toContain(host);
    expect(r.smtp.message).not.toContain('[redacted]');
    expect((await get(mb.id)).lastError).toMatchObject({ stage: 'dns', code: 'SMTP_DNS' });
    expect((await get(mb.id)).lastError!.message).toContain(host);
    // Asked of the test DNS server (the core's resolver), not of the machine's.
    expect(dns.queries).toContain(`${host} A`);
  });

  it('a long password never appears in the result, lastError, the logs or an API error body', async () => {
    const u = await hubUser('longpw');
    const secret = 'Wr0ng-but-Long-Passw0rd-1234';
    const acct = hubAccount(hub, u);
    const mb = await k.call('mailboxes.create', { email: u.address, smtp: { ...acct.smtp, password: secret }, imap: { ...acct.imap, password: secret } });
    const r = await k.call('mailboxes.test', { id: mb.id });
    expect(r.smtp).toMatchObject({ ok: false, stage: 'auth' });
    expect(r.imap).toMatchObject({ ok: false, stage: 'auth' });
    const bad = await k.core.call('mailboxes.create', { email: 'bad', smtp: { ...acct.smtp, port: 0, password: secret } }, k.ctx);
    expect(bad.ok).toBe(false);
    const seen = [JSON.stringify(r), JSON.stringify(await get(mb.id)), JSON.stringify(await k.call('fleet.get', {})), JSON.stringify(bad), k.logs.join('')];
    for (const text of seen) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(Buffer.from(secret).toString('base64'));
    }
    expect(k.logs.join('')).toContain('connection test failed');
  });
});
