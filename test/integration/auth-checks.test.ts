// DNS authentication checks against a local authoritative DNS server (dns2 on 127.0.0.1) that
// serves zones for good, broken, over-limit and misaligned domains. Kiln's resolver is pointed at
// it (the core's dnsServers option), and every question it received is checked at the end: the
// checks never ask anything but that server, and mailauth's SPF evaluation goes through it too.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushEvent } from '../../shared/api/events';
import type { AuthReport } from '../../shared/domain/auth-check';
import type { Input } from '../../shared/api/table';
import type { DnsResolver, RrType } from '../../electron/core/checks/resolver';
import { authCheckService } from '../../electron/core/checks/auth/service';
import { runDomainCheck } from '../../electron/core/checks/auth/domain-check';
import { createServer } from '../../electron/server/app';
import { codeOf, startTestCore, type TestCore } from '../helpers/core';
import { apiClient } from '../helpers/kiln';
import { startDnsServer, type TestDnsServer, type ZoneRecord, type Zones } from '../helpers/dns-server';

const txt = (value: string | string[]): ZoneRecord => ({ type: 'TXT', value });
const a = (value: string): ZoneRecord => ({ type: 'A', value });
const mx = (priority: number, exchange: string): ZoneRecord => ({ type: 'MX', value: { exchange, priority } });
const spki = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

const key2048 = spki(2048);

// An include chain: overlimit.test → l1 → l2 → ... each include is one lookup; the 11th is over.
const chain: Zones = { 'overlimit.test': [txt('v=spf1 include:l1.overlimit.test -all')] };
for (let i = 1; i <= 11; i++) chain[`l${i}.overlimit.test`] = [txt(i < 11 ? `v=spf1 include:l${i + 1}.overlimit.test -all` : 'v=spf1 ip4:192.0.2.1 -all')];

const goodSpf = txt('v=spf1 ip4:192.0.2.10 include:_spf.good.test mx -all');
const zones: Zones = {
  // good.test: everything right.
  'good.test': [goodSpf, txt('google-site-verification=abc'), mx(10, 'mx1.good.test'), mx(20, 'mx2.good.test')],
  '_spf.good.test': [txt('v=spf1 include:_spf2.good.test a:relay.good.test -all')],
  '_spf2.good.test': [txt('v=spf1 ip6:2001:db8::/32 ip4:198.51.100.0/24 -all')],
  'relay.good.test': [a('192.0.2.11')],
  'mx1.good.test': [a('192.0.2.25')],
  'mx2.good.test': [{ type: 'AAAA', value: '2001:db8::25' }],
  's2048._domainkey.good.test': [txt(`v=DKIM1; k=rsa; p=${key2048}`)],
  '_dmarc.good.test': [txt('v=DMARC1; p=reject; rua=mailto:dmarc@good.test,mailto:agg@reports.test; ruf=mailto:dmarc@good.test; fo=1')],
  'good.test._report._dmarc.reports.test': [txt('v=DMARC1')],
  '10.2.0.192.in-addr.arpa': [{ type: 'PTR', value: 'mail.good.test' }],
  'mail.good.test': [a('192.0.2.10')],
  '_mta-sts.good.test': [txt('v=STSv1; id=20261123000000')],
  '_smtp._tls.good.test': [txt('v=TLSRPTv1; rua=mailto:tls@good.test')],
  'default._bimi.good.test': [txt('v=BIMI1; l=https://good.test/logo.svg; a=https://good.test/vmc.pem')],

  // broken.test: two SPF records, a missing and a revoked key, no DMARC, an MX without address.
  'broken.test': [txt('v=spf1 -all'), txt('v=spf1 ip4:192.0.2.1 -all'), mx(10, 'nowhere.broken.test')],
  'revoked._domainkey.broken.test': [txt('v=DKIM1; k=rsa; p=')],
  'default._bimi.broken.test': [txt('v=BIMI1; l=https://broken.test/logo.svg')],
  'typo.test': [txt('v=spf1 ip4:192.0.2.300 incude:_spf.good.test -all')],

  // overlimit.test: 11 lookups; void.test: 3 void lookups; loop-a/loop-b include each other.
  ...chain,
  'void.test': [txt('v=spf1 a:gone1.void.test a:gone2.void.test mx:gone3.void.test include:_spf.good.test -all')],
  'loop-a.test': [txt('v=spf1 include:loop-b.test -all')],
  'loop-b.test': [txt('v=spf1 include:loop-a.test -all')],

  // misaligned.test: p=reject with adkim=s, DKIM signed by the parent, SPF on another domain.
  'news.misaligned.test': [txt('v=spf1 ip4:192.0.2.50 -all'), mx(10, 'mx1.good.test')],
  '_dmarc.news.misaligned.test': [txt('v=DMARC1; p=reject; adkim=s; aspf=r; rua=mailto:d@misaligned.test')],
  'sel._domainkey.misaligned.test': [txt(`v=DKIM1; p=${key2048}`)],

  // PTR mismatch: 203.0.113.7 → host.mismatch.test → 203.0.113.99.
  'mismatch.test': [txt('v=spf1 ip4:203.0.113.7 -all'), mx(10, 'mx1.good.test')],
  '7.113.0.203.in-addr.arpa': [{ type: 'PTR', value: 'host.mismatch.test' }],
  'host.mismatch.test': [a('203.0.113.99')],

  // RFC 9989 tags.
  'bis.test': [txt('v=spf1 -all'), mx(10, 'mx1.good.test')],
  '_dmarc.bis.test': [txt('v=DMARC1; p=quarantine; np=reject; psd=n; t=y; pct=50; rua=mailto:d@bis.test')],

  // flip.test: starts good, breaks, recovers (alerts on change only).
  'flip.test': [txt('v=spf1 ip4:192.0.2.60 -all'), mx(10, 'mx1.good.test')],
  '_dmarc.flip.test': [txt('v=DMARC1; p=none; rua=mailto:d@flip.test')],
};

let dns: TestDnsServer;
let k: TestCore;
const events: PushEvent[] = [];
/** Every question Kiln's resolver was asked (mailauth's included), to compare with what the server saw. */
const asked: string[] = [];

/** The core's own resolver, recording each question before passing it on. */
function recording(r: DnsResolver): DnsResolver {
  const rec = <T>(name: string, type: RrType, run: () => Promise<T>) => {
    asked.push(`${name.toLowerCase().replace(/\.$/, '')} ${type}`);
    return run();
  };
  const reverse = (ip: string) => `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  return {
    servers: r.servers,
    resolve: (name, type) => rec(name, type, () => r.resolve(name, type)),
    txt: (name) => rec(name, 'TXT', () => r.txt(name)),
    a: (name) => rec(name, 'A', () => r.a(name)),
    aaaa: (name) => rec(name, 'AAAA', () => r.aaaa(name)),
    mx: (name) => rec(name, 'MX', () => r.mx(name)),
    ptr: (ip) => rec(reverse(ip), 'PTR', () => r.ptr(ip)),
  };
}

beforeAll(async () => {
  dns = await startDnsServer(zones);
  k = await startTestCore({ warmup: false, dnsServers: [dns.server] });
  k.core.services.dns = recording(k.core.services.dns);
  k.core.subscribe((e) => (e.name === 'checks.updated' || e.name.startsWith('alert.')) && events.push(e));
});
afterAll(async () => {
  await k?.core.close();
  await dns?.close();
});

const check = (domain: string, input: Omit<Input<'checks.domain'>, 'domain'> = {}): Promise<AuthReport> => k.call('checks.domain', { domain, ...input });
const codes = (c: { problems: { code: string }[] }) => c.problems.map((p) => p.code);

describe('good.test: every check passes', () => {
  let r: AuthReport;
  beforeAll(async () => {
    r = await check('good.test', { ip: '192.0.2.10', selectors: ['s2048'] });
  });

  it('SPF: nested includes walked under the limit, the IP evaluated by mailauth', () => {
    const spf = r.checks.spf;
    expect(spf.status).toBe('pass');
    expect(spf.record).toBe('v=spf1 ip4:192.0.2.10 include:_spf.good.test mx -all');
    // include:_spf + mx at the root, include:_spf2 + a:relay below: 4 lookups, no void.
    expect(spf.lookups).toBe(4);
    expect(spf.voidLookups).toBe(0);
    expect(spf.complete).toBe(true);
    expect(spf.tree.map((n) => [n.domain, n.parent, n.via])).toEqual([
      ['good.test', null, null],
      ['_spf.good.test', 0, 'include'],
      ['_spf2.good.test', 1, 'include'],
    ]);
    const mxTerm = spf.tree[0]!.terms.find((t) => t.name === 'mx')!;
    expect(mxTerm).toMatchObject({ lookups: 1, addressLookups: 2, qualifier: '+' });
    expect(spf.tree[0]!.terms.find((t) => t.name === 'include')!.child).toBe(1);
    expect(spf.evaluation).toMatchObject({ ip: '192.0.2.10', result: 'pass' });
    // Only the SPF record is reported, not the other TXT records of the name.
    expect(spf.records).toEqual([{ name: 'good.test', type: 'TXT', values: [spf.record] }]);
  });

  it('DKIM: the 2048-bit key (split over several TXT strings) is valid', () => {
    expect(r.checks.dkim.status).toBe('pass');
    expect(r.checks.dkim.selectors).toEqual([
      expect.objectContaining({ selector: 's2048', source: 'given', status: 'pass', keyType: 'rsa', bits: 2048, revoked: false }),
    ]);
  });

  it('DMARC: p=reject, aligned, rua with an authorised external destination', () => {
    const d = r.checks.dmarc;
    expect(d.status).toBe('pass');
    expect(d.policy).toMatchObject({ p: 'reject', adkim: 'r', aspf: 'r', fo: '1' });
    expect(d.inherited).toBe(false);
    expect(d.rua).toEqual([
      expect.objectContaining({ address: 'dmarc@good.test', external: false }),
      expect.objectContaining({ address: 'agg@reports.test', external: true, authorized: true }),
    ]);
    expect(d.alignment).toMatchObject({ from: 'good.test', aligned: true, spf: { domain: 'good.test', aligned: true, authenticated: true } });
    expect(d.alignment!.dkim).toEqual([{ domain: 'good.test', aligned: true, authenticated: true }]);
  });

  it('MX, PTR/FCrDNS, MTA-STS, TLS-RPT and BIMI', () => {
    expect(r.checks.mx).toMatchObject({ status: 'pass', nullMx: false });
    expect(r.checks.mx.hosts).toEqual([
      { exchange: 'mx1.good.test', priority: 10, addresses: ['192.0.2.25'] },
      { exchange: 'mx2.good.test', priority: 20, addresses: ['2001:db8::25'] },
    ]);
    expect(r.checks.ptr).toMatchObject({ status: 'pass', ip: '192.0.2.10', names: ['mail.good.test'], confirmed: 'mail.good.test' });
    expect(r.checks.mtaSts).toMatchObject({ status: 'pass', id: '20261123000000' });
    expect(codes(r.checks.mtaSts)).toContain('mta_sts.policy_not_fetched');
    expect(r.checks.tlsRpt).toMatchObject({ status: 'pass', rua: ['mailto:tls@good.test'] });
    expect(r.checks.bimi).toMatchObject({ status: 'pass', location: 'https://good.test/logo.svg', authority: 'https://good.test/vmc.pem' });
    expect(r.status).toBe('pass');
  });

  it('is stored: latest, list, history, and the selector and IP are remembered for the next run', async () => {
    expect(await k.call('checks.domainLatest', { domain: 'GOOD.test.' })).toEqual(r);
    const again = await check('good.test');
    expect(again.ip).toBe('192.0.2.10');
    expect(again.checks.ptr.status).toBe('pass');
    expect(again.checks.dkim.selectors.map((s) => [s.selector, s.source])).toEqual([['s2048', 'known']]);
    const history = await k.call('checks.domainHistory', { domain: 'good.test' });
    expect(history.map((h) => h.status)).toEqual(['pass', 'pass']);
    expect(history[0]!.checks).toMatchObject({ spf: 'pass', dkim: 'pass', dmarc: 'pass', ptr: 'pass' });
    const list = await k.call('checks.domains', {});
    expect(list.find((d) => d.domain === 'good.test')).toMatchObject({ status: 'pass', checks: { spf: 'pass' } });
  });
});

describe('MTA-STS policy (an injected fetcher: Kiln fetches no HTTPS policy itself)', () => {
  it('checks that the policy covers every MX host', async () => {
    const fetched: string[] = [];
    const run = (policy: string) =>
      runDomainCheck(k.core.services.dns, { domain: 'good.test', ip: null, selectors: [] }, {
        timeoutMs: 2_000,
        fetchMtaStsPolicy: async (domain) => {
          fetched.push(domain);
          return policy;
        },
      }, k.clock.now());
    const covered = (await run('version: STSv1\nmode: enforce\nmx: *.good.test\nmax_age: 86400\n')).checks.mtaSts;
    expect(covered).toMatchObject({ status: 'pass', policy: { mode: 'enforce', mx: ['*.good.test'], maxAge: 86400 } });
    const partial = (await run('version: STSv1\nmode: enforce\nmx: mx1.good.test\nmax_age: 86400\n')).checks.mtaSts;
    expect(partial.status).toBe('fail');
    expect(partial.problems.find((p) => p.code === 'mta_sts.mx_not_covered')!.message).toContain('mx2.good.test');
    const broken = (await run('version: STSv1\nmode: enforce\n')).checks.mtaSts;
    expect([broken.status, codes(broken)]).toEqual(['error', ['mta_sts.policy_invalid']]);
    expect(fetched).toEqual(['good.test', 'good.test', 'good.test']);
  });
});

describe("DKIM of a domain Kiln signs for", () => {
  it("checks Kiln's own selector and that the published key is Kiln's", async () => {
    const key = await k.call('dkim.create', { domain: 'signed.test', selector: 'kiln' });
    dns.set('signed.test', [txt('v=spf1 -all'), mx(10, 'mx1.good.test')]);
    // Before its record is published the key signs nothing: the check says what to publish, not "fails".
    const pending = (await check('signed.test')).checks.dkim;
    expect(pending.selectors.map((s) => [s.selector, s.source, s.status])).toEqual([['kiln', 'pending', 'warn']]);
    expect(codes(pending)).toEqual(['dkim.pending']);
    dns.set(key.dnsName, [txt(key.dnsValue)]);
    expect(await k.call('dkim.check', { id: key.id })).toMatchObject({ status: 'active', verdict: { state: 'good' } });
    const ok = (await check('signed.test')).checks.dkim;
    expect(ok.selectors.map((s) => [s.selector, s.source, s.status, s.bits])).toEqual([['kiln', 'signing', 'pass', 2048]]);

    dns.set(key.dnsName, [txt(`v=DKIM1; k=rsa; p=${key2048}`)]); // a valid key, but not Kiln's
    const other = (await check('signed.test')).checks.dkim;
    expect(other.status).toBe('fail');
    expect(codes(other)).toEqual(['dkim.key_mismatch']);
  });
});

describe('broken.test', () => {
  let r: AuthReport;
  beforeAll(async () => {
    r = await check('broken.test', { selectors: ['missing', 'revoked'] });
  });

  it('SPF: two records is a permerror (status error)', () => {
    expect(r.checks.spf.status).toBe('error');
    expect(codes(r.checks.spf)).toContain('spf.multiple');
    expect(r.checks.spf.records[0]!.values).toHaveLength(2);
  });

  it('DKIM: a missing key and a revoked key fail', () => {
    expect(r.checks.dkim.status).toBe('fail');
    const [missing, revoked] = r.checks.dkim.selectors;
    expect(missing).toMatchObject({ selector: 'missing', status: 'fail', record: null });
    expect(codes(missing!)).toEqual(['dkim.key_missing']);
    expect(revoked).toMatchObject({ selector: 'revoked', status: 'fail', revoked: true });
    expect(codes(revoked!)).toEqual(['dkim.revoked']);
  });

  it('DMARC missing fails; BIMI without DMARC enforcement fails', () => {
    expect(r.checks.dmarc.status).toBe('fail');
    expect(codes(r.checks.dmarc)).toEqual(['dmarc.missing']);
    expect(r.checks.bimi.status).toBe('fail');
    expect(codes(r.checks.bimi)).toContain('bimi.dmarc_not_enforced');
  });

  it('MX to a name without address fails; no IP means PTR has nothing to check', () => {
    expect(r.checks.mx.status).toBe('fail');
    expect(codes(r.checks.mx)).toEqual(['mx.host_unresolved']);
    expect(r.checks.mx.hosts).toEqual([{ exchange: 'nowhere.broken.test', priority: 10, addresses: [] }]);
    expect(r.checks.ptr.status).toBe('none');
    expect(r.checks.mtaSts.status).toBe('none');
    expect(r.status).toBe('error');
  });

  it('SPF syntax errors are named, and the record is not walked', async () => {
    const t = await check('typo.test');
    expect(t.checks.spf.status).toBe('error');
    const p = t.checks.spf.problems.find((x) => x.code === 'spf.syntax')!;
    expect(p.message).toContain('"192.0.2.300" is not an IPv4 address');
    expect(p.message).toContain('incude:_spf.good.test: unknown mechanism');
    expect(t.checks.spf.lookups).toBe(0);
    expect(t.checks.spf.tree).toHaveLength(1);
  });
});

describe('SPF limits', () => {
  it('11 lookups: permerror with the partial tree', async () => {
    const spf = (await check('overlimit.test')).checks.spf;
    expect(spf.status).toBe('error');
    expect(codes(spf)).toContain('spf.too_many_lookups');
    expect(spf.lookups).toBe(11);
    expect(spf.complete).toBe(false);
    // overlimit.test and l1..l10 were walked; l10's include of l11 was counted and not followed.
    expect(spf.tree.map((n) => n.domain)).toEqual(['overlimit.test', ...Array.from({ length: 10 }, (_, i) => `l${i + 1}.overlimit.test`)]);
    const last = spf.tree.at(-1)!.terms.find((t) => t.name === 'include')!;
    expect(last).toMatchObject({ value: 'l11.overlimit.test', lookups: 1, child: null });
    expect(last.note).toContain('over the limit');
    expect(dns.queries).not.toContain('l11.overlimit.test TXT');
  });

  it('3 void lookups: permerror, later terms not evaluated', async () => {
    const spf = (await check('void.test')).checks.spf;
    expect(spf.status).toBe('error');
    expect(codes(spf)).toContain('spf.too_many_void_lookups');
    expect(spf.voidLookups).toBe(3);
    const terms = spf.tree[0]!.terms;
    expect(terms.map((t) => [t.name, t.voidLookups, t.evaluated])).toEqual([
      ['a', 1, true],
      ['a', 1, true],
      ['mx', 1, true],
      ['include', 0, false],
      ['all', 0, false],
    ]);
  });

  it('include loops are detected', async () => {
    const spf = (await check('loop-a.test')).checks.spf;
    expect(spf.status).toBe('error');
    expect(spf.problems.find((p) => p.code === 'spf.loop')!.message).toContain('loop-a.test → loop-b.test → loop-a.test');
  });
});

describe('misaligned.test, PTR mismatch, RFC 9989', () => {
  it('p=reject with adkim=s, DKIM d= the parent and SPF on another domain: fails saying misaligned', async () => {
    const r = await check('news.misaligned.test', { selectors: ['sel'], dkimDomains: ['misaligned.test'], envelopeDomain: 'bounce.esp.test' });
    const d = r.checks.dmarc;
    expect(d.status).toBe('fail');
    expect(d.alignment).toMatchObject({ aligned: false, spf: { domain: 'bounce.esp.test', aligned: false }, dkim: [{ domain: 'misaligned.test', aligned: false }] });
    const p = d.problems.find((x) => x.code === 'dmarc.misaligned')!;
    expect(p.message).toContain('p=reject');
    expect(p.message).toContain('misaligned');
    expect(p.message).toContain('adkim=s');
    expect(p.message).toContain('receivers will reject');
  });

  it('a PTR name that does not resolve back to the IP fails FCrDNS', async () => {
    const r = await check('mismatch.test', { ip: '203.0.113.7' });
    expect(r.checks.ptr).toMatchObject({ status: 'fail', names: ['host.mismatch.test'], confirmed: null, forward: [{ name: 'host.mismatch.test', addresses: ['203.0.113.99'] }] });
    expect(codes(r.checks.ptr)).toEqual(['ptr.fcrdns_mismatch']);
    // The SPF of mismatch.test permits the IP all the same.
    expect(r.checks.spf.evaluation!.result).toBe('pass');
  });

  it('reads np, psd and t (RFC 9989) and notes pct as RFC 7489 only', async () => {
    const d = (await check('bis.test')).checks.dmarc;
    expect(d.policy).toMatchObject({ p: 'quarantine', np: 'reject', psd: 'n', t: 'y', pct: 50 });
    expect(d.status).toBe('warn');
    expect(codes(d)).toEqual(expect.arrayContaining(['dmarc.testing', 'dmarc.pct', 'dmarc.obsolete_tag', 'dmarc.np']));
  });
});

describe('alerts on change only', () => {
  const alertEvents = () => events.filter((e) => e.name.startsWith('alert.')).map((e) => [e.name, (e.data as { key: string }).key]);

  it('the first check of a failing domain is silent', async () => {
    // broken.test was first checked failing above: no alert for it.
    expect(alertEvents().filter(([, key]) => key!.startsWith('auth:broken.test'))).toEqual([]);
    expect(events.some((e) => e.name === 'checks.updated' && (e.data as { domain: string }).domain === 'broken.test')).toBe(true);
  });

  it('raises when a check goes from pass to error, once, and resolves on recovery', async () => {
    events.length = 0;
    expect((await check('flip.test')).checks.spf.status).toBe('pass');
    expect(alertEvents()).toEqual([]);

    dns.set('flip.test', [txt('v=spf1 include:nowhere.flip.test -all'), mx(10, 'mx1.good.test')]);
    const broken = await check('flip.test');
    expect(broken.checks.spf.status).toBe('error');
    expect(codes(broken.checks.spf)).toContain('spf.include_missing');
    // SPF broke, and with it DMARC: its only identifier no longer authenticates (p=none was warn).
    const raised = [
      ['alert.raised', 'auth:flip.test:spf'],
      ['alert.raised', 'auth:flip.test:dmarc'],
    ];
    expect(alertEvents()).toEqual(raised);
    const open = (await k.call('alerts.list', {})).items.filter((x) => x.domain === 'flip.test');
    const spfAlert = open.find((x) => x.key === 'auth:flip.test:spf')!;
    expect(spfAlert).toMatchObject({ kind: 'auth.failing', severity: 'critical', state: 'open', title: 'SPF is broken for flip.test' });
    expect(spfAlert.detail).toContain('spf.include_missing');
    expect(open.find((x) => x.key === 'auth:flip.test:dmarc')!.detail).toContain('is aligned but does not authenticate');

    await check('flip.test'); // still broken: nothing new
    expect(alertEvents()).toEqual(raised);

    dns.set('flip.test', [txt('v=spf1 ip4:192.0.2.60 -all'), mx(10, 'mx1.good.test')]);
    expect((await check('flip.test')).checks.spf.status).toBe('pass');
    expect(alertEvents()).toEqual([...raised, ['alert.resolved', 'auth:flip.test:spf'], ['alert.resolved', 'auth:flip.test:dmarc']]);
    const history = await k.call('checks.domainHistory', { domain: 'flip.test' });
    expect(history.map((h) => [h.checks.spf, h.checks.dmarc])).toEqual([
      ['pass', 'warn'],
      ['error', 'fail'],
      ['error', 'fail'],
      ['pass', 'warn'],
    ]);
  });
});

describe('mailboxes, learned headers and the daily schedule', () => {
  let mailboxId: string;
  beforeAll(async () => {
    const mb = await k.call('mailboxes.create', { email: 'warm@flip.test', provider: 'custom', smtp: { host: '127.0.0.1', port: 465, security: 'tls', password: 'pw' } });
    mailboxId = mb.id;
    // A consumer address: gmail.com's DNS is Google's business, never checked on schedule.
    await k.call('mailboxes.create', { email: 'someone@gmail.com', provider: 'gmail', smtp: { password: 'pw' } });
  });

  it('learns selector, signing domain, envelope domain and sending IP from received headers', async () => {
    const headers = [
      'Received: from mx.receiver.test (localhost [127.0.0.1]) by imap.receiver.test with LMTP id abc; Mon, 23 Nov 2026 10:00:00 +0000',
      'Received: from mail.flip.test (mail.flip.test [192.0.2.60])',
      '\tby mx.receiver.test (Postfix) with ESMTPS id 4F; Mon, 23 Nov 2026 09:59:59 +0000',
      'Received: from [10.0.0.5] (unknown [10.0.0.5]) by mail.flip.test with ESMTPSA; Mon, 23 Nov 2026 09:59:58 +0000',
      'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=flip.test; s=k2026;',
      '\th=from:to:subject; bh=abc=; b=def=',
      'Return-Path: <bounce@flip.test>',
      'From: "Warm" <warm@flip.test>',
      '',
      'body',
    ].join('\r\n');
    const learned = await k.call('checks.learnHeaders', { headers, mailboxId });
    expect(learned).toEqual({ domain: 'flip.test', selectors: [{ domain: 'flip.test', selector: 'k2026' }], envelopeDomain: 'flip.test', sendingIp: '192.0.2.60' });
    // The feedback loop's way in: a stored copy's raw source (the body is not read).
    expect(await k.core.services.authChecks.learnFromSource(k.ctx.workspaceId, mailboxId, Buffer.from(headers, 'latin1'))).toEqual(learned);

    const mb = await k.call('checks.mailbox', { id: mailboxId });
    expect(mb).toMatchObject({ mailboxId, domain: 'flip.test', sendingIp: '192.0.2.60' });
    expect(mb.report!.domain).toBe('flip.test');

    // The next check uses what was learned: the IP for PTR/SPF, the selector for DKIM.
    const r = await check('flip.test');
    expect(r.ip).toBe('192.0.2.60');
    expect(r.checks.spf.evaluation!.result).toBe('pass');
    expect(r.checks.dkim.selectors.map((s) => [s.selector, s.source, s.status])).toEqual([['k2026', 'headers', 'fail']]);
    expect(await codeOf(k.call('checks.learnHeaders', { headers, mailboxId: 'mbx_nope' }))).toBe('NOT_FOUND');
  });

  it('the schedule checks mailbox domains once a day (injected clock)', async () => {
    const list = await k.call('checks.domains', {});
    expect(list.find((d) => d.domain === 'flip.test')).toMatchObject({ mailboxes: 1 });
    expect(list.some((d) => d.domain === 'gmail.com')).toBe(false);
    const svc = k.core.services.authChecks;
    expect(await svc.checkDue()).toBe(0); // flip.test was just checked
    k.clock.advance(25 * 3_600_000);
    expect(await svc.checkDue()).toBe(1);
    expect(await svc.checkDue()).toBe(0);
  });
});

describe('over REST (routes from the API table, token scopes)', () => {
  it('a send token runs a check; a read token reads it but cannot run one', async () => {
    const server = await createServer(k.core, { logger: k.core.services.log, version: 'test' });
    try {
      const url = await server.listen({ host: '127.0.0.1', port: 0 });
      const sender = (await k.core.services.tokens.create(k.ctx.workspaceId, 'checks-send', ['send'])).token;
      const reader = (await k.core.services.tokens.create(k.ctx.workspaceId, 'checks-read', ['read'])).token;
      const run = await apiClient(url, sender).post('/api/v1/checks/domains/good.test', { ip: '192.0.2.10', selectors: ['s2048'] });
      expect(run.status).toBe(200);
      expect(run.body.data).toMatchObject({ domain: 'good.test', status: 'pass' });
      expect((await apiClient(url, reader).post('/api/v1/checks/domains/good.test', {})).status).toBe(403);
      const latest = await apiClient(url, reader).get('/api/v1/checks/domains/good.test');
      expect(latest.body.data.checkedAt).toBe(run.body.data.checkedAt);
      const history = await apiClient(url, reader).get('/api/v1/checks/domains/good.test/history?days=7');
      expect(history.body.data.length).toBeGreaterThan(0);
      const bad = await apiClient(url, sender).post('/api/v1/checks/domains/bad_domain!', {});
      expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    } finally {
      await server.close();
    }
  });
});

describe('bad input and timeouts', () => {
  it('rejects bad domains, IPs and selectors with VALIDATION_FAILED; unknown domain latest is NOT_FOUND', async () => {
    expect(await codeOf(k.call('checks.domain', { domain: 'not a domain' }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(k.call('checks.domain', { domain: 'localhost' }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(k.call('checks.domain', { domain: 'good.test', ip: '999.1.1.1' }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(k.call('checks.domain', { domain: 'good.test', selectors: ['bad selector'] }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(k.call('checks.domainLatest', { domain: 'never-checked.test' }))).toBe('NOT_FOUND');
    expect(await codeOf(k.call('checks.domain', { domain: 'good.test' }, { ...k.ctx, scopes: ['read'] }))).toBe('FORBIDDEN');
  });

  it('a silent name gives coded dns.timeout errors, not a hang or a crash', async () => {
    dns.silent.add('silent.test');
    const s = k.core.services;
    const original = s.authChecks;
    // The same service with a 300 ms deadline per query, so the test does not wait 5 s per name.
    s.authChecks = authCheckService({ db: s.db, clock: s.clock, bus: s.bus, log: s.log, dns: s.dns, alerts: s.alerts, dkim: s.dkim, dmarc: s.dmarc }, { timeoutMs: 300 });
    try {
      const r = await check('silent.test', { ip: '192.0.2.10' });
      expect(r.checks.spf.status).toBe('error');
      expect(codes(r.checks.spf)).toContain('dns.timeout');
      expect(r.checks.mx.status).toBe('error');
      expect(codes(r.checks.mx)).toEqual(['dns.timeout']);
      expect(r.status).toBe('error');
      expect(dns.queries).toContain('silent.test TXT');
    } finally {
      await s.authChecks.stop();
      s.authChecks = original;
    }
  });

  it('every question Kiln asked (mailauth included) reached the test server, and nothing else was asked', () => {
    expect(k.core.services.dns.servers).toEqual([dns.server]);
    expect(asked.length).toBeGreaterThan(50);
    const seen = new Set(dns.queries);
    expect(asked.filter((q) => !seen.has(q))).toEqual([]);
    expect(dns.queries.filter((q) => !/\.(test|in-addr\.arpa) [A-Z]+$/.test(q))).toEqual([]);
  });
});
