// Calendar and wall-clock math for send windows. Dates are plain 'YYYY-MM-DD' strings handled with integer
// day numbers (no time zone involved); only the conversions to and from instants consult Intl, which knows
// the IANA rules, so DST is handled without a tz library.

/** A calendar date, 'YYYY-MM-DD'. */
export type LocalDate = string;

const DAY_MS = 86_400_000;
const dateRe = /^(\d{4})-(\d{2})-(\d{2})$/;
const hhmmRe = /^([01]\d|2[0-3]):([0-5]\d)$/;

// Howard Hinnant's days_from_civil / civil_from_days: exact for the proleptic Gregorian calendar and free of
// Date's two-digit-year quirks.
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): [number, number, number] {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Days since 1970-01-01 of a LocalDate; throws on anything that is not a real 'YYYY-MM-DD' date. */
export function dayNumber(date: LocalDate): number {
  const m = dateRe.exec(date);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    const n = daysFromCivil(y, mo, d);
    // Round-tripping rejects 2026-02-30 and friends.
    const [y2, mo2, d2] = civilFromDays(n);
    if (y === y2 && mo === mo2 && d === d2) return n;
  }
  throw new RangeError(`not a date (YYYY-MM-DD): ${JSON.stringify(date)}`);
}

export function fromDayNumber(n: number): LocalDate {
  const [y, m, d] = civilFromDays(n);
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

export function isLocalDate(s: string): boolean {
  try {
    dayNumber(s);
    return true;
  } catch {
    return false;
  }
}

/** Monday = 1 … Sunday = 7. */
export function isoWeekday(date: LocalDate): number {
  // 1970-01-01 was a Thursday (4).
  return (((dayNumber(date) + 3) % 7) + 7) % 7 + 1;
}

export function addDays(date: LocalDate, n: number): LocalDate {
  return fromDayNumber(dayNumber(date) + n);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return dayNumber(to) - dayNumber(from);
}

/** Minutes after midnight of an 'HH:MM' time; throws on anything else. */
export function parseHhmm(hhmm: string): number {
  const m = hhmmRe.exec(hhmm);
  if (!m) throw new RangeError(`not a time (HH:MM): ${JSON.stringify(hhmm)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

// Formatters are costly to build and the scheduler asks about the same few zones all day.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall clock in `timeZone` at instant `ms`, as if it were UTC, to whole seconds. */
function wallClock(ms: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(ms)) {
    if (p.type !== 'literal') fields[p.type] = Number(p.value);
  }
  const get = (k: string) => fields[k] ?? 0;
  // Some engines print midnight as 24 even with h23.
  return daysFromCivil(get('year'), get('month'), get('day')) * DAY_MS + ((get('hour') % 24) * 3600 + get('minute') * 60 + get('second')) * 1000;
}

/** UTC offset of `timeZone` at `ms`, in ms (local = UTC + offset). */
function offsetAt(ms: number, timeZone: string): number {
  const s = Math.floor(ms / 1000) * 1000;
  return wallClock(s, timeZone) - s;
}

export function localDate(ms: number, timeZone: string): LocalDate {
  return fromDayNumber(Math.floor(wallClock(ms, timeZone) / DAY_MS));
}

/** Local wall-clock time 'HH:MM' at `ms` in `timeZone`. */
export function localTime(ms: number, timeZone: string): string {
  const inDay = ((wallClock(ms, timeZone) % DAY_MS) + DAY_MS) % DAY_MS;
  return `${pad(Math.floor(inDay / 3_600_000))}:${pad(Math.floor(inDay / 60_000) % 60)}`;
}

/**
 * Epoch ms of the wall-clock time `hhmm` on `date` in `timeZone`. A time skipped by a DST jump maps to the
 * instant the jump ends (a window starting in the gap opens when the clocks resume); a time that happens
 * twice maps to its first occurrence.
 */
export function zonedTime(date: LocalDate, hhmm: string, timeZone: string): number {
  const wall = dayNumber(date) * DAY_MS + parseHhmm(hhmm) * 60_000;
  // Offsets a day either side bracket any single transition near `wall`.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const valid = [wall - before, wall - after].filter((t) => t + offsetAt(t, timeZone) === wall);
  if (valid.length > 0) return Math.min(...valid);
  // In a gap: the transition lies in (wall - after, wall - before]; find it to the second.
  let lo = wall - after;
  let hi = wall - before;
  const loOffset = offsetAt(lo, timeZone);
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (offsetAt(mid, timeZone) === loOffset) lo = mid;
    else hi = mid;
  }
  return hi;
}

export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== 'string' || tz.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
