// The ramp through the closed loop: what a day really sends. The planner plans a day with dayTarget and the
// preview draws the coming days with the same function, so the two never disagree (a throttle's × factor and
// its frozen ramp show in the preview as they will happen).
import { addDays, zonedTime, type LocalDate } from './calendar';
import { baseVolume, dayVolume, isSendingDay, type Ramp } from './ramp';

/** What the closed loop does to a day: a volume multiplier, and whether the ramp stays at its position. */
export interface LoopEffect {
  factor: number;
  frozen: boolean;
}

export const noLoopEffect: LoopEffect = { factor: 1, frozen: false };

/** The loop's cut of a ramp volume (rounded: a day sends whole messages). */
export const loopTarget = (volume: number, factor: number): number => Math.round(volume * factor);

export interface DayTarget {
  /** The ramp's volume for the day, before the loop (with the day's variance when a seed is given). */
  volume: number;
  /** Warmup sends wanted: the volume through the loop. */
  target: number;
  /** Whether the day moves the ramp one sending day on. */
  advances: boolean;
}

/** A sending day's volume and target at ramp position `sendingDay`. Without a seed, the base (no variance). */
export function dayTarget(r: Ramp, sendingDay: number, date: LocalDate, loop: LoopEffect, seed?: string): DayTarget {
  const volume = seed === undefined ? baseVolume(r, sendingDay) : dayVolume(r, sendingDay, seed, date);
  return { volume, target: loopTarget(volume, loop.factor), advances: !loop.frozen };
}

/** The loop's current decision as the preview applies it: to every day that starts before `until`. */
export interface LoopOutlook extends LoopEffect {
  state: 'throttled' | 'holding';
  until: number;
}

export interface RampPreviewRow {
  date: LocalDate;
  sendingDay: number | null;
  /** What the day sends: the ramp's volume through the closed loop. 0 on days off. */
  volume: number;
  /** The curve's level before variance and the loop. */
  base: number;
  /** The ramp's volume before the loop (equals `volume` when the loop does not touch the day). */
  rampVolume: number;
  /** The loop state the day is planned under, when it cuts or freezes the day. */
  loop: 'throttled' | 'holding' | null;
}

/**
 * Calendar preview: one row per calendar day from `from`, `days` rows; off days have sendingDay null and volume
 * 0. `progress` = the sending day index the first sending day gets. Days that start while the loop's decision
 * lasts are planned under it (days are planned when they start), as the planner does: × factor, ramp frozen.
 */
export function previewRamp(r: Ramp, opts: { from: LocalDate; days: number; progress?: number; seed?: string; loop?: LoopOutlook | null }): RampPreviewRow[] {
  if (!Number.isInteger(opts.days) || opts.days < 0 || opts.days > 3660) throw new RangeError(`preview length must be 0 to 3660 days, got ${opts.days}`);
  let next = Math.max(0, Math.floor(opts.progress ?? 0));
  const rows: RampPreviewRow[] = [];
  for (let i = 0; i < opts.days; i++) {
    const date = addDays(opts.from, i);
    if (!isSendingDay(r, date)) {
      rows.push({ date, sendingDay: null, volume: 0, base: 0, rampVolume: 0, loop: null });
      continue;
    }
    const loop = opts.loop && zonedTime(date, '00:00', r.timeZone) < opts.loop.until ? opts.loop : null;
    const sendingDay = next;
    const day = dayTarget(r, sendingDay, date, loop ?? noLoopEffect, opts.seed);
    if (day.advances) next++;
    rows.push({ date, sendingDay, volume: day.target, base: baseVolume(r, sendingDay), rampVolume: day.volume, loop: loop?.state ?? null });
  }
  return rows;
}
