// The closed loop: deliverability signals hold or cut the ramp, and the decision carries a sentence the UI shows
// as is. Stateless: the caller passes the signals it has, and the decision follows from them and `now` alone.
import { z } from 'zod';
import { plural } from '../plural';

export const loopSettingsSchema = z.object({
  spamWindowHours: z.number().int().min(1).max(720).default(48),
  throttleFactor: z.number().min(0.1).max(1).default(0.75),
  freezeHours: z.number().int().min(0).max(720).default(72),
  /** Spam placements within the window that trigger a throttle. */
  minSpam: z.number().int().min(1).max(1000).default(1),
  rateWindowDays: z.number().int().min(1).max(90).default(7),
  /** Bounce and complaint rates need at least this many sent messages: one message is not a rate. */
  minSample: z.number().int().min(1).max(100_000).default(20),
  bounceRateMax: z.number().min(0).max(1).default(0.05),
  complaintRateMax: z.number().min(0).max(1).default(0.01),
});
export type LoopSettings = z.infer<typeof loopSettingsSchema>;

export type WarmupState = 'warming' | 'holding' | 'throttled' | 'paused';

export interface LoopSignals {
  now: number;
  /** Times of spam placements of this mailbox's warmup mail (any age; the function filters). */
  spamAt: number[];
  /** Counts within the rate window (the caller computes them, starting no earlier than `since`). */
  sent: number;
  bounced: number;
  complained: number;
  /** Set when a person paused warmup. */
  manualPause: { at: number } | null;
}

export type LoopCode = 'MANUAL_PAUSE' | 'SPAM_PLACEMENT' | 'RAMP_FROZEN' | 'BOUNCE_RATE' | 'COMPLAINT_RATE';

export interface LoopDecision {
  state: WarmupState;
  /** Human-readable, shown in the UI. null when warming. */
  reason: string | null;
  code: null | LoopCode;
  /** Multiplier for today's volume (0 when paused). */
  factor: number;
  /** True when the ramp must not advance today (throttled, holding, paused). */
  frozen: boolean;
  /** When a freeze ends, or null. */
  until: number | null;
}

const HOUR = 3_600_000;

/** Start of the rate window for `now`: the caller counts sent / bounced / complained from here. */
export function rateWindowStart(s: LoopSettings, now: number): number {
  return now - s.rateWindowDays * 24 * HOUR;
}

// UTC: the loop has no mailbox time zone, and an explicit zone label keeps the sentence unambiguous.
const when = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const percent = (x: number) => `${Number((x * 100).toFixed(1))}%`;

export function evaluateLoop(s: LoopSettings, sig: LoopSignals): LoopDecision {
  const paused = (code: LoopCode, reason: string): LoopDecision => ({ state: 'paused', reason, code, factor: 0, frozen: true, until: null });

  if (sig.manualPause) return paused('MANUAL_PAUSE', `Warmup was paused by hand on ${when(sig.manualPause.at)}.`);

  // Complaints outrank bounces: they hurt reputation more and point at the content or the list.
  const days = plural(s.rateWindowDays, 'day', 'days');
  if (sig.sent >= s.minSample && sig.complained / sig.sent > s.complaintRateMax) {
    return paused(
      'COMPLAINT_RATE',
      `${plural(sig.complained, 'spam complaint', 'spam complaints')} out of ${plural(sig.sent, 'message', 'messages')} sent in the last ${days} (${percent(sig.complained / sig.sent)}), above the ${percent(s.complaintRateMax)} limit: warmup paused.`,
    );
  }
  if (sig.sent >= s.minSample && sig.bounced / sig.sent > s.bounceRateMax) {
    return paused(
      'BOUNCE_RATE',
      `${plural(sig.bounced, 'bounce', 'bounces')} out of ${plural(sig.sent, 'message', 'messages')} sent in the last ${days} (${percent(sig.bounced / sig.sent)}), above the ${percent(s.bounceRateMax)} limit: warmup paused.`,
    );
  }

  if (sig.spamAt.length > 0) {
    const latest = Math.max(...sig.spamAt);
    const freezeEnd = latest + s.freezeHours * HOUR;
    // Placements stamped slightly in the future (clock skew) still count as recent.
    const recent = sig.spamAt.filter((t) => t > sig.now - s.spamWindowHours * HOUR).sort((a, b) => b - a);
    if (recent.length >= s.minSpam) {
      // The throttle lasts until the minSpam-th newest placement leaves the window; the freeze may outlast it.
      const throttleEnd = recent[s.minSpam - 1]! + s.spamWindowHours * HOUR;
      const until = Math.max(freezeEnd, throttleEnd);
      return {
        state: 'throttled',
        reason: `${plural(recent.length, 'spam placement', 'spam placements')} in the last ${s.spamWindowHours} h: volume × ${s.throttleFactor}, ramp frozen until ${when(until)}.`,
        code: 'SPAM_PLACEMENT',
        factor: s.throttleFactor,
        frozen: true,
        until,
      };
    }
    if (sig.now < freezeEnd) {
      return {
        state: 'holding',
        reason: `Last spam placement on ${when(latest)}: volume unchanged, ramp frozen until ${when(freezeEnd)}.`,
        code: 'RAMP_FROZEN',
        factor: 1,
        frozen: true,
        until: freezeEnd,
      };
    }
  }

  return { state: 'warming', reason: null, code: null, factor: 1, frozen: false, until: null };
}
