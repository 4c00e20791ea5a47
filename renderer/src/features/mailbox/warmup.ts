// The closed loop's state in plain words, for the mailbox header.
import type { DayPlan, WarmupStatus } from '../../../../shared/domain/warmup';
import { formatDateTime, formatRelative } from '../../lib/format';
import { plural } from '../../../../shared/plural';

const headline: Record<WarmupStatus['state'], string> = {
  warming: 'Warming up',
  holding: 'Holding: the ramp is frozen for now',
  throttled: 'Throttled: sending less than the ramp asks',
  paused: 'Paused: no warmup mail goes out',
};

export interface LoopSummary {
  headline: string;
  /** Why, as the core words it; null when there is nothing to explain. */
  reason: string | null;
  /** "until Nov 26, 2:00 PM (in 3 days)", or null. */
  until: string | null;
}

/** `plan`: today's plan when loaded; its sending day is fresher than the status's position. */
export function loopSummary(w: WarmupStatus, plan?: DayPlan | null): LoopSummary {
  if (!w.enabled) return { headline: 'Warmup is off for this mailbox', reason: 'Turn it on to start sending warmup mail on the ramp.', until: null };
  const state = w.pausedAt ? 'paused' : w.state;
  const day =
    plan?.planned && plan.sendingDay !== null
      ? `sending day ${plan.sendingDay + 1} of the ramp today`
      : `${plural(w.progress, 'sending day', 'sending days')} into the ramp`;
  return {
    headline: state === 'warming' ? `${headline.warming}: ${day}` : headline[state],
    reason: w.reason ?? (w.pausedAt ? `Paused by hand ${formatRelative(w.pausedAt)}; the ramp keeps its position.` : null),
    until: w.until ? `until ${formatDateTime(w.until)} (${formatRelative(w.until)})` : null,
  };
}
