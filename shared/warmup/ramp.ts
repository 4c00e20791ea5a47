// The warmup plan: how many warmup messages a mailbox sends on its n-th sending day, on which weekdays, and
// inside which local window. Progress is counted in sending days and kept by the scheduler, so every function
// here takes the sending-day index as input: raising the max never restarts a ramp, and a pause keeps it.
import { z } from 'zod';
import { addDays, daysBetween, isoWeekday, isValidTimeZone, zonedTime, type LocalDate } from './calendar';
import { hashSeed, seededRandom } from './random';

const volume = z.number().int().min(0).max(1000);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time as HH:MM, 00:00 to 23:59' });
const pct = z.number().int().min(0).max(100);

export const curveSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('linear') }),
  // Volume at a sending day, linearly interpolated between points (sorted by day); flat before the first
  // point and after the last.
  z.object({
    kind: z.literal('waypoints'),
    points: z
      .array(z.object({ day: z.number().int().min(0).max(3650), volume }))
      .min(1, { error: 'a waypoint curve needs at least one point' })
      .max(60),
  }),
  // Ramps linearly (start + increase × day) until it reaches the band, then each day draws a deterministic
  // volume in [min, max].
  z
    .object({ kind: z.literal('band'), min: volume, max: volume })
    .refine((b) => b.min <= b.max, { error: 'the band minimum must not exceed its maximum', path: ['max'] }),
]);
export type Curve = z.infer<typeof curveSchema>;

export const windowSchema = z
  .object({ start: hhmm, end: hhmm })
  // Zero-padded HH:MM compares correctly as strings. Windows across midnight are not supported.
  .refine((w) => w.start < w.end, { error: 'the send window must start before it ends (same day)', path: ['end'] });

// The fields without defaults: the PATCH schema must not fill in what the caller left out.
const rampFields = {
  startVolume: volume,
  dailyIncrease: z.number().int().min(0).max(200),
  dailyMax: z.number().int().min(1).max(1000),
  curve: curveSchema,
  // ± this % per day, deterministic per mailbox per day.
  variancePct: z.number().int().min(0).max(50),
  // ISO weekdays (Monday = 1) on which the mailbox sends.
  days: z
    .array(z.number().int().min(1).max(7))
    .min(1, { error: 'choose at least one sending weekday' })
    .max(7)
    .refine((d) => new Set(d).size === d.length, { error: 'each weekday may appear only once' }),
  window: windowSchema,
  timeZone: z.string().refine(isValidTimeZone, { error: (iss) => `unknown time zone ${JSON.stringify(iss.input)}: use an IANA name such as Europe/Berlin` }),
  replyPct: pct,
  openPct: pct,
  importantPct: pct,
  rescuePct: pct,
};

/** Field-level: a max below the start would cap every day below what the ramp says it starts at. */
function maxCoversStart(r: { startVolume?: number | undefined; dailyMax?: number | undefined }, ctx: z.RefinementCtx): void {
  if (r.startVolume === undefined || r.dailyMax === undefined || r.dailyMax >= r.startVolume) return;
  // A field that is wrong on its own already has its message.
  if (!rampFields.dailyMax.safeParse(r.dailyMax).success || !rampFields.startVolume.safeParse(r.startVolume).success) return;
  ctx.addIssue({ code: 'custom', path: ['dailyMax'], input: r.dailyMax, message: `Daily max (${r.dailyMax}) must be at least the start volume (${r.startVolume})` });
}

export const rampSchema = z.object({
  startVolume: rampFields.startVolume.default(5),
  dailyIncrease: rampFields.dailyIncrease.default(1),
  dailyMax: rampFields.dailyMax.default(30),
  curve: rampFields.curve.default({ kind: 'linear' }),
  variancePct: rampFields.variancePct.default(10),
  days: rampFields.days.default([1, 2, 3, 4, 5]),
  window: rampFields.window.default({ start: '08:00', end: '18:00' }),
  timeZone: rampFields.timeZone.default('UTC'),
  replyPct: rampFields.replyPct.default(30),
  openPct: rampFields.openPct.default(90),
  importantPct: rampFields.importantPct.default(20),
  rescuePct: rampFields.rescuePct.default(100),
}).superRefine(maxCoversStart);
export type Ramp = z.infer<typeof rampSchema>;

/** Every field optional and no defaults applied, for PATCH bodies; merge with applyRampPatch. */
export const rampPatchSchema = z.object(rampFields).partial().superRefine(maxCoversStart);
export type RampPatch = z.infer<typeof rampPatchSchema>;

/** The ramp with a patch applied, re-validated as a whole (nested objects are replaced, not merged). */
export function applyRampPatch(r: Ramp, patch: RampPatch): Ramp {
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  return rampSchema.parse({ ...r, ...defined });
}

export const rampPresets: Record<'gentle' | 'standard' | 'aggressive', Ramp> = {
  gentle: rampSchema.parse({ startVolume: 2, dailyIncrease: 2, dailyMax: 20 }),
  standard: rampSchema.parse({ startVolume: 5, dailyIncrease: 1, dailyMax: 30 }),
  aggressive: rampSchema.parse({ startVolume: 7, dailyIncrease: 2, dailyMax: 40 }),
};

export function defaultRamp(timeZone = 'UTC'): Ramp {
  return rampSchema.parse({ timeZone });
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const dayIndex = (n: number) => Math.max(0, Math.floor(n));

function linear(r: Ramp, n: number): number {
  return r.startVolume + r.dailyIncrease * n;
}

/** True once a band curve's linear lead-in has reached the band: from then on the day's volume is a draw. */
function inBand(r: Ramp, n: number): r is Ramp & { curve: { kind: 'band' } } {
  return r.curve.kind === 'band' && linear(r, dayIndex(n)) >= r.curve.min;
}

function waypointVolume(points: { day: number; volume: number }[], n: number): number {
  const p = [...points].sort((a, b) => a.day - b.day);
  const first = p[0];
  const last = p[p.length - 1];
  if (!first || !last) return 0;
  if (n <= first.day) return first.volume;
  if (n >= last.day) return last.volume;
  for (let i = 0; i < p.length - 1; i++) {
    const a = p[i]!;
    const b = p[i + 1]!;
    // Points sharing a day form a zero-width segment that `a.day <= n < b.day` skips.
    if (a.day <= n && n < b.day) return Math.round(a.volume + ((b.volume - a.volume) * (n - a.day)) / (b.day - a.day));
  }
  return last.volume;
}

/** The curve's volume on the n-th sending day (0-based), before variance, capped at dailyMax, never negative. */
export function baseVolume(r: Ramp, sendingDay: number): number {
  const n = dayIndex(sendingDay);
  let v: number;
  switch (r.curve.kind) {
    case 'linear':
      v = linear(r, n);
      break;
    case 'waypoints':
      v = waypointVolume(r.curve.points, n);
      break;
    case 'band':
      // In the band the day's draw replaces the base; the midpoint stands for it in previews.
      v = inBand(r, n) ? Math.round((r.curve.min + r.curve.max) / 2) : linear(r, n);
      break;
  }
  return clamp(v, 0, r.dailyMax);
}

/**
 * The day's volume: base with ±variancePct drawn deterministically from (seed, date); in a band, a draw in
 * [min, max] from (seed, date) instead (the band already is the variation). Integer, clamped to [0, dailyMax].
 */
export function dayVolume(r: Ramp, sendingDay: number, seed: string, date: LocalDate): number {
  if (inBand(r, sendingDay)) {
    const u = seededRandom(hashSeed('kiln/band', seed, date))();
    return clamp(r.curve.min + Math.floor(u * (r.curve.max - r.curve.min + 1)), 0, r.dailyMax);
  }
  const base = baseVolume(r, sendingDay);
  if (r.variancePct === 0 || base === 0) return base;
  const u = seededRandom(hashSeed('kiln/variance', seed, date))();
  const jitter = ((2 * u - 1) * r.variancePct) / 100;
  return clamp(Math.round(base * (1 + jitter)), 0, r.dailyMax);
}

export function isSendingDay(r: Ramp, date: LocalDate): boolean {
  return r.days.includes(isoWeekday(date));
}

/** Number of sending days in [from, to) (from inclusive, to exclusive). */
export function countSendingDays(r: Ramp, from: LocalDate, to: LocalDate): number {
  const total = daysBetween(from, to);
  if (total <= 0) return 0;
  // Whole weeks contain each weekday once; only the remainder needs walking.
  const weeks = Math.floor(total / 7);
  let count = weeks * new Set(r.days).size;
  for (let i = weeks * 7; i < total; i++) if (isSendingDay(r, addDays(from, i))) count++;
  return count;
}

/**
 * Start and end of the send window on that local date, as epoch ms (DST-aware: a window across a change is an
 * hour shorter or longer than its wall-clock length; one lying wholly inside a skipped hour is empty).
 */
export function windowOf(r: Ramp, date: LocalDate): { start: number; end: number } {
  return { start: zonedTime(date, r.window.start, r.timeZone), end: zonedTime(date, r.window.end, r.timeZone) };
}
