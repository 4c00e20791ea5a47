// Scheduled blocklist scans as the core runs them: the `blocklistScanHours` option starts a
// scheduler whose timer (faked here: only setInterval, so DNS, sockets and waits stay real) asks
// the simulated clock whether a scan is due. Against a DNS server on 127.0.0.1 serving the zones,
// the first timer tick scans (never scanned yet), a tick before the period scans nothing, and the
// tick at the period scans again, records the new listing and raises its alert. Each tick is
// awaited through `tick()`, which waits for the timer's pass (passes never overlap) and finds
// nothing left to do: without the timer, that call would do the scan itself and the test fails.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCore, type CoreInternals } from '../../electron/core/app';
import type { CallContext } from '../../electron/core/api/context';
import { ManualClock } from '../../electron/core/clock';
import type { BlocklistOverview } from '../../shared/domain/blocklist';
import { startDnsServer, type TestDnsServer, type ZoneRecord } from '../helpers/dns-server';
import { tempDataDir } from '../helpers/kiln';

const HOUR = 3_600_000;
const POLL = 60_000; // the scheduler's real-time poll
const a = (...ips: string[]): ZoneRecord[] => ips.map((value) => ({ type: 'A', value }));
const TARGET = '192.0.2.2';
const LISTING = '2.2.0.192.zen.spamhaus.org';

let dns: TestDnsServer;
let core: CoreInternals;
const clock = new ManualClock(Date.UTC(2026, 10, 23, 10, 0, 0));
let ctx: CallContext;

async function call<T>(method: string, input: unknown): Promise<T> {
  const res = await core.call(method as never, input as never, ctx);
  if (!res.ok) throw new Error(`${method}: ${res.error.code} ${res.error.message}`);
  return res.data as T;
}
const scans = async () => (await call<{ items: Array<{ trigger: string }> }>('blocklists.history', {})).items;
const zen = async () => (await call<BlocklistOverview>('blocklists.get', {})).targets.find((t) => t.value === TARGET)?.results.find((r) => r.zone === 'zen.spamhaus.org');
/** Let the scheduler's poll fire, then wait for its pass; resolves with what a further pass scanned. */
async function pollFires(): Promise<number> {
  vi.advanceTimersByTime(POLL);
  return core.services.blocklistScheduler!.tick();
}

beforeAll(async () => {
  dns = await startDnsServer({
    // Each list confirms its RFC 5782 test entry, so the zone counts as working.
    '2.0.0.127.zen.spamhaus.org': a('127.0.0.2', '127.0.0.4', '127.0.0.10'),
    'dbltest.com.dbl.spamhaus.org': a('127.0.1.2'),
    'test.surbl.org.multi.surbl.org': a('127.0.0.254'),
    'test.uribl.com.multi.uribl.com': a('127.0.0.14'),
  });
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  core = await createCore({
    dataDir: tempDataDir(),
    clock,
    dispatch: false,
    dnsServers: [dns.server],
    blocklistScanHours: 6,
    logger: pino({ level: 'info' }, new Writable({ write: (_c, _e, cb) => cb() })),
  });
  ctx = { workspaceId: core.defaultWorkspaceId, scopes: ['admin'] };
  await call('blocklists.settings.update', { extraTargets: [TARGET], zones: { 'b.barracudacentral.org': false, 'bl.spamcop.net': false, 'bl.mailspike.net': false } });
}, 30_000);

afterAll(async () => {
  await core?.close();
  vi.useRealTimers();
  await dns?.close();
});

describe('scheduled blocklist scans', () => {
  it('the first poll scans a workspace never scanned, and records a clean result', async () => {
    expect(await scans()).toEqual([]);
    expect(await pollFires()).toBe(0);
    expect((await scans()).map((s) => s.trigger)).toEqual(['schedule']);
    expect(await zen()).toMatchObject({ status: 'clear' });
    expect(dns.queries).toContain(`${LISTING} A`);
    expect((await call<{ items: unknown[] }>('alerts.list', {})).items).toEqual([]);
  });

  it('does not scan again before its period, even with a listing waiting', async () => {
    dns.set(LISTING, a('127.0.0.2'));
    const asked = dns.queries.length;
    clock.advance(6 * HOUR - 1);
    expect(await pollFires()).toBe(0);
    expect(await scans()).toHaveLength(1);
    expect(dns.queries.slice(asked)).toEqual([]);
    expect(await zen()).toMatchObject({ status: 'clear' });
  });

  it('scans when the period is up: records the listing and raises its alert', async () => {
    clock.advance(1);
    expect(await pollFires()).toBe(0);
    expect((await scans()).map((s) => s.trigger)).toEqual(['schedule', 'schedule']);
    expect(await zen()).toMatchObject({ status: 'listed', listedSince: new Date(clock.now()).toISOString() });
    const alerts = (await call<{ items: Array<{ kind: string; key: string; severity: string }> }>('alerts.list', {})).items;
    expect(alerts).toEqual([expect.objectContaining({ kind: 'blocklist.listed', key: `blocklist:zen.spamhaus.org:${TARGET}`, severity: 'critical' })]);
  });
});
