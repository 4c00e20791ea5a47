// Calendar words for templates and the reply attribution line, in the mailbox's time zone (a
// "Good morning" sent at 15:00 local time is the kind of slip a reader notices).
import { isValidTimeZone } from '../../../../shared/warmup/calendar';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface Local {
  weekday: number; // 0 = Sunday
  day: number;
  month: string;
  monthShort: string;
  year: number;
  hour: number;
  minute: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function local(ms: number, timeZone: string): Local {
  const tz = isValidTimeZone(timeZone) ? timeZone : 'UTC';
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: 'numeric',
    });
    formats.set(tz, f);
  }
  const parts = f.formatToParts(new Date(ms));
  const get = (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? '';
  const month = get('month');
  return {
    weekday: Math.max(0, WEEKDAYS.indexOf(get('weekday'))),
    day: Number(get('day')),
    month,
    monthShort: month.slice(0, 3),
    year: Number(get('year')),
    hour: Number(get('hour')),
    minute: Number(get('minute')),
  };
}

export interface TemplateVars {
  recipientFirstName: string;
  senderFirstName: string;
  weekday: string;
  /** The next working day: a Friday mail says "Monday", not "Saturday". */
  nextWeekday: string;
  month: string;
  timeOfDay: 'morning' | 'afternoon';
}

export function calendarVars(at: number, timeZone: string): Pick<TemplateVars, 'weekday' | 'nextWeekday' | 'month' | 'timeOfDay'> {
  const l = local(at, timeZone);
  const next = l.weekday === 5 || l.weekday === 6 ? 1 : (l.weekday + 1) % 7;
  return {
    weekday: WEEKDAYS[l.weekday]!,
    nextWeekday: WEEKDAYS[next]!,
    month: l.month,
    timeOfDay: l.hour < 12 ? 'morning' : 'afternoon',
  };
}

/** "Tue, 3 Mar 2026 at 10:14", the way common mail clients date a quoted message. */
export function attributionDate(at: number, timeZone: string): string {
  const l = local(at, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${WEEKDAYS[l.weekday]!.slice(0, 3)}, ${l.day} ${l.monthShort} ${l.year} at ${pad(l.hour)}:${pad(l.minute)}`;
}
