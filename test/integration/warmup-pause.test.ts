import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addMailHubUser } from '../helpers/mailhub';
import { startTestCore, type TestCore } from '../helpers/core';
import { findByMessageId, hubAccount, uniqueUser } from '../helpers/imap';
import { waitFor } from '../helpers/wait';
import type { DayPlan } from '../../shared/domain/warmup';

// A pause holds the day's remaining warmup mail; a resume releases what still fits in the send window.
// Four senders on the real mail hub (Postfix → Dovecot), simulated clock: two are paused just before
// their first send and resumed 10 minutes later (one through mailboxes.pause, one through warmup.pause),
// and must still send their whole day of 5 before the window ends; two stay paused past the window and
// have their 5 dropped with a reason when resumed.

const hub = inject('mailhub');
const DAY = '2026-11-24';
const START = Date.UTC(2026, 10, 24, 6, 0); // Tuesday 06:00 UTC, before the 08:00–18:00 window
const WINDOW_END = Date.UTC(2026, 10, 24, 18, 0);
const MIN = 60_000;
const RAMP = { startVolume: 5, dailyIncrease: 1, dailyMax: 10, variancePct: 0, days: [1, 2, 3, 4, 5, 6, 7], window: { start: '08:00', end: '18:00' }, timeZone: 'UTC' };

type Path = 'mailboxes' | 'warmup';
interface Sender {
  id: string;
  path: Path;
  late: boolean;
}

let k: TestCore;
const receivers = [uniqueUser('hold-r1'), uniqueUser('hold-r2', 'other.test'), uniqueUser('hold-r3')];
const senders: Sender[] = [];
const during: Record<string, DayPlan> = {};
const atResume: Record<string, DayPlan> = {};
const atLateResume: Record<string, DayPlan> = {};
const end: Record<string, DayPlan> = {};
let overnight = '';
let overnightDay: DayPlan;
let overnightNext: DayPlan;
let overnightProgress = -1;
const NEXT_MORNING = Date.UTC(2026, 10, 25, 7, 0);
let pausedAt = 0;
let resumedAt = 0;

const plan = (id: string) => k.call('warmup.plan', { id, day: DAY });
const pause = (s: Sender) => (s.path === 'mailboxes' ? k.call('mailboxes.pause', { id: s.id }) : k.call('warmup.pause', { id: s.id }));
const resume = (s: Sender) => (s.path === 'mailboxes' ? k.call('mailboxes.resume', { id: s.id }) : k.call('warmup.resume', { id: s.id }));

/** One scheduler pass at the current simulated time, and the released mail sent. */
async function step(): Promise<void> {
  await k.core.services.warmupEngine!.tick();
  k.core.services.dispatcher!.kick();
  await waitFor(() => k.core.services.queue.waiting().queued + k.core.services.queue.waiting().sending === 0, { what: 'the queue to drain' });
}

function nextPlanned(ids: string[]): number | null {
  const r = k.core.services.db.sqlite
    .prepare(`SELECT min(next_attempt_at) AS at FROM messages WHERE kind = 'warmup' AND status = 'planned' AND mailbox_id IN (SELECT value FROM json_each(?))`)
    .get(JSON.stringify(ids)) as { at: number | null };
  return r.at;
}

beforeAll(async () => {
  k = await startTestCore({ ca: [hub.caCert], now: START, engagement: { filing: { mode: 'none' } } });
  for (const u of receivers) {
    await addMailHubUser(hub, u.address, u.password);
    const mb = await k.call('mailboxes.create', { email: u.address, provider: 'custom', ...hubAccount(hub, u) });
    await k.call('warmup.update', { id: mb.id, pool: true });
  }
  for (const [path, late] of [['mailboxes', false], ['warmup', false], ['mailboxes', true], ['warmup', true]] as [Path, boolean][]) {
    const u = uniqueUser(`hold-${path}-${late ? 'late' : 'soon'}`);
    await addMailHubUser(hub, u.address, u.password);
    // Send-only (no IMAP): the senders are not pool members, so the receivers' counts stay simple.
    const mb = await k.call('mailboxes.create', { email: u.address, provider: 'custom', smtp: hubAccount(hub, u).smtp });
    await k.call('warmup.update', { id: mb.id, enabled: true, ramp: RAMP });
    senders.push({ id: mb.id, path, late });
  }
  const u = uniqueUser('hold-overnight');
  await addMailHubUser(hub, u.address, u.password);
  overnight = (await k.call('mailboxes.create', { email: u.address, provider: 'custom', smtp: hubAccount(hub, u).smtp })).id;
  await k.call('warmup.update', { id: overnight, enabled: true, ramp: RAMP });
  await step();
  const ids = senders.map((s) => s.id);

  // Pause every sender a minute before the first send of any of them; the scheduler runs meanwhile.
  pausedAt = nextPlanned(ids)! - MIN;
  k.clock.set(pausedAt);
  for (const s of senders) await pause(s);
  await k.call('mailboxes.pause', { id: overnight });
  await step();
  for (const s of senders) during[s.id] = await plan(s.id);

  // Ten minutes later (the first sends fell due meanwhile): resume the first two, read the plan at once.
  resumedAt = pausedAt + 10 * MIN;
  k.clock.set(resumedAt);
  await step();
  for (const s of senders.filter((x) => !x.late)) {
    await resume(s);
    atResume[s.id] = await plan(s.id);
  }

  // Through the rest of the day, from one due send to the next.
  const soon = senders.filter((s) => !s.late).map((s) => s.id);
  for (let i = 0; i < 60; i++) {
    const next = nextPlanned(soon);
    if (next === null) break;
    k.clock.set(Math.max(k.clock.now(), next));
    await step();
  }
  // After the window: the other two come back, their day is over.
  k.clock.set(WINDOW_END + 30 * MIN);
  await step();
  for (const s of senders.filter((x) => x.late)) {
    await resume(s);
    atLateResume[s.id] = await plan(s.id);
  }
  await step();
  for (const s of senders) end[s.id] = await plan(s.id);

  // Paused across midnight: resumed the next morning, the held day is closed and gives its step back.
  k.clock.set(NEXT_MORNING);
  await step();
  await k.call('mailboxes.resume', { id: overnight });
  overnightDay = await plan(overnight);
  overnightProgress = (await k.call('warmup.get', { id: overnight })).progress;
  await step();
  overnightNext = await k.call('warmup.plan', { id: overnight, day: '2026-11-25' });
}, 180_000);

afterAll(async () => {
  await k?.core.close();
});

describe.each(['mailboxes', 'warmup'] as const)('a %s pause holds the day and a resume releases it', (path) => {
  const soon = () => senders.find((s) => s.path === path && !s.late)!;
  const late = () => senders.find((s) => s.path === path && s.late)!;

  it('keeps the held mail planned while paused: 0/5, not 0/0, and nothing goes out', () => {
    for (const s of [soon(), late()]) {
      const p = during[s.id]!;
      expect(p).toMatchObject({ planned: true, state: 'paused', target: 5, sent: 0, pending: 5, dropped: 0 });
      expect(p.items.filter((i) => i.status === 'planned')).toHaveLength(5);
    }
  });

  it('a resume 10 minutes later shows 0/5 at once, not paused, re-spaced inside the rest of the window', async () => {
    const p = atResume[soon().id]!;
    expect(p).toMatchObject({ target: 5, volume: 5, sent: 0, pending: 5, dropped: 0, droppedReason: null });
    expect(p.state).not.toBe('paused');
    expect(p.reason ?? '').not.toMatch(/paused/i);
    for (const i of p.items) {
      expect(Date.parse(i.at)).toBeGreaterThanOrEqual(resumedAt);
      expect(Date.parse(i.at)).toBeLessThan(WINDOW_END);
    }
    expect((await k.call('warmup.get', { id: soon().id })).state).toBe('warming');
  });

  it('sends the 5 before the window ends, and they arrive at Dovecot', async () => {
    const p = end[soon().id]!;
    expect(p).toMatchObject({ target: 5, sent: 5, pending: 0, failed: 0, dropped: 0 });
    expect(p.state).not.toBe('paused');
    for (const i of p.items) expect(Date.parse(i.sentAt!)).toBeLessThan(WINDOW_END);
    const rows = k.core.services.db.sqlite
      .prepare(`SELECT m.message_id AS mid, r.address AS address FROM messages m JOIN message_recipients r ON r.message_id = m.id WHERE m.mailbox_id = ? AND m.kind = 'warmup' AND m.plan_day = ?`)
      .all(soon().id, DAY) as { mid: string; address: string }[];
    expect(rows).toHaveLength(5);
    for (const r of rows) {
      const u = receivers.find((x) => x.address === r.address)!;
      await waitFor(async () => (await findByMessageId(hub, u.address, u.password, r.mid)).length === 1, { what: `${r.mid} in ${u.address}'s INBOX` });
    }
  });

  it('a resume after the window closed drops the held mail with a visible reason and sends nothing', () => {
    const p = atLateResume[late().id]!;
    expect(p).toMatchObject({ target: 0, sent: 0, pending: 0, dropped: 5 });
    expect(p.state).not.toBe('paused');
    expect(p.droppedReason).toMatch(/^5 planned warmup messages were dropped: resumed at 18:30, after today's send window closed/);
    expect(p.reason).toBe(p.droppedReason);
    expect(end[late().id]).toMatchObject({ sent: 0, pending: 0, dropped: 5 });
  });
});

describe('a pause that outlasts the day', () => {
  it("closes the held day when the mailbox comes back: its mail dropped with the reason, its ramp step given back", () => {
    expect(overnightDay).toMatchObject({ day: DAY, state: 'paused', target: 5, sent: 0, pending: 0, dropped: 5 });
    expect(overnightDay.reason).toBe('Held by a pause until the day ended.');
    expect(overnightDay.droppedReason).toBe('5 planned warmup messages were dropped: the day ended while warmup was held.');
    expect(overnightProgress).toBe(0);
  });

  it('plans the new day from the position the held day gave back', () => {
    expect(overnightNext).toMatchObject({ planned: true, sendingDay: 0, target: 5, pending: 5 });
    expect(overnightNext.state).not.toBe('paused');
  });
});
