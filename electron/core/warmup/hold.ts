// A pause holds the day's remaining warmup mail; a resume releases what still fits in the send window.
// Held mail stays `planned` (not cancelled, not counted as sent) and the day keeps its target; on release
// it is re-spaced over the rest of today's window, and what no longer fits is dropped with a reason the
// day plan shows. A day the pause outlasted is closed the same way.
import type { WarmupLimits } from '../../../shared/domain/warmup';
import { plural } from '../../../shared/plural';
import { localTime } from '../../../shared/warmup/calendar';
import { loopTarget } from '../../../shared/warmup/effective';
import type { LoopDecision } from '../../../shared/warmup/loop';
import { hashSeed, seededRandom } from '../../../shared/warmup/random';
import { spreadTimes } from '../../../shared/warmup/spacing';
import type { WarmupDayRow } from '../db/schema';
import type { DayCounts, SenderRow, WarmupStore } from './store';

const MINUTE = 60_000;
const HOUR = 3_600_000;

export interface HoldEnv {
  store: WarmupStore;
  limits(workspaceId: string): WarmupLimits;
}

type Window = { start: number; end: number };
const ENDED = 'Held by a pause until the day ended.';

/** Why the mailbox's warmup mail is held now, as the day plan says it; null when it may go out. */
export function holdReason(s: SenderRow, decision: LoopDecision): string | null {
  if (s.m.status === 'paused') return "Mailbox is paused: the rest of today's warmup mail waits for Resume.";
  if (s.m.status !== 'active') return "Mailbox cannot send (error): the rest of today's warmup mail waits until it can.";
  if (decision.state === 'paused') return `${decision.reason ?? 'Warmup is paused.'} The rest of today's warmup mail waits for Resume.`;
  return null;
}

/** Mark the day held; its target, position and planned mail stay as they are. */
export function holdDay(env: HoldEnv, s: SenderRow, d: WarmupDayRow, reason: string, now: number): void {
  if (d.state === 'paused' && d.reason === reason) return;
  env.store.updateDay({ mailbox_id: s.mailbox_id, day: d.day, target: d.target, state: 'paused', reason, advanced: d.advanced, updated_at: now });
  d.state = 'paused';
  d.reason = reason;
}

/**
 * How many sends still fit between `now` and the window's end: the planner's minimum gap and the
 * per-mailbox limits space them (a send too close to the end is not started, as when planning).
 */
export function sendsThatFit(limits: WarmupLimits, window: Window, gap: number, now: number): number {
  const from = Math.max(now, window.start);
  if (from >= window.end - gap) return 0;
  const spacing = Math.max(gap, HOUR / limits.mailboxPerHour, MINUTE / limits.mailboxPerMinute, 1);
  return Math.floor((window.end - from) / spacing);
}

/** Undo the day's step of the ramp: nothing was (or will be) sent, or the loop froze it. */
function unadvance(env: HoldEnv, s: SenderRow, d: WarmupDayRow, now: number): number {
  if (d.advanced !== 1) return 0;
  env.store.addProgress(s.mailbox_id, -1, now);
  d.advanced = 0;
  return -1;
}

/**
 * The mailbox may send again: today's held mail goes out in the rest of the window, cut to what the
 * loop allows now; what no longer fits is dropped and counted with its reason. The day's state and
 * reason become the loop's current ones.
 */
export function releaseDay(env: HoldEnv, s: SenderRow, d: WarmupDayRow, decision: LoopDecision, c: DayCounts, window: Window, gap: number, now: number, timeZone: string): void {
  const { store } = env;
  const held = store.held(s.mailbox_id, d.day);
  const target = Math.min(d.target, loopTarget(d.volume, decision.factor));
  const inFlight = c.pending - held.length;
  const wanted = Math.max(0, Math.min(held.length, target - c.accepted - inFlight));
  const keep = Math.min(wanted, sendsThatFit(env.limits(s.workspace_id), window, gap, now));
  const late = wanted - keep;
  store.transaction(() => {
    // The earliest held mail is kept; the rest (cut by the loop while paused, or too late) is dropped.
    for (const id of held.slice(keep)) store.deletePlanned(id);
    const times = spreadTimes(Math.max(now, window.start), window.end, keep, gap, seededRandom(hashSeed(s.mailbox_id, d.day, 'release', String(now))));
    held.slice(0, keep).forEach((id, i) => store.defer(id, times[i]!, now));
    d.target = target - late;
    if (decision.frozen || c.accepted + inFlight + keep === 0) unadvance(env, s, d, now);
    d.state = decision.state;
    d.reason = decision.reason;
    store.updateDay({ mailbox_id: s.mailbox_id, day: d.day, target: d.target, state: d.state, reason: d.reason, advanced: d.advanced, updated_at: now });
    if (late > 0) {
      const at = localTime(now, timeZone);
      const why =
        keep === 0 && now >= window.end - gap
          ? `resumed at ${at}, after today's send window closed (${localTime(window.end, timeZone)} ${timeZone})`
          : `they no longer fit in the rest of today's send window after the resume at ${at} (${timeZone})`;
      store.noteDropped(s.mailbox_id, d.day, late, `${plural(late, 'planned warmup message was', 'planned warmup messages were')} dropped: ${why}.`, now);
    }
  });
}

/**
 * Days that ended while held: their planned mail is dropped with the reason, and a day that sent
 * nothing gives its ramp step back. Returns the change to the mailbox's position (0 or negative).
 */
export function closeHeldDays(env: HoldEnv, s: SenderRow, today: string, now: number): number {
  const { store } = env;
  let delta = 0;
  for (const d of store.heldDays(s.mailbox_id, today)) {
    store.transaction(() => {
      const held = store.held(s.mailbox_id, d.day);
      for (const id of held) store.deletePlanned(id);
      if (held.length > 0) store.noteDropped(s.mailbox_id, d.day, held.length, `${plural(held.length, 'planned warmup message was', 'planned warmup messages were')} dropped: the day ended while warmup was held.`, now);
      const c = store.countsOne(s.mailbox_id, d.day);
      const step = c.accepted + c.pending === 0 ? unadvance(env, s, d, now) : 0;
      delta += step;
      if (held.length > 0 || step !== 0 || d.reason !== ENDED) {
        store.updateDay({ mailbox_id: s.mailbox_id, day: d.day, target: d.target, state: 'paused', reason: ENDED, advanced: d.advanced, updated_at: now });
      }
    });
  }
  return delta;
}
