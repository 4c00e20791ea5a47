// DNS blocklists against an authoritative DNS server on 127.0.0.1 that serves test data under the
// default zone names (those names live only in the test server; Kiln's resolver is pointed at it,
// so nothing else is ever asked). Proves the return-code reading (listed, PBL, clear, Spamhaus'
// public-resolver error, a hijacked answer, a timeout, DBL and SURBL bitmasks, a custom zone),
// Spamhaus DQS routing with a key that never leaves the secret store, and alerts on change only:
// first scan silent, one alert per new listing, an error or an unverified zone never resolves it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { Writable } from 'node:stream';
import type { PushEvent } from '../../shared/api/events';
import type { BlocklistOverview, BlocklistResult } from '../../shared/domain/blocklist';
import { createCore } from '../../electron/core/app';
import { ManualClock } from '../../electron/core/clock';
import { BlocklistScheduler } from '../../electron/core/checks/blocklists/scheduler';
import { dqsSecretRef } from '../../electron/core/checks/blocklists/settings';
import type { CallContext } from '../../electron/core/api/context';
import { codeOf, startTestCore, type TestCore } from '../helpers/core';
import { startDnsServer, type TestDnsServer, type ZoneRecord } from '../helpers/dns-server';
import { tempDataDir } from '../helpers/kiln';

const HOUR = 3_600_000;
const KEY = 'kilntestdqskey0123456789ab';
const a = (...ips: string[]): ZoneRecord[] => ips.map((value) => ({ type: 'A', value }));

// Every default zone confirms its test entry, as the real lists do (RFC 5782 test points).
const testPoints = {
  '2.0.0.127.zen.spamhaus.org': a('127.0.0.2', '127.0.0.4', '127.0.0.10'),
  'dbltest.com.dbl.spamhaus.org': a('127.0.1.2'),
  '2.0.0.127.b.barracudacentral.org': a('127.0.0.2'),
  '2.0.0.127.bl.spamcop.net': a('127.0.0.2'),
  '2.0.0.127.bl.mailspike.net': a('127.0.0.2'),
  'test.surbl.org.multi.surbl.org': a('127.0.0.254'),
  'test.uribl.com.multi.uribl.com': a('127.0.0.14'),
  [`2.0.0.127.${KEY}.zen.dq.spamhaus.net`]: a('127.0.0.2'),
  [`dbltest.com.${KEY}.dbl.dq.spamhaus.net`]: a('127.0.1.2'),
};

let k: TestCore;
let dns: TestDnsServer;
const events: PushEvent[] = [];
const IPV6 = '2001:db8::25';
const IPV6_ZEN = `${'5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2'}.zen.spamhaus.org`;

beforeAll(async () => {
  dns = await startDnsServer({
    ...testPoints,
    '2.2.0.192.zen.spamhaus.org': a('127.0.0.2'),
    '10.2.0.192.zen.spamhaus.org': a('127.0.0.10'),
    '54.113.0.203.zen.spamhaus.org': a('127.255.255.254'),
    '7.100.51.198.bl.spamcop.net': a('10.0.0.1'),
    '2.2.0.192.bl.kiln-test.example': a('127.0.0.3'),
    'kiln-bl.example.dbl.spamhaus.org': a('127.0.1.2'),
    'kiln-bl.example.multi.surbl.org': a('127.0.0.72'),
    // The self-hosted SMTP host: one public address (checked) and one private (never asked about).
    'smtp.kiln-bl.example': a('192.0.2.25', '10.0.0.5'),
    [`2.2.0.192.${KEY}.zen.dq.spamhaus.net`]: a('127.0.0.2'),
    [`kiln-bl.example.${KEY}.dbl.dq.spamhaus.net`]: a('127.0.1.2'),
  });
  k = await startTestCore({ warmup: false, dnsServers: [dns.server] });
  k.core.subscribe((e) => events.push(e));
  await k.call('mailboxes.create', { email: 'sender@kiln-bl.example', provider: 'custom', smtp: { host: 'smtp.kiln-bl.example', port: 587, security: 'starttls', password: 'pw-1' } });
  // A consumer mailbox: gmail.com is not the user's domain and smtp.gmail.com is not their outbound IP.
  await k.call('mailboxes.create', { email: 'someone@gmail.com', provider: 'gmail', smtp: { password: 'pw-2' } });
}, 60_000);
afterAll(async () => {
  await k?.core.close();
  await dns?.close();
});

const result = (o: BlocklistOverview, target: string, zone: string): BlocklistResult => {
  const r = o.targets.find((t) => t.value === target)?.results.find((x) => x.zone === zone);
  if (!r) throw new Error(`no result for ${target} on ${zone}`);
  return r;
};
const statuses = (o: BlocklistOverview, target: string) => Object.fromEntries(o.targets.find((t) => t.value === target)!.results.map((r) => [r.zone, r.status]));
/** The questions a block of code made the DNS server answer. */
async function asked<T>(fn: () => Promise<T>): Promise<{ value: T; queries: string[] }> {
  const from = dns.queries.length;
  const value = await fn();
  return { value, queries: dns.queries.slice(from) };
}
const alertEvents = (ws: string) => events.filter((e) => e.workspaceId === ws && e.name.startsWith('alert.'));

async function otherWorkspace(slug: string): Promise<CallContext> {
  const id = `ws_bl_${slug}`;
  await k.core.services.db.kysely.insertInto('workspaces').values({ id, slug, name: slug, created_at: k.clock.now() }).execute();
  return { workspaceId: id, scopes: ['admin'] };
}

describe('blocklists', () => {
  it('first scan: reads every kind of answer, asks only what it should, and raises nothing', async () => {
    await k.call('blocklists.settings.update', {
      extraTargets: ['192.0.2.1', '192.0.2.2', '192.0.2.10', '203.0.113.54', '198.51.100.7', IPV6, 'clean.example'],
      customZones: [{ name: 'bl.kiln-test.example', label: 'Kiln test list', kind: 'ip' }],
    });
    const { value: o, queries } = await asked(() => k.call('blocklists.scan', {}));

    // 7 IPv4 + 1 IPv6 (ZEN only) + 2 domains; 37 pairs and 7 test points.
    expect(o.lastScan).toMatchObject({ trigger: 'manual', targets: 9, queries: 44, listed: 5, errors: 2, clear: 30, dqs: false });
    expect(o.summary).toEqual({ targets: 9, zones: 8, listed: 5, clear: 30, error: 2, listedTargets: 3, unknownTargets: 2 });
    // A target is "Not listed" only when every list answered; one unanswered list leaves it unknown.
    const verdicts = Object.fromEntries(o.targets.map((t) => [t.value, t.verdict.state]));
    expect(verdicts).toMatchObject({ '192.0.2.1': 'good', '192.0.2.2': 'bad', '192.0.2.10': 'warning', '203.0.113.54': 'unknown', '198.51.100.7': 'unknown', 'clean.example': 'good' });
    expect(o.targets.find((t) => t.value === 'kiln-bl.example')!.sources).toEqual(['mailbox']);
    expect(o.targets.find((t) => t.value === '192.0.2.25')!.sources).toEqual(['smtp-host']);
    expect(o.targets.map((t) => t.value)).not.toContain('gmail.com');

    expect(result(o, '192.0.2.2', 'zen.spamhaus.org')).toMatchObject({
      status: 'listed',
      codes: [{ code: '127.0.0.2', meaning: expect.stringMatching(/^SBL/), policy: false }],
      error: null,
      query: '2.2.0.192.zen.spamhaus.org',
    });
    expect(result(o, '192.0.2.2', 'bl.kiln-test.example')).toMatchObject({ label: 'Kiln test list', status: 'listed', codes: [{ code: '127.0.0.3' }] });
    expect(result(o, '192.0.2.10', 'zen.spamhaus.org')).toMatchObject({ status: 'listed', codes: [{ code: '127.0.0.10', policy: true, meaning: expect.stringMatching(/^PBL/) }] });
    expect(Object.values(statuses(o, '192.0.2.1'))).toEqual(['clear', 'clear', 'clear', 'clear', 'clear']);
    // Spamhaus' "public resolver" code is an error, not a listing.
    expect(result(o, '203.0.113.54', 'zen.spamhaus.org')).toMatchObject({
      status: 'error',
      codes: [],
      error: { code: 'BLOCKED_RESOLVER', message: expect.stringMatching(/public\/open resolver/) },
      listedSince: null,
    });
    // An answer outside 127/8 is a hijacking resolver, not a listing.
    expect(result(o, '198.51.100.7', 'bl.spamcop.net')).toMatchObject({ status: 'error', error: { code: 'NOT_LOOPBACK' } });
    expect(result(o, IPV6, 'zen.spamhaus.org')).toMatchObject({ status: 'clear', query: IPV6_ZEN });
    expect(statuses(o, IPV6)).toEqual({ 'zen.spamhaus.org': 'clear' });
    expect(result(o, 'kiln-bl.example', 'dbl.spamhaus.org')).toMatchObject({ status: 'listed', codes: [{ code: '127.0.1.2', meaning: 'spam domain (low reputation)' }] });
    expect(result(o, 'kiln-bl.example', 'multi.surbl.org').codes).toEqual([{ code: '127.0.0.72', meaning: 'PH (phishing), ABUSE (spam)', policy: false }]);
    expect(statuses(o, 'clean.example')).toEqual({ 'dbl.spamhaus.org': 'clear', 'multi.surbl.org': 'clear', 'multi.uribl.com': 'clear' });

    expect(queries).toEqual(expect.arrayContaining([
      'smtp.kiln-bl.example A',
      'smtp.kiln-bl.example AAAA',
      '2.2.0.192.zen.spamhaus.org A',
      '1.2.0.192.b.barracudacentral.org A',
      '25.2.0.192.bl.mailspike.net A',
      `${IPV6_ZEN} A`,
      'kiln-bl.example.dbl.spamhaus.org A',
      'clean.example.multi.uribl.com A',
      '2.0.0.127.zen.spamhaus.org A',
      'test.uribl.com.multi.uribl.com A',
    ]));
    const zoneQueries = queries.filter((q) => q !== 'smtp.kiln-bl.example A' && q !== 'smtp.kiln-bl.example AAAA');
    expect(zoneQueries).toHaveLength(44);
    // Never: the private SMTP address, consumer domains, IPv6 on IPv4-only lists, domains on IP lists.
    expect(queries.filter((q) => /(^|\.)5\.0\.0\.10\.|gmail|smtp\.gmail/.test(q))).toEqual([]);
    expect(queries.filter((q) => q.includes('8.b.d.0.1.0.0.2') && !q.endsWith('zen.spamhaus.org A'))).toEqual([]);
    expect(queries.filter((q) => q.startsWith('clean.example.') && !/(dbl\.spamhaus\.org|multi\.surbl\.org|multi\.uribl\.com) A$/.test(q))).toEqual([]);

    // First scan silent: listings are visible, but nothing was raised.
    expect(alertEvents(k.ctx.workspaceId)).toEqual([]);
    expect((await k.call('alerts.list', {})).items).toEqual([]);
    const updated = events.filter((e) => e.name === 'blocklists.updated');
    expect(updated).toHaveLength(1);
    expect(updated[0]!.data).toMatchObject({ scan: { id: o.lastScan!.id, listed: 5 }, summary: { listedTargets: 3 } });
    expect(await k.call('blocklists.get', {})).toEqual(o);
  });

  it('a new listing raises one alert; a repeat raises nothing; errors and an unverified zone resolve nothing; a delisting resolves it', async () => {
    const ws = k.ctx.workspaceId;
    const key = 'blocklist:zen.spamhaus.org:192.0.2.1';
    k.advance(HOUR);
    dns.set('1.2.0.192.zen.spamhaus.org', a('127.0.0.2'));
    const listedAt = k.clock.now();
    let o = await k.call('blocklists.scan', {});
    expect(result(o, '192.0.2.1', 'zen.spamhaus.org')).toMatchObject({ status: 'listed', listedSince: new Date(listedAt).toISOString() });
    expect(alertEvents(ws).map((e) => e.name)).toEqual(['alert.raised']);
    expect(alertEvents(ws)[0]!.data).toMatchObject({ kind: 'blocklist.listed', severity: 'critical', key, ip: '192.0.2.1', title: '192.0.2.1 is listed on Spamhaus ZEN' });

    k.advance(HOUR);
    o = await k.call('blocklists.scan', {});
    expect(result(o, '192.0.2.1', 'zen.spamhaus.org').status).toBe('listed');
    expect(alertEvents(ws)).toHaveLength(1);
    // Listings seen on the first scan stay silent on later ones.
    expect((await k.call('alerts.list', {})).items.map((x) => x.key)).toEqual([key]);

    // The resolver gets blocked: an error, the listing's alert stays open and its start is kept.
    k.advance(HOUR);
    dns.set('1.2.0.192.zen.spamhaus.org', a('127.255.255.254'));
    o = await k.call('blocklists.scan', {});
    expect(result(o, '192.0.2.1', 'zen.spamhaus.org')).toMatchObject({ status: 'error', error: { code: 'BLOCKED_RESOLVER' }, listedSince: new Date(listedAt).toISOString() });
    expect(alertEvents(ws)).toHaveLength(1);

    // A zone answering NXDOMAIN to everything (its test entry included) is not a delisting.
    k.advance(HOUR);
    dns.set('1.2.0.192.zen.spamhaus.org', undefined);
    dns.set('2.0.0.127.zen.spamhaus.org', undefined);
    o = await k.call('blocklists.scan', {});
    expect(result(o, '192.0.2.1', 'zen.spamhaus.org')).toMatchObject({ status: 'error', error: { code: 'UNVERIFIED' } });
    // Listings with real codes still read as listings; only "not listed" needs the test entry.
    expect(result(o, '192.0.2.2', 'zen.spamhaus.org').status).toBe('listed');
    expect(result(o, '192.0.2.1', 'bl.spamcop.net').status).toBe('clear');
    expect(alertEvents(ws)).toHaveLength(1);
    expect((await k.call('alerts.list', {})).items.map((x) => x.key)).toEqual([key]);

    // The zone answers properly again: now the NXDOMAIN is a delisting.
    k.advance(HOUR);
    dns.set('2.0.0.127.zen.spamhaus.org', testPoints['2.0.0.127.zen.spamhaus.org']);
    o = await k.call('blocklists.scan', {});
    expect(result(o, '192.0.2.1', 'zen.spamhaus.org')).toMatchObject({ status: 'clear', listedSince: null });
    expect(alertEvents(ws).map((e) => e.name)).toEqual(['alert.raised', 'alert.resolved']);
    expect((await k.call('alerts.list', {})).items).toEqual([]);

    // A policy-only listing (PBL) is a new alert, with a lower severity.
    k.advance(HOUR);
    dns.set('1.2.0.192.zen.spamhaus.org', a('127.0.0.11'));
    await k.call('blocklists.scan', {});
    expect(alertEvents(ws).map((e) => e.name)).toEqual(['alert.raised', 'alert.resolved', 'alert.raised']);
    expect(alertEvents(ws)[2]!.data).toMatchObject({ key, severity: 'warning', detail: expect.stringMatching(/^127\.0\.0\.11: PBL/) });

    // The history tells the pair's story, change by change.
    const history = await k.call('blocklists.history', { limit: 10 });
    expect(history.items).toHaveLength(7);
    const story = history.items
      .flatMap((s) => s.changeList.filter((c) => c.target === '192.0.2.1' && c.zone === 'zen.spamhaus.org').map((c) => `${c.from}>${c.to}`))
      .reverse();
    expect(story).toEqual(['null>clear', 'clear>listed', 'listed>error', 'error>clear', 'clear>listed']);
    const page = await k.call('blocklists.history', { limit: 2 });
    expect((await k.call('blocklists.history', { limit: 2, cursor: page.nextCursor! })).items[0]!.id).toBe(history.items[2]!.id);
  });

  it('a target no longer checked loses its rows and its open alert', async () => {
    const ws = k.ctx.workspaceId;
    const settings = await k.call('blocklists.settings.get', {});
    await k.call('blocklists.settings.update', { extraTargets: settings.extraTargets.filter((t) => t !== '192.0.2.1') });
    const o = await k.call('blocklists.scan', {});
    expect(o.targets.map((t) => t.value)).not.toContain('192.0.2.1');
    expect(alertEvents(ws).map((e) => e.name).at(-1)).toBe('alert.resolved');
    expect((await k.call('alerts.list', {})).items).toEqual([]);
  });

  it('a zone that fails for every target two scans running raises check.error, resolved when it answers', async () => {
    const ctx = await otherWorkspace('bl-errors');
    const off = Object.fromEntries((await k.call('blocklists.settings.get', {}, ctx)).zones.filter((z) => z.name !== 'zen.spamhaus.org').map((z) => [z.name, false]));
    await k.call('blocklists.settings.update', { zones: off, extraTargets: ['203.0.113.54'] }, ctx);
    const { queries } = await asked(() => k.call('blocklists.scan', {}, ctx));
    expect(queries.sort()).toEqual(['2.0.0.127.zen.spamhaus.org A', '54.113.0.203.zen.spamhaus.org A']);
    expect(alertEvents(ctx.workspaceId)).toEqual([]);
    k.advance(HOUR);
    await k.call('blocklists.scan', {}, ctx);
    const raised = alertEvents(ctx.workspaceId);
    expect(raised.map((e) => e.name)).toEqual(['alert.raised']);
    expect(raised[0]!.data).toMatchObject({ kind: 'check.error', key: 'blocklist-error:zen.spamhaus.org', title: 'Spamhaus ZEN cannot be checked', detail: expect.stringMatching(/public\/open resolver/) });
    k.advance(HOUR);
    await k.call('blocklists.scan', {}, ctx);
    expect(alertEvents(ctx.workspaceId)).toHaveLength(1);
    dns.set('54.113.0.203.zen.spamhaus.org', undefined);
    await k.call('blocklists.scan', {}, ctx);
    expect(alertEvents(ctx.workspaceId).map((e) => e.name)).toEqual(['alert.raised', 'alert.resolved']);
    dns.set('54.113.0.203.zen.spamhaus.org', a('127.255.255.254'));
    // Workspaces never mix.
    expect((await k.call('blocklists.get', {}, ctx)).targets.map((t) => t.value)).toEqual(['203.0.113.54']);
  });

  it('a resolver timeout is an error, not a hang and not a verdict', async () => {
    const ctx = await otherWorkspace('bl-timeout');
    const off = Object.fromEntries((await k.call('blocklists.settings.get', {}, ctx)).zones.filter((z) => z.name !== 'b.barracudacentral.org').map((z) => [z.name, false]));
    await k.call('blocklists.settings.update', { zones: off, extraTargets: ['198.51.100.8', '192.0.2.1'] }, ctx);
    dns.silent.add('8.100.51.198.b.barracudacentral.org');
    const o = await k.call('blocklists.scan', {}, ctx);
    expect(result(o, '198.51.100.8', 'b.barracudacentral.org')).toMatchObject({ status: 'error', error: { code: 'TIMEOUT', message: 'no answer within the resolver timeout' } });
    expect(result(o, '192.0.2.1', 'b.barracudacentral.org').status).toBe('clear');
    expect(o.lastScan).toMatchObject({ errors: 1, clear: 1 });
  }, 30_000);

  it('routes Spamhaus through DQS with a key that stays in the secret store', async () => {
    const ctx = await otherWorkspace('bl-dqs');
    const off = Object.fromEntries(
      (await k.call('blocklists.settings.get', {}, ctx)).zones.filter((z) => !['zen.spamhaus.org', 'dbl.spamhaus.org', 'bl.spamcop.net'].includes(z.name)).map((z) => [z.name, false]),
    );
    const settings = await k.call('blocklists.settings.update', { zones: off, extraTargets: ['192.0.2.2', '203.0.113.54', 'kiln-bl.example'], dqsKey: KEY.toUpperCase() }, ctx);
    expect(settings.dqsKeySet).toBe(true);
    expect(settings.zones.filter((z) => z.dqs).map((z) => z.name)).toEqual(['zen.spamhaus.org', 'dbl.spamhaus.org']);
    expect(await k.core.services.secrets.get(dqsSecretRef(ctx.workspaceId))).toBe(KEY);

    const { value: o, queries } = await asked(() => k.call('blocklists.scan', {}, ctx));
    expect(queries.sort()).toEqual(
      [
        `2.2.0.192.${KEY}.zen.dq.spamhaus.net A`,
        `54.113.0.203.${KEY}.zen.dq.spamhaus.net A`,
        `2.0.0.127.${KEY}.zen.dq.spamhaus.net A`,
        `kiln-bl.example.${KEY}.dbl.dq.spamhaus.net A`,
        `dbltest.com.${KEY}.dbl.dq.spamhaus.net A`,
        // Other lists are asked as always.
        '2.2.0.192.bl.spamcop.net A',
        '54.113.0.203.bl.spamcop.net A',
        '2.0.0.127.bl.spamcop.net A',
      ].sort(),
    );
    expect(o.lastScan!.dqs).toBe(true);
    expect(result(o, '192.0.2.2', 'zen.spamhaus.org')).toMatchObject({ status: 'listed', query: '2.2.0.192.<dqs-key>.zen.dq.spamhaus.net' });
    // Through DQS, Spamhaus answers the address the public mirror refused.
    expect(result(o, '203.0.113.54', 'zen.spamhaus.org').status).toBe('clear');
    expect(result(o, 'kiln-bl.example', 'dbl.spamhaus.org')).toMatchObject({ status: 'listed', query: 'kiln-bl.example.<dqs-key>.dbl.dq.spamhaus.net' });

    // The key appears nowhere but the secret store: not in API output, rows, or logs.
    const outputs = JSON.stringify([o, settings, await k.call('blocklists.get', {}, ctx), await k.call('blocklists.settings.get', {}, ctx), await k.call('blocklists.history', {}, ctx)]);
    expect(outputs.toLowerCase()).not.toContain(KEY);
    const sqlite = k.core.services.db.sqlite;
    const tables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    for (const t of tables) expect(JSON.stringify(sqlite.prepare(`SELECT * FROM "${t}"`).all()).toLowerCase(), t).not.toContain(KEY);
    expect(k.logs.join('').toLowerCase()).not.toContain(KEY);
    // A rejected key is not repeated back either.
    const bad = await k.core.call('blocklists.settings.update', { dqsKey: 'secret-but-bad!' }, ctx);
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(JSON.stringify(bad)).not.toContain('secret-but-bad');

    // Removing the key removes the secret; Spamhaus is asked through the public mirrors again.
    expect((await k.call('blocklists.settings.update', { dqsKey: null }, ctx)).dqsKeySet).toBe(false);
    expect(await k.core.services.secrets.get(dqsSecretRef(ctx.workspaceId))).toBeNull();
    const again = await asked(() => k.call('blocklists.scan', {}, ctx));
    expect(again.queries).toContain('2.2.0.192.zen.spamhaus.org A');
    expect(again.queries.filter((q) => q.includes('dq.spamhaus.net'))).toEqual([]);
  });

  it('validates settings with coded errors and keeps scans and settings behind the admin scope', async () => {
    expect(await codeOf(k.call('blocklists.settings.update', { zones: { 'nope.example.org': false } }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(k.call('blocklists.settings.update', { extraTargets: ['10.1.2.3'] }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(k.call('blocklists.settings.update', { extraTargets: ['not a domain'] }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(k.call('blocklists.settings.update', { customZones: [{ name: 'zen.spamhaus.org', kind: 'ip' }] }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(k.call('blocklists.settings.update', { customZones: [{ name: 'bad zone', kind: 'ip' }] }))).toBe('VALIDATION_FAILED');
    const read: CallContext = { ...k.ctx, scopes: ['read'] };
    expect(await codeOf(k.call('blocklists.scan', {}, read))).toBe('FORBIDDEN');
    expect(await codeOf(k.call('blocklists.settings.update', { resolveSmtpHosts: false }, read))).toBe('FORBIDDEN');
    expect(await codeOf(k.call('blocklists.get', {}, read))).toBe('OK');

    // Turning a zone off stops its queries; the custom zone goes with its removal.
    const before = await k.call('blocklists.settings.get', {});
    expect(before.zones.find((z) => z.name === 'bl.kiln-test.example')).toMatchObject({ builtin: false, enabled: true, kind: 'ip' });
    await k.call('blocklists.settings.update', { zones: { 'multi.uribl.com': false }, customZones: [] });
    const { value: o, queries } = await asked(() => k.call('blocklists.scan', {}));
    expect(queries.filter((q) => q.includes('uribl.com') || q.includes('kiln-test.example'))).toEqual([]);
    expect(new Set(o.targets.flatMap((t) => t.results.map((r) => r.zone)))).toEqual(
      new Set(['zen.spamhaus.org', 'dbl.spamhaus.org', 'b.barracudacentral.org', 'bl.spamcop.net', 'bl.mailspike.net', 'multi.surbl.org']),
    );
  });

  it('runs scheduled scans on the injected clock only when asked, and stops with the core', async () => {
    expect(k.core.services.blocklistScheduler).toBeNull();
    const clock = new ManualClock(Date.UTC(2026, 10, 23, 10, 0, 0));
    const logs: string[] = [];
    const core = await createCore({
      dataDir: tempDataDir(),
      clock,
      dispatch: false,
      dnsServers: [dns.server],
      blocklistScanHours: 6,
      logger: pino({ level: 'info' }, new Writable({ write: (c, _e, cb) => (logs.push(String(c)), cb()) })),
    });
    const ctx: CallContext = { workspaceId: core.defaultWorkspaceId, scopes: ['admin'] };
    await core.call('blocklists.settings.update', { extraTargets: ['192.0.2.2'], zones: { 'b.barracudacentral.org': false, 'bl.spamcop.net': false, 'bl.mailspike.net': false } }, ctx);
    const scheduler = core.services.blocklistScheduler as BlocklistScheduler;
    expect(await scheduler.tick()).toBe(1); // never scanned: due at once
    expect(await scheduler.tick()).toBe(0);
    clock.advance(6 * HOUR - 1);
    expect(await scheduler.tick()).toBe(0);
    clock.advance(1);
    const { value: n, queries } = await asked(() => scheduler.tick());
    expect(n).toBe(1);
    expect(queries).toContain('2.2.0.192.zen.spamhaus.org A');
    const history = (await core.call('blocklists.history', {}, ctx)) as { ok: true; data: { items: Array<{ trigger: string }> } };
    expect(history.data.items.map((s) => s.trigger)).toEqual(['schedule', 'schedule']);
    await core.close();
    clock.advance(24 * HOUR);
    expect(await scheduler.tick()).toBe(0);
    expect(await codeOf(core.services.blocklists.scan(ctx.workspaceId))).toBe('SHUTTING_DOWN');
  });
});
