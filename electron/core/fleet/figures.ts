// The fleet's figures, read through the figures module: one grouped read per figure for the whole
// workspace, never one per mailbox.
import type BetterSqlite3 from 'better-sqlite3';
import type { TodayFigures } from '../../../shared/domain/fleet';
import { localDate } from '../../../shared/warmup/calendar';
import { dayWindow, figuresOf, filledDay, inboxShareOf } from '../figures';
import type { DailyStats } from '../../../shared/domain/warmup';

const WEEK = 7 * 24 * 3_600_000;

export const todayOf = (d: DailyStats): TodayFigures => ({
  target: d.target,
  planned: d.planned,
  sent: d.sent,
  mailSent: d.mailSent,
  inbox: d.inbox,
  spam: d.spam,
  other: d.other,
  bounced: d.bounced,
  complained: d.complained,
});

export function sumToday(rows: TodayFigures[]): TodayFigures {
  const t = todayOf(filledDay('', undefined));
  for (const r of rows) for (const k of Object.keys(t) as (keyof TodayFigures)[]) t[k] += r[k];
  return t;
}

export function fleetFigures(sqlite: BetterSqlite3.Database) {
  const f = figuresOf(sqlite);
  return {
    /** Each mailbox's today (in its figure time zone) and its 7-day inbox share. */
    read(workspaceId: string, mailboxes: { id: string; timeZone: string }[], now: number) {
      const windowIn = new Map<string, ReturnType<typeof dayWindow>>();
      const windows = mailboxes.map((m) => {
        let w = windowIn.get(m.timeZone);
        if (!w) windowIn.set(m.timeZone, (w = dayWindow(localDate(now, m.timeZone), m.timeZone)));
        return { ...w, mailbox: m.id };
      });
      const days = f.days.read(windows);
      const week = f.mail.placementsByMailbox(workspaceId, now - WEEK);
      return windows.map((w) => {
        const placed = week.get(w.mailbox);
        return { today: filledDay(w.day, days.get(`${w.mailbox}|${w.day}`)), inboxRate7d: placed ? inboxShareOf(placed) : null };
      });
    },
  };
}
