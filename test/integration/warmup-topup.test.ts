import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { addMailHubUser } from '../helpers/mailhub';
import { startFaultServer, type FaultServer } from '../helpers/fault-smtp';
import { startTestCore, type TestCore } from '../helpers/core';
import { hubAccount, uniqueUser } from '../helpers/imap';
import { waitFor } from '../helpers/wait';
import type { DayPlan } from '../../shared/domain/warmup';

// Failed sends never count toward the day: a sender whose SMTP server (scripted smtp-server on
// 127.0.0.1) rejects two of its messages at DATA still gets its full day of accepted warmup mail,
// through replacements planned later in the window, to pool members only.
//
// The send times are seeded by the sender's mailbox id, which is random: a rejection that landed in
// the window's last step got no replacement (the planner stops topping up at window end - gap) and
// the day ended "sent 3 of 4" now and then. The seed is pinned to one name, so every run sends at
// the same times, and the test checks that its rejections came early enough to be replaced.
const pin = vi.hoisted(() => ({ senderId: '' }));
vi.mock('../../shared/warmup/random', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../shared/warmup/random')>();
  return { ...actual, hashSeed: (...parts: string[]) => actual.hashSeed(...parts.map((p) => (p === pin.senderId ? 'topup-sender' : p))) };
});

const hub = inject('mailhub');
const START = Date.UTC(2026, 10, 24, 6, 0); // Tuesday 06:00 UTC
const MIN = 60_000;
const STEP = 20 * MIN;
/** The window's end minus the default minimum gap (3 min): no replacement is planned from there on. */
const TOP_UP_CUTOFF = Date.UTC(2026, 10, 24, 18, 0) - 3 * MIN;
let server: FaultServer;
let k: TestCore;
let senderId: string;
const pool = [uniqueUser('topup-a'), uniqueUser('topup-b', 'other.test')];
let plan: DayPlan;
/** The simulated time of each rejection (the step whose tick released the message). */
const rejectedAt: number[] = [];

beforeAll(async () => {
  server = await startFaultServer({
    script: {
      data: (_raw, _s, n) => {
        if (n !== 1 && n !== 3) return undefined;
        rejectedAt.push(k.clock.now());
        return { reply: 554, message: '5.6.0 Message content rejected' };
      },
    },
  });
  k = await startTestCore({ ca: [hub.caCert], now: START });
  for (const u of pool) {
    await addMailHubUser(hub, u.address, u.password);
    const mb = await k.call('mailboxes.create', { email: u.address, provider: 'custom', ...hubAccount(hub, u) });
    await k.call('warmup.update', { id: mb.id, pool: true });
  }
  const sender = await k.call('mailboxes.create', {
    email: 'warm-sender@faults.test',
    provider: 'custom',
    smtp: { host: '127.0.0.1', port: server.port, security: 'none', user: 'warm-sender@faults.test', password: 'pw' },
  });
  senderId = sender.id;
  pin.senderId = senderId;
  await k.call('warmup.update', {
    id: senderId,
    enabled: true,
    ramp: { startVolume: 4, dailyIncrease: 1, dailyMax: 10, variancePct: 0, days: [1, 2, 3, 4, 5, 6, 7], window: { start: '08:00', end: '18:00' }, timeZone: 'UTC' },
  });
  // One hour past the window: a send deferred by the per-minute limit at 18:00 still goes out.
  for (let t = START; t <= START + 13 * 60 * MIN; t += STEP) {
    k.clock.set(t);
    await k.core.services.warmupEngine!.tick();
    k.core.services.dispatcher!.kick();
    await waitFor(() => k.core.services.queue.waiting().queued + k.core.services.queue.waiting().sending === 0, { what: 'the queue to drain' });
  }
  plan = await k.call('warmup.plan', { id: senderId, day: '2026-11-24' });
}, 120_000);

afterAll(async () => {
  await k?.core.close();
  await server?.close();
});

describe('warmup top-up after failed sends', () => {
  it('meets the day target with accepted mail only', () => {
    expect(plan.target).toBe(4);
    expect(plan.failed).toBe(2);
    expect(plan.items.filter((i) => i.status === 'failed')).toHaveLength(2);
    // The next tick, one step after a rejection, plans its replacement only before the cutoff. A
    // seed whose second rejection came later (e.g. "mbx_36") ended the day at 3 of 4: the old flake.
    expect(rejectedAt).toHaveLength(2);
    for (const t of rejectedAt) expect(t + STEP, `a rejection at ${new Date(t).toISOString()} is seen after the top-up cutoff`).toBeLessThan(TOP_UP_CUTOFF);
    expect(plan.sent).toBe(4);
    expect(server.delivered).toHaveLength(4);
  });

  it('mails only pool members, never itself, with plain innocent content', () => {
    const members = new Set(pool.map((u) => u.address));
    for (const d of server.delivered) {
      expect(d.to).toHaveLength(1);
      expect(members.has(d.to[0]!)).toBe(true);
      expect(d.raw).toMatch(/^X-Entity-Ref-ID: [0-9a-f]{32}$/m);
      expect(d.raw).not.toMatch(/https?:|<img|<a /i);
    }
  });

  it('spreads the sends over the window with a minimum gap', () => {
    const times = plan.items.filter((i) => i.sentAt).map((i) => Date.parse(i.sentAt!)).sort((a, b) => a - b);
    expect(times).toHaveLength(4);
    expect(times[0]!).toBeGreaterThanOrEqual(Date.UTC(2026, 10, 24, 8, 0));
    expect(times.at(-1)!).toBeLessThanOrEqual(Date.UTC(2026, 10, 24, 19, 0));
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(3 * MIN);
  });
});
