import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addMailHubUser } from '../helpers/mailhub';
import { startTestCore, type TestCore } from '../helpers/core';
import { findByMessageId, hubAccount, uniqueUser } from '../helpers/imap';
import { waitFor } from '../helpers/wait';
import { workspaceRepository } from '../../electron/core/workspaces/repository';
import type { CallContext } from '../../electron/core/api/context';
import type { DayPlan, WarmupStatus } from '../../shared/domain/warmup';

// Ten mailboxes in three workspaces warm each other for 14 simulated days through the real mail
// hub (Postfix → Dovecot/Sieve), with the simulated clock moved in 30-minute steps and each step
// allowed to settle: planned mail released and sent, seen over IMAP, engaged with. One sender's
// mail is filed as spam by the hub's Sieve (its address contains "junk-sender"): the closed loop
// must throttle it and say why. Kiln is restarted mid-day once: the day's plan must neither be
// lost nor doubled.

const hub = inject('mailhub');
const DAY = 86_400_000;
const MIN = 60_000;
// Monday 2026-11-23, 06:00 UTC: before every mailbox's window (08:00–18:00 UTC and Europe/Berlin).
const START = Date.UTC(2026, 10, 23, 6, 0);
const DAYS = 14;
const RAMP = { startVolume: 3, dailyIncrease: 1, dailyMax: 6, curve: { kind: 'linear' as const }, variancePct: 0, days: [1, 2, 3, 4, 5], window: { start: '08:00', end: '18:00' }, replyPct: 30, openPct: 90, importantPct: 20, rescuePct: 100 };

interface Box {
  id: string;
  address: string;
  password: string;
  ctx: CallContext;
  junk: boolean;
}

let k: TestCore;
const boxes: Box[] = [];
/** Plans per mailbox per day, read at the end of each simulated day. */
const plans = new Map<string, DayPlan[]>();
let restart: { day: string; mailbox: string; before: number; afterTick: number } | null = null;
/** The spam sender's status at the end of the last weekday (Friday of week 2). */
let junkFriday: WarmupStatus | null = null;

function q<T>(sql: string, ...args: unknown[]): T {
  return k.core.services.db.sqlite.prepare(sql).get(...args) as T;
}

/** Release what is due, then wait until it is sent, seen by its recipients and engaged with. */
async function settle(): Promise<void> {
  await k.core.services.warmupEngine!.tick();
  k.core.services.dispatcher!.kick();
  const now = k.clock.now();
  await waitFor(
    () => {
      const due = q<{ n: number }>(`SELECT count(*) AS n FROM messages WHERE status IN ('queued', 'sending') AND next_attempt_at <= ?`, now).n;
      const unseen = q<{ n: number }>(
        `SELECT count(*) AS n FROM messages m JOIN message_recipients r ON r.message_id = m.id AND r.status = 'accepted'
           JOIN mailboxes b ON b.email = r.address
          WHERE m.status = 'sent' AND NOT EXISTS (SELECT 1 FROM message_placements p WHERE p.message_id = m.id AND p.recipient = r.address AND p.placement != 'missing')`,
      ).n;
      const engaging = q<{ n: number }>(`SELECT count(*) AS n FROM message_placements WHERE engage_after IS NOT NULL AND engage_after <= ?`, now).n;
      return due + unseen + engaging === 0;
    },
    { timeoutMs: 30_000, intervalMs: 25, what: 'the step to settle (sent, seen, engaged)' },
  );
}

async function startCore(dataDir?: string, now = START): Promise<TestCore> {
  return startTestCore({ ca: [hub.caCert], feedbackPollMs: 250, dataDir, now, engagement: { dwellMs: [60_000, 600_000], filing: { mode: 'none' } } });
}

beforeAll(async () => {
  k = await startCore();
  const repo = workspaceRepository(k.core.services.db.kysely);
  const ws = [k.core.defaultWorkspaceId, (await repo.create('client-b', 'Client B', START)).id, (await repo.create('client-c', 'Client C', START)).id];
  for (let i = 0; i < 10; i++) {
    const junk = i === 9;
    const u = uniqueUser(junk ? 'junk-sender' : `wu${i}`, i % 2 === 0 ? 'warm.test' : 'other.test');
    await addMailHubUser(hub, u.address, u.password);
    const ctx: CallContext = { workspaceId: ws[i % 3]!, scopes: ['admin'] };
    const timeZone = i < 3 ? 'Europe/Berlin' : 'UTC';
    const mb = await k.call('mailboxes.create', { email: u.address, provider: 'custom', timeZone, ...hubAccount(hub, u) }, ctx);
    await k.call('warmup.update', { id: mb.id, enabled: true, ramp: { ...RAMP, timeZone } }, ctx);
    boxes.push({ id: mb.id, ...u, ctx, junk });
  }
  // A quick minimum gap and per-mailbox limit so a 30-minute step can carry a mailbox's next send.
  for (const w of ws) await k.call('warmup.settings.update', { limits: { minGapMinutes: 5, mailboxPerMinute: 2 } }, { workspaceId: w, scopes: ['admin'] });

  for (let d = 0; d < DAYS; d++) {
    const dayStart = START + d * DAY;
    const weekend = [5, 6].includes(d % 7);
    for (let t = dayStart; t <= dayStart + 13 * 60 * MIN; t += (weekend ? 180 : 30) * MIN) {
      k.clock.set(t);
      await settle();
      // Day 2 (Wednesday), noon: stop Kiln and start it again on the same data folder.
      if (d === 2 && t === dayStart + 6 * 60 * MIN && !restart) {
        const day = new Date(t).toISOString().slice(0, 10);
        const mailbox = boxes[4]!;
        const count = () => q<{ n: number }>(`SELECT count(*) AS n FROM messages WHERE kind = 'warmup' AND plan_day = ?`, day).n;
        const before = count();
        const dataDir = k.dataDir;
        await k.core.close();
        k = await startCore(dataDir, t);
        await k.core.services.warmupEngine!.tick();
        restart = { day, mailbox: mailbox.id, before, afterTick: count() };
        await settle();
      }
    }
    const junk = boxes.find((b) => b.junk)!;
    if (d === 11) junkFriday = await k.call('warmup.get', { id: junk.id }, junk.ctx);
    for (const b of boxes) {
      const day = new Date(dayStart).toISOString().slice(0, 10);
      (plans.get(b.id) ?? plans.set(b.id, []).get(b.id)!).push(await k.call('warmup.plan', { id: b.id, day }, b.ctx));
    }
  }
}, 600_000);

afterAll(async () => {
  await k?.core.close();
});

describe('14 simulated days of warmup through the real mail hub', () => {
  it("sends each day's ramp volume, counted in sending days (weekends off do not advance it)", () => {
    for (const b of boxes.filter((x) => !x.junk)) {
      const days = plans.get(b.id)!;
      const sending = days.filter((p) => p.planned);
      expect(sending.map((p) => p.day).every((d) => ![0, 6].includes(new Date(`${d}T12:00:00Z`).getUTCDay()))).toBe(true);
      expect(sending).toHaveLength(10);
      sending.forEach((p, i) => {
        expect(p.sendingDay).toBe(i);
        expect(p.target).toBe(Math.min(RAMP.startVolume + i * RAMP.dailyIncrease, RAMP.dailyMax));
        // Only accepted mail counts, and every day met its target.
        expect(p.sent).toBe(p.target);
        expect(p.pending).toBe(0);
      });
    }
  });

  it('never mails a mailbox from itself and spreads mail across the pool', () => {
    const self = q<{ n: number }>(
      `SELECT count(*) AS n FROM messages m JOIN message_recipients r ON r.message_id = m.id WHERE m.kind = 'warmup' AND r.address = m.from_addr`,
    ).n;
    expect(self).toBe(0);
    for (const b of boxes) {
      const received = q<{ n: number }>(`SELECT count(*) AS n FROM message_recipients r JOIN messages m ON m.id = r.message_id WHERE m.kind = 'warmup' AND r.address = ?`, b.address).n;
      expect(received, `${b.address} received warmup mail`).toBeGreaterThan(10);
    }
  });

  it('replies arrive in thread at the configured rate', async () => {
    // Warmup mail that its recipients saw and engaged with (the plan drawn at first sighting).
    const engaged = q<{ n: number; replied: number }>(
      `SELECT count(*) AS n, sum(json_extract(p.plan, '$.reply')) AS replied FROM message_placements p JOIN messages m ON m.id = p.message_id
        WHERE m.kind = 'warmup' AND p.plan IS NOT NULL`,
    );
    const replies = q<{ n: number }>(`SELECT count(*) AS n FROM messages WHERE kind = 'reply' AND status = 'sent'`).n;
    const rate = replies / engaged.n;
    // 30 % of ~500 messages: the binomial standard deviation is ~2 points; ±8 points is 4σ, and a
    // few replies planned at the very end may still be waiting.
    expect(engaged.n).toBeGreaterThan(400);
    expect(rate).toBeGreaterThan(RAMP.replyPct / 100 - 0.08);
    expect(rate).toBeLessThan(RAMP.replyPct / 100 + 0.08);

    // Threading: a reply carries In-Reply-To/References of the original and reaches its sender.
    const r = q<{ message_id: string; in_reply_to: string; references: string; to_addr: string; orig_from: string; subject: string; orig_subject: string }>(
      `SELECT m.message_id, m.in_reply_to, m."references", r.address AS to_addr, o.from_addr AS orig_from, m.subject, o.subject AS orig_subject
         FROM messages m JOIN message_recipients r ON r.message_id = m.id JOIN messages o ON o.message_id = m.in_reply_to
        WHERE m.kind = 'reply' AND m.status = 'sent' AND o.from_addr NOT LIKE 'junk-sender%' LIMIT 1`,
    );
    expect(r.to_addr).toBe(r.orig_from);
    expect(r.subject).toBe(`Re: ${r.orig_subject}`);
    const owner = boxes.find((b) => b.address === r.to_addr)!;
    const [raw] = await findByMessageId(hub, owner.address, owner.password, r.message_id);
    expect(raw).toContain(`In-Reply-To: ${r.in_reply_to}`);
    expect(raw).toMatch(new RegExp(`References: [^\\r\\n]*${r.in_reply_to.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it('Sieve-filed spam throttles the sender and freezes its ramp, with a reason the UI shows', async () => {
    const junk = boxes.find((b) => b.junk)!;
    const status = junkFriday!;
    expect(status.state).toBe('throttled');
    expect(status.reasonCode).toBe('SPAM_PLACEMENT');
    expect(status.reason).toMatch(/spam/i);
    expect(status.until).not.toBeNull();
    // Frozen: the ramp never advanced past its first day.
    expect(status.progress).toBe(0);
    const days = plans.get(junk.id)!.filter((p) => p.planned);
    expect(days.length).toBeGreaterThan(5);
    for (const p of days.slice(1)) {
      expect(p.state).toBe('throttled');
      expect(p.target).toBe(Math.round(RAMP.startVolume * 0.75));
      expect(p.sent).toBe(p.target);
    }
    // Its mail was found in Junk and rescued by the receiving mailboxes.
    const spam = q<{ n: number; rescued: number }>(
      `SELECT count(*) AS n, count(p.rescued_at) AS rescued FROM message_placements p JOIN messages m ON m.id = p.message_id WHERE m.mailbox_id = ? AND p.placement = 'spam'`,
      junk.id,
    );
    expect(spam.n).toBeGreaterThan(10);
    expect(spam.rescued).toBe(spam.n);
    // Everyone else stays warming.
    for (const b of boxes.filter((x) => !x.junk)) expect((await k.call('warmup.get', { id: b.id }, b.ctx)).state).toBe('warming');
  });

  it('a restart mid-day neither loses nor doubles the day’s plan', () => {
    expect(restart).not.toBeNull();
    expect(restart!.afterTick).toBe(restart!.before);
    const box = boxes.find((b) => b.id === restart!.mailbox)!;
    const p = plans.get(box.id)!.find((x) => x.day === restart!.day)!;
    expect(p.sent).toBe(p.target);
    // Nothing planned twice: the day's warmup messages are exactly its target.
    const planned = q<{ n: number }>(`SELECT count(*) AS n FROM messages WHERE kind = 'warmup' AND plan_day = ? AND mailbox_id = ?`, restart!.day, box.id).n;
    expect(planned).toBe(p.target);
  });

  it('daily stats add up per mailbox', async () => {
    const b = boxes[0]!;
    const stats = await k.call('warmup.stats', { id: b.id, days: DAYS + 1 }, b.ctx);
    const sent = stats.reduce((a, s) => a + s.sent, 0);
    expect(sent).toBe(plans.get(b.id)!.reduce((a, p) => a + p.sent, 0));
    // Placements and outcomes count all its mail (warmup and replies), the ramp's `sent` warmup only.
    for (const s of stats) {
      expect(s.mailSent).toBeGreaterThanOrEqual(s.sent);
      expect(s.inbox + s.spam + s.other + s.missing).toBeLessThanOrEqual(s.mailSent);
      expect(s.delivered + s.bounced + s.complained).toBe(s.mailSent);
    }
    expect(stats.reduce((a, s) => a + s.inbox, 0)).toBe(stats.reduce((a, s) => a + s.mailSent, 0));
    expect(stats.reduce((a, s) => a + s.received, 0)).toBeGreaterThan(10);
  });
});
