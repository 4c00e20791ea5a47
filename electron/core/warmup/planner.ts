import type { MailboxRow } from '../db/schema';
import type { Ramp } from '../../../shared/warmup/ramp';
import { isSendingDay, windowOf } from '../../../shared/warmup/ramp';
import { dayTarget, loopTarget } from '../../../shared/warmup/effective';
import { evaluateLoop, type LoopDecision, type LoopSettings } from '../../../shared/warmup/loop';
import { addDays, localDate } from '../../../shared/warmup/calendar';
import { spreadTimes } from '../../../shared/warmup/spacing';
import { hashSeed, seededRandom } from '../../../shared/warmup/random';
import type { WarmupLimits } from '../../../shared/domain/warmup';
import { newId, newMessageId } from '../util/ids';
import { domainOf } from '../mail/address';
import { pairBatch, type PairingHistory, type PoolMember, type Sender } from './pairing';
import type { DayCounts, SenderRow, WarmupStore } from './store';
import { closeHeldDays, holdDay, holdReason, releaseDay } from './hold';

const DAY = 86_400_000;

export interface PlannerEnv {
  store: WarmupStore;
  now(): number;
  limits(workspaceId: string): WarmupLimits;
  /** `workspace|address` pairs that must never be mailed. */
  suppressed(): Set<string>;
  random?: () => number;
}

/** One sender's work for this batch. */
interface Slot {
  sender: SenderRow;
  day: string;
  window: { start: number; end: number };
  /** Messages to plan now, from `from` to the end of the window. */
  count: number;
  from: number;
}

function memo<T>(fn: (key: string) => T): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    let v = cache.get(key);
    if (v === undefined) cache.set(key, (v = fn(key)));
    return v;
  };
}

export const rampOf = (w: { ramp: string }): Ramp => JSON.parse(w.ramp) as Ramp;
export const loopOf = (w: { loop: string }): LoopSettings => JSON.parse(w.loop) as LoopSettings;
/**
 * Plans each warming mailbox's day once (idempotent per mailbox and local day), keeps the day's
 * accepted sends on target when sends fail, and applies the closed loop's decisions.
 */
export class Planner {
  constructor(private readonly env: PlannerEnv) {}

  /** The closed loop's decision for every warming mailbox, from recent placements and outcomes. */
  decisions(senders: SenderRow[], now: number): Map<string, LoopDecision> {
    const { store } = this.env;
    // One mailbox (a pause or resume) reads its own rows; the scheduler's pass reads everyone's at once.
    const one = senders.length === 1 ? senders[0]!.mailbox_id : null;
    const spam = new Map<string, number[]>();
    for (const r of one ? store.spamOf(one, now - 7 * DAY) : store.spamSince(now - 7 * DAY)) (spam.get(r.mailbox) ?? spam.set(r.mailbox, []).get(r.mailbox)!).push(r.at);
    const loops = new Map(senders.map((s) => [s.mailbox_id, loopOf(s)]));
    const windowDays = Math.max(1, ...[...loops.values()].map((l) => l.rateWindowDays));
    const since = now - windowDays * DAY;
    const rates = new Map((one ? store.ratesOf(one, since) : store.rates(since)).map((r) => [r.mailbox, r]));
    const out = new Map<string, LoopDecision>();
    for (const s of senders) {
      const r = rates.get(s.mailbox_id);
      out.set(
        s.mailbox_id,
        evaluateLoop(loops.get(s.mailbox_id)!, {
          now,
          spamAt: spam.get(s.mailbox_id) ?? [],
          sent: r?.sent ?? 0,
          bounced: r?.bounced ?? 0,
          complained: r?.complained ?? 0,
          manualPause: s.paused_at != null ? { at: s.paused_at } : null,
        }),
      );
    }
    return out;
  }

  /**
   * Plan every warming mailbox whose local day has no plan yet, and hold, release, top up or cut
   * days already planned. Returns how many messages were planned.
   */
  run(senders: SenderRow[], decisions: Map<string, LoopDecision>): { planned: number; days: number } {
    const { store } = this.env;
    const now = this.env.now();
    const fresh: Slot[] = [];
    const topUps: Slot[] = [];
    const days: Parameters<WarmupStore['insertDay']>[0][] = [];
    const progress: string[] = [];
    const todays = new Set<string>();
    const sendsToday = new Map<string, number>();

    const byDay = new Map<string, Map<string, ReturnType<WarmupStore['daysOf']>[number]>>();
    const dayRow = (mailbox: string, day: string) => {
      let m = byDay.get(day);
      if (!m) byDay.set(day, (m = new Map(store.daysOf(day).map((d) => [d.mailbox_id, d]))));
      return m.get(mailbox);
    };
    // Parse each ramp once and ask Intl once per time zone and window: it is the slow part at 10,000 mailboxes.
    const ramps = new Map(senders.map((s) => [s.mailbox_id, rampOf(s)]));
    const dayIn = memo((tz: string) => localDate(now, tz));
    const windowFor = memo((key: string) => {
      const [tz, day, start, end] = key.split('|') as [string, string, string, string];
      return windowOf({ timeZone: tz, window: { start, end } } as Ramp, day);
    });
    for (const r of ramps.values()) todays.add(dayIn(r.timeZone));
    const counts = store.counts([...todays]);

    for (const s of senders) {
      const ramp = ramps.get(s.mailbox_id)!;
      const day = dayIn(ramp.timeZone);
      const decision = decisions.get(s.mailbox_id)!;
      const window = windowFor(`${ramp.timeZone}|${day}|${ramp.window.start}|${ramp.window.end}`);
      const gap = this.gapMs(s.workspace_id);
      const existing = dayRow(s.mailbox_id, day);
      if (existing) {
        sendsToday.set(s.mailbox_id, existing.target);
        const slot = this.reconcile(s, ramp, existing, decision, counts.get(`${s.mailbox_id}|${day}`), window, gap, now);
        if (slot) topUps.push(slot);
        continue;
      }
      // A paused or broken mailbox gets no plan: it is planned when it comes back, the same day.
      if (s.m.status !== 'active' || decision.state === 'paused' || !isSendingDay(ramp, day)) continue;
      const base = { mailbox_id: s.mailbox_id, day, workspace_id: s.workspace_id, planned_at: now, updated_at: now };
      if (now >= window.end - gap) {
        days.push({ ...base, sending_day: null, target: 0, volume: 0, state: 'missed', reason: 'Kiln was not running during the send window', advanced: 0 });
        continue;
      }
      // Back from a pause that outlasted a day: that day is closed first (it may give its ramp step back).
      const position = s.progress + closeHeldDays(this.env, s, day, now);
      const { volume, target, advances } = dayTarget(ramp, position, day, decision, s.mailbox_id);
      const advanced = advances ? 1 : 0;
      days.push({ ...base, sending_day: position, target, volume, state: decision.state, reason: decision.reason, advanced });
      if (advanced) progress.push(s.mailbox_id);
      sendsToday.set(s.mailbox_id, target);
      if (target > 0) fresh.push({ sender: s, day, window, count: target, from: Math.max(now, window.start) });
    }

    const slots = [...fresh, ...topUps];
    if (slots.length === 0 && days.length === 0) return { planned: 0, days: 0 };
    const planned = this.pairAndWrite(slots, sendsToday, [...todays], now, () => {
      for (const d of days) store.insertDay(d);
      for (const id of progress) store.addProgress(id, 1, now);
    });
    return { planned, days: days.length };
  }

  /**
   * One mailbox's day as it stands now (held, released, cut, topped up), reading only its own rows;
   * a day not planned yet is left to the scheduler. Returns how many messages were planned.
   */
  reconcileOne(s: SenderRow, decision: LoopDecision): number {
    const { store } = this.env;
    const now = this.env.now();
    const ramp = rampOf(s);
    const day = localDate(now, ramp.timeZone);
    const existing = store.day(s.mailbox_id, day);
    if (!existing) return 0;
    const slot = this.reconcile(s, ramp, existing, decision, store.countsOne(s.mailbox_id, day), windowOf(ramp, day), this.gapMs(s.workspace_id), now);
    return slot ? this.pairAndWrite([slot], new Map([[s.mailbox_id, existing.target]]), [day], now, () => undefined) : 0;
  }

  /** Least gap between two of a mailbox's sends; shrinks (in spreadTimes) when the window is short. */
  private gapMs(workspaceId: string): number {
    return this.env.limits(workspaceId).minGapMinutes * 60_000;
  }

  /**
   * A day already planned: hold it while the mailbox or its warmup is paused, release it on resume,
   * cut it when the loop tightened (spam, bounces), and plan replacements for sends that failed, so
   * the day's accepted mail still meets its target.
   */
  private reconcile(
    s: SenderRow,
    ramp: Ramp,
    d: ReturnType<WarmupStore['daysOf']>[number],
    decision: LoopDecision,
    counts: DayCounts | undefined,
    window: { start: number; end: number },
    gap: number,
    now: number,
  ): Slot | null {
    const { store } = this.env;
    if (d.state === 'missed') return null;
    const held = holdReason(s, decision);
    if (held) {
      holdDay(this.env, s, d, held, now);
      return null;
    }
    let c = counts ?? { accepted: 0, pending: 0, failed: 0, replies: 0 };
    if (d.state === 'paused') {
      releaseDay(this.env, s, d, decision, c, window, gap, now, ramp.timeZone);
      c = store.countsOne(s.mailbox_id, d.day);
    }
    // Within a day the loop only tightens: a cut is never undone before tomorrow's plan.
    const target = Math.min(d.target, loopTarget(d.volume, decision.factor));
    const tightened = target < d.target || (decision.frozen && d.advanced === 1);
    if (tightened) {
      store.transaction(() => {
        if (decision.frozen && d.advanced === 1) store.addProgress(s.mailbox_id, -1, now);
        store.updateDay({
          mailbox_id: s.mailbox_id,
          day: d.day,
          target,
          state: decision.state,
          reason: decision.reason,
          advanced: decision.frozen ? 0 : d.advanced,
          updated_at: now,
        });
      });
      d.target = target;
    }
    const { accepted, pending, failed } = c;
    if (accepted + pending > target) store.dropPlanned(s.mailbox_id, d.day, accepted + pending - target);
    const missing = target - accepted - pending;
    // Replacements for failed sends, while the window lasts; never more than the day's target in all.
    if (missing <= 0 || now >= window.end - gap || failed > target) return null;
    return { sender: s, day: d.day, window, count: missing, from: now + gap };
  }

  /** Choose recipients for every slot from the pool and write the planned messages, in one transaction. */
  private pairAndWrite(slots: Slot[], sendsToday: Map<string, number>, days: string[], now: number, alsoWrite: () => void): number {
    const { store } = this.env;
    const random = this.env.random ?? Math.random;
    const members = this.members(sendsToday, days);
    const byId = new Map(members.map((m) => [m.id, m]));
    const senders: Sender[] = slots.map((s) => ({
      mailboxId: s.sender.mailbox_id,
      address: s.sender.m.email,
      domain: domainOf(s.sender.m.email),
      provider: s.sender.m.provider,
      workspaceId: s.sender.workspace_id,
      volume: s.count,
    }));
    const result = slots.length > 0 ? pairBatch(senders, members, this.history(days, byId), random) : { assignments: new Map<string, string[]>(), unplaced: 0 };
    const suppressed = slots.length > 0 ? this.env.suppressed() : new Set<string>();
    let planned = 0;
    store.transaction(() => {
      alsoWrite();
      const writer = store.plannedWriter(now);
      for (const slot of slots) {
        const s = slot.sender;
        const to = (result.assignments.get(s.mailbox_id) ?? []).map((id) => byId.get(id)!.address).filter((a) => !suppressed.has(`${s.workspace_id}|${a}`));
        const gap = this.gapMs(s.workspace_id);
        const times = spreadTimes(slot.from, slot.window.end, to.length, gap, seededRandom(hashSeed(s.mailbox_id, slot.day, String(slot.from))));
        to.forEach((address, i) => {
          writer.add(
            {
              id: newId('msg'),
              workspace_id: s.workspace_id,
              mailbox_id: s.mailbox_id,
              kind: 'warmup',
              message_id: newMessageId(s.m.email),
              from_addr: s.m.email,
              to: address,
              at: times[i]!,
              plan_day: slot.day,
              in_reply_to: null,
              references: null,
            });
          planned++;
        });
      }
      writer.flush();
    });
    return planned;
  }

  /** Every readable mailbox that opted into the pool, across workspaces, plus external recipients. */
  private members(sendsToday: Map<string, number>, days: string[]): PoolMember[] {
    const { store } = this.env;
    const received = store.received(days);
    const mailboxes: PoolMember[] = store.poolMailboxes().map((m: MailboxRow) => ({
      id: m.id,
      address: m.email,
      domain: domainOf(m.email),
      provider: m.provider,
      workspaceId: m.workspace_id,
      sends: sendsToday.get(m.id) ?? 0,
      receivedToday: received.get(m.email) ?? 0,
    }));
    const externals: PoolMember[] = store.externals().map((e) => ({
      id: `ext:${e.id}`,
      address: e.address,
      domain: domainOf(e.address),
      provider: e.provider,
      workspaceId: e.workspace_id,
      sends: 0,
      receivedToday: received.get(e.address) ?? 0,
      ...(e.daily_cap != null ? { cap: e.daily_cap } : {}),
    }));
    return [...mailboxes, ...externals];
  }

  /** Pairs of the last 7 days and recipient domains of the last 3, as the pairing wants them. */
  private history(days: string[], members: Map<string, PoolMember>): PairingHistory {
    const sorted = [...days].sort();
    const first = sorted[0] ?? localDate(this.env.now(), 'UTC');
    const last = sorted.at(-1) ?? first;
    // Nested maps: the pairing asks millions of times at scale, and building string keys per ask costs more.
    const pairs = new Map<string, Map<string, number>>();
    const domains = new Map<string, Set<string>>();
    const recentFrom = addDays(last, -3);
    for (const r of this.env.store.pairHistory(addDays(first, -7), addDays(last, 1))) {
      const p = pairs.get(r.sender) ?? pairs.set(r.sender, new Map()).get(r.sender)!;
      p.set(r.address, (p.get(r.address) ?? 0) + 1);
      if (r.day >= recentFrom) (domains.get(r.sender) ?? domains.set(r.sender, new Set()).get(r.sender)!).add(domainOf(r.address));
    }
    return {
      pairCount: (sender, recipient) => {
        const p = pairs.get(sender);
        return p ? (p.get(members.get(recipient)?.address ?? '') ?? 0) : 0;
      },
      domainRecent: (sender, domain) => domains.get(sender)?.has(domain) ?? false,
    };
  }
}
