// What the domain report says, through the core's API on a real SQLite file against the tests' DNS
// server: a domain that does not exist is reported as such (not as "publishes no SPF record"); each
// problem is said once (the summary is no copy of a problem); SPF, DMARC and Kiln's DKIM key come
// with the record to publish, built from what Kiln knows; and each check's verdict rests on the
// questions it asked: a lookup that failed is unknown, a broken record bad.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authCheckNames, type AuthReport } from '../../shared/domain/auth-check';
import { startTestCore, type TestCore } from '../helpers/core';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server';

let k: TestCore;
let dns: TestDnsServer;
const local = { host: '127.0.0.1', port: 9, security: 'none' as const, password: 'pw-report' };

beforeAll(async () => {
  dns = await startDnsServer({
    // Exists (an address and an MX), but publishes neither SPF nor DMARC.
    'bare.test': [{ type: 'A', value: '192.0.2.80' }, { type: 'MX', value: { exchange: 'mx.bare.test', priority: 10 } }],
    'mx.bare.test': [{ type: 'A', value: '192.0.2.81' }],
    // Two SPF records: a permerror (broken), and a DMARC record whose lookup never answers.
    'twice.test': [{ type: 'TXT', value: 'v=spf1 -all' }, { type: 'TXT', value: 'v=spf1 ~all' }],
  });
  dns.silent.add('_dmarc.twice.test');
  k = await startTestCore({ warmup: false, dnsServers: [dns.server] });
  // A Google Workspace mailbox on bare.test (hosts kept on 127.0.0.1: nothing is sent), and the
  // workspace's DMARC reports mailbox.
  await k.call('mailboxes.create', { email: 'sales@bare.test', provider: 'gmail', smtp: local, imap: local });
  const reports = await k.call('mailboxes.create', { email: 'dmarc@bare.test', provider: 'gmail', smtp: local, imap: local });
  await k.call('dmarc.settings.update', { mailboxId: reports.id, schedule: false });
}, 60_000);
afterAll(async () => {
  await k?.core.close();
  await dns?.close();
});

const codes = (r: AuthReport) => Object.fromEntries(authCheckNames.map((n) => [n, r.checks[n].problems.map((p) => p.code)]));

describe('the domain report', () => {
  it('a domain that does not exist says so, in every check of its records, once each', async () => {
    const r = await k.call('checks.domain', { domain: 'gone.test' });
    const all = codes(r);
    for (const n of ['spf', 'dmarc', 'mx', 'mtaSts', 'tlsRpt', 'bimi'] as const) {
      expect(all[n], n).toEqual(['domain.nxdomain']);
      expect(r.checks[n]).toMatchObject({ status: 'fail', summary: 'gone.test does not exist', verdict: { state: 'bad', label: 'No such domain' } });
    }
    expect(r.checks.spf.problems[0]!.message).toBe('gone.test does not exist in DNS (NXDOMAIN), so it can have no SPF record: check the spelling, or create the domain at its DNS host');
    expect(JSON.stringify(r)).not.toMatch(/publishes no SPF record|spf\.missing|dmarc\.missing/);
    expect(r.checks.spf.verdict.evidence).toEqual([{ asked: 'TXT gone.test', answered: 'no such name (NXDOMAIN)', at: r.checkedAt }]);
  });

  it('says each problem once: no summary repeats a problem, no problem is listed twice', async () => {
    const r = await k.call('checks.domain', { domain: 'bare.test', ip: '192.0.2.10' });
    for (const n of authCheckNames) {
      const c = r.checks[n];
      const messages = c.problems.map((p) => p.message);
      expect(messages, n).not.toContain(c.summary);
      expect(new Set(messages).size, n).toBe(messages.length);
    }
    expect(r.checks.spf).toMatchObject({ status: 'fail', summary: 'No SPF record at bare.test', problems: [{ code: 'spf.missing' }], verdict: { state: 'bad', label: 'Fail' } });
    expect(r.checks.spf.verdict.evidence).toEqual([{ asked: 'TXT bare.test', answered: 'no TXT record (NODATA)', at: r.checkedAt }]);
  });

  it('suggests the SPF and DMARC records to publish from what Kiln knows, and Kiln\'s DKIM key record', async () => {
    const key = await k.call('dkim.create', { domain: 'bare.test', selector: 'kiln' });
    const r = await k.call('checks.domain', { domain: 'bare.test', ip: '192.0.2.10' });
    expect(r.checks.spf.suggestion).toEqual({ name: 'bare.test', type: 'TXT', value: 'v=spf1 ip4:192.0.2.10 include:_spf.google.com ~all', note: expect.stringContaining('192.0.2.10') });
    expect(r.checks.dmarc.suggestion).toEqual({ name: '_dmarc.bare.test', type: 'TXT', value: 'v=DMARC1; p=none; rua=mailto:dmarc@bare.test', note: expect.stringContaining('dmarc@bare.test') });
    expect(r.checks.dkim.suggestion).toEqual({ name: 'kiln._domainkey.bare.test', type: 'TXT', value: key.dnsValue, note: expect.any(String) });
    // The stored report carries them too.
    expect((await k.call('checks.domainLatest', { domain: 'bare.test' })).checks.spf.suggestion?.value).toBe('v=spf1 ip4:192.0.2.10 include:_spf.google.com ~all');

    // Published as suggested: no suggestion any more, and SPF passes for that IP.
    dns.set('bare.test', [{ type: 'A', value: '192.0.2.80' }, { type: 'MX', value: { exchange: 'mx.bare.test', priority: 10 } }, { type: 'TXT', value: 'v=spf1 ip4:192.0.2.10 ~all' }]);
    dns.set('_dmarc.bare.test', [{ type: 'TXT', value: r.checks.dmarc.suggestion!.value }]);
    dns.set(key.dnsName, [{ type: 'TXT', value: key.dnsValue }]);
    const after = await k.call('checks.domain', { domain: 'bare.test', ip: '192.0.2.10' });
    expect([after.checks.spf.suggestion, after.checks.dmarc.suggestion, after.checks.dkim.suggestion]).toEqual([null, null, null]);
    expect(after.checks.spf.verdict.state).toBe('good');
  });

  it('a lookup that failed is unknown, not a failure; a broken record is bad', async () => {
    const r = await k.call('checks.domain', { domain: 'twice.test' });
    expect(r.checks.spf).toMatchObject({ status: 'error', problems: [{ code: 'spf.multiple' }], verdict: { state: 'bad', label: 'Broken' } });
    expect(r.checks.dmarc).toMatchObject({ status: 'error', problems: [{ code: 'dns.timeout' }], verdict: { state: 'unknown', label: 'Unknown' } });
    expect(r.checks.dmarc.verdict.evidence).toEqual([{ asked: 'TXT _dmarc.twice.test', answered: expect.stringMatching(/^no answer: ETIMEOUT/), at: r.checkedAt }]);
    expect(r.checks.dmarc.suggestion).toBeNull();
  }, 30_000);

  it('a domain whose DNS never answers is unknown in the domain list and left out of the health score, never red or green', async () => {
    dns.silentUnder.add('quiet.test');
    const mb = await k.call('mailboxes.create', { email: 'ops@quiet.test', smtp: local, imap: local });
    const r = await k.call('checks.domain', { domain: 'quiet.test' });
    expect(r.checks.spf).toMatchObject({ status: 'error', verdict: { state: 'unknown' } });
    const summary = (await k.call('checks.domains', {})).find((d) => d.domain === 'quiet.test')!;
    expect(summary.verdict).toMatchObject({ state: 'unknown', label: 'Unknown', detail: expect.stringContaining('no answer: SPF') });
    for (const n of ['spf', 'dkim', 'dmarc'] as const) expect(summary.verdicts![n].state).toBe('unknown');
    const auth = (await k.call('health.mailbox', { id: mb.id })).components.find((c) => c.part === 'authentication')!;
    expect(auth).toMatchObject({ score: null, verdict: { state: 'unknown' } });
  }, 60_000);
});
