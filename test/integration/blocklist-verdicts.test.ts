// "Not listed" needs an answer. Through the core's API on a real SQLite file, against the tests'
// DNS server that leaves the blocklists unanswered (a resolver timeout), then lets one list answer,
// then all: a target is "Not listed" (good) only when every list answered; the health score's
// blocklist part is left out while any list is silent, and a mailbox with nothing else measured
// has no score at all (never 100/100 on no evidence).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlocklistOverview } from '../../shared/domain/blocklist';
import { startTestCore, type TestCore } from '../helpers/core';
import { startDnsServer, type TestDnsServer, type ZoneRecord } from '../helpers/dns-server';

const a = (...ips: string[]): ZoneRecord[] => ips.map((value) => ({ type: 'A', value }));
const ZONES = ['zen.spamhaus.org', 'dbl.spamhaus.org', 'multi.surbl.org'];

let k: TestCore;
let dns: TestDnsServer;
let mailboxId: string;

beforeAll(async () => {
  // Nothing answers under the list zones: every query times out.
  dns = await startDnsServer({});
  for (const z of ZONES) dns.silentUnder.add(z);
  k = await startTestCore({ warmup: false, dnsServers: [dns.server] });
  // A self-hosted mailbox on a private SMTP address: the domain is the target, plus one IP by hand.
  mailboxId = (await k.call('mailboxes.create', { email: 'box@quiet.test', smtp: { host: '127.0.0.1', port: 9, security: 'none', password: 'pw-quiet' } })).id;
  const settings = await k.call('blocklists.settings.get', {});
  // Three lists keep the scan to one round of timeouts.
  const zones = Object.fromEntries(settings.zones.map((z) => [z.name, ZONES.includes(z.name)]));
  await k.call('blocklists.settings.update', { zones, extraTargets: ['192.0.2.1'] });
}, 60_000);
afterAll(async () => {
  await k?.core.close();
  await dns?.close();
});

const target = (o: BlocklistOverview, value: string) => o.targets.find((t) => t.value === value)!;

describe('blocklist verdicts rest on answers', () => {
  it('no list answers: every row and every target is unknown, and the health score is not 100', async () => {
    const o = await k.call('blocklists.scan', {});
    expect(o.lastScan).toMatchObject({ queries: 6, errors: 3, clear: 0, listed: 0 });
    for (const t of o.targets) {
      for (const r of t.results) {
        expect(r.status).toBe('error');
        expect(r.verdict).toMatchObject({ state: 'unknown', label: 'No verdict' });
        expect(r.verdict.evidence).toEqual([{ asked: `A ${r.query}`, answered: expect.stringMatching(/^no verdict: TIMEOUT/), at: r.checkedAt }]);
      }
    }
    expect(target(o, 'quiet.test').verdict).toMatchObject({ state: 'unknown', label: 'No verdict', detail: 'None of the 2 lists answered: whether it is listed is unknown.' });
    expect(target(o, '192.0.2.1').verdict).toMatchObject({ state: 'unknown', label: 'No verdict' });
    expect(o.summary).toMatchObject({ listedTargets: 0, unknownTargets: 2 });
    // The stored overview says the same as the scan's answer.
    expect((await k.call('blocklists.get', {})).targets.map((t) => t.verdict.state)).toEqual(['unknown', 'unknown']);

    const h = await k.call('health.mailbox', { id: mailboxId });
    const part = h.components.find((c) => c.part === 'blocklists')!;
    expect(part).toMatchObject({ score: null, detail: 'No list answered any of the 3 queries (TIMEOUT): whether it is listed is unknown', verdict: { state: 'unknown' } });
    expect(h.score).toBeNull();
    expect(h.components.every((c) => c.verdict.state === 'unknown')).toBe(true);
  }, 60_000);

  it('one list answers: the target says how many answered and stays unknown; the part stays out', async () => {
    dns.silentUnder.delete('multi.surbl.org');
    dns.set('test.surbl.org.multi.surbl.org', a('127.0.0.254'));
    const o = await k.call('blocklists.scan', {});
    expect(target(o, 'quiet.test').verdict).toMatchObject({
      state: 'unknown',
      label: '1 of 2 answered',
      detail: 'Not listed on the 1 list that answered; 1 list gave no answer, so it may be listed there.',
    });
    const part = (await k.call('health.mailbox', { id: mailboxId })).components.find((c) => c.part === 'blocklists')!;
    expect(part).toMatchObject({ score: null, verdict: { state: 'unknown' } });
    expect(part.detail).toBe('Not listed where lists answered (1 of 3 queries); 2 of 3 queries got no answer (TIMEOUT): left out until every list answers');
  }, 60_000);

  it('every list answers "not listed": then, and only then, good and 100', async () => {
    dns.silentUnder.clear();
    dns.set('2.0.0.127.zen.spamhaus.org', a('127.0.0.2'));
    dns.set('dbltest.com.dbl.spamhaus.org', a('127.0.1.2'));
    const o = await k.call('blocklists.scan', {});
    expect(o.targets.map((t) => [t.value, t.verdict.state, t.verdict.label])).toEqual([
      ['192.0.2.1', 'good', 'Not listed'],
      ['quiet.test', 'good', 'Not listed'],
    ]);
    expect(target(o, 'quiet.test').verdict.evidence.map((e) => e.answered)).toEqual(['no A record (NXDOMAIN or NODATA): not listed', 'no A record (NXDOMAIN or NODATA): not listed']);
    const h = await k.call('health.mailbox', { id: mailboxId });
    expect(h.components.find((c) => c.part === 'blocklists')).toMatchObject({ score: 100, detail: 'Not listed: every list answered all 3 queries', verdict: { state: 'good', label: 'Good' } });
    expect(h.score).toBe(100);
  }, 60_000);
});
