// Figures per local day: the warmup ramp's (by plan day: target, planned, sent against the plan,
// failed, pool mail received) and all Kiln mail's (by the local day it was sent: placements,
// outcomes, replies). Days are counted in the mailbox's figure time zone (see FIGURE_TZ).
import type BetterSqlite3 from 'better-sqlite3';
import type { DailyStats } from '../../../shared/domain/warmup';
import { FIGURE_TZ, PLACEMENT_SUMS, outcomeSums, dayWindows, inboxShareOf, type DayWindow } from './select';

/** The warmup ramp's figures of one mailbox-day. */
export interface RampDay {
  target: number;
  /** Warmup mail planned or waiting to be sent. */
  planned: number;
  /** Warmup mail the server accepted, against the day's target. */
  sent: number;
  failed: number;
  /** Warmup mail from the pool that reached this mailbox. */
  received: number;
}

const RAMP_SENT = `coalesce(sum(sent_at IS NOT NULL), 0) AS sent, coalesce(sum(status = 'failed'), 0) AS failed,
  coalesce(sum(status IN ('planned', 'queued', 'sending', 'retry_scheduled')), 0) AS planned`;
const WINDOWS = `(SELECT json_extract(value, '$.mailbox') AS mailbox, json_extract(value, '$.day') AS day,
  json_extract(value, '$.start') AS start, json_extract(value, '$.end') AS "end" FROM json_each(?))`;
const DAYS = '(SELECT value FROM json_each(?))';

type Keyed<T> = T & { mailbox: string; day: string };
export type MailboxWindow = DayWindow & { mailbox: string };

export function dayFigures(sqlite: BetterSqlite3.Database) {
  const s = {
    tz: sqlite.prepare(`SELECT ${FIGURE_TZ} FROM mailboxes b LEFT JOIN warmup_settings w ON w.mailbox_id = b.id WHERE b.id = ?`).pluck(),
    targets: sqlite.prepare(`SELECT d.mailbox_id AS mailbox, d.day, d.target FROM warmup_days d WHERE d.mailbox_id IN (SELECT value FROM json_each(?)) AND d.day IN ${DAYS}`),
    ramp: sqlite.prepare(
      `SELECT mailbox_id AS mailbox, plan_day AS day, ${RAMP_SENT} FROM messages
        WHERE mailbox_id IN (SELECT value FROM json_each(?)) AND kind = 'warmup' AND plan_day IN ${DAYS} GROUP BY mailbox_id, plan_day`,
    ),
    received: sqlite.prepare(
      `SELECT p.mailbox_id AS mailbox, m.plan_day AS day, count(*) AS received FROM message_placements p JOIN messages m ON m.id = p.message_id
        WHERE p.mailbox_id IN (SELECT value FROM json_each(?)) AND m.kind = 'warmup' AND p.placement != 'missing' AND m.plan_day IN ${DAYS}
        GROUP BY p.mailbox_id, m.plan_day`,
    ),
    // Windows first: each is one range scan of the (mailbox_id, sent_at) index.
    outcomes: sqlite.prepare(
      `SELECT d.mailbox, d.day, ${outcomeSums('mailSent')} FROM ${WINDOWS} d CROSS JOIN messages m
        WHERE m.mailbox_id = d.mailbox AND m.sent_at >= d.start AND m.sent_at < d."end" GROUP BY d.mailbox, d.day`,
    ),
    placements: sqlite.prepare(
      `SELECT d.mailbox, d.day, ${PLACEMENT_SUMS}, coalesce(sum(p.replied_at IS NOT NULL), 0) AS replied
         FROM ${WINDOWS} d CROSS JOIN messages m JOIN message_placements p ON p.message_id = m.id
        WHERE m.mailbox_id = d.mailbox AND m.sent_at >= d.start AND m.sent_at < d."end" GROUP BY d.mailbox, d.day`,
    ),
  };

  /** Every figure of each (mailbox, day) window, keyed `mailbox|day`; absent keys have nothing recorded. */
  function read(windows: MailboxWindow[]): Map<string, Partial<DailyStats>> {
    const by = new Map<string, Partial<DailyStats>>();
    const ids = JSON.stringify([...new Set(windows.map((w) => w.mailbox))]);
    const days = JSON.stringify([...new Set(windows.map((w) => w.day))]);
    const wanted = new Set(windows.map((w) => `${w.mailbox}|${w.day}`));
    const merge = (rows: Keyed<Record<string, number>>[]) => {
      for (const { mailbox, day, ...r } of rows) {
        const key = `${mailbox}|${day}`;
        // Ramp reads match on plan day alone: keep only the days asked of each mailbox.
        if (wanted.has(key)) by.set(key, { ...by.get(key), ...r });
      }
    };
    const json = JSON.stringify(windows);
    merge(s.targets.all(ids, days) as never);
    merge(s.ramp.all(ids, days) as never);
    merge(s.received.all(ids, days) as never);
    merge(s.outcomes.all(json) as never);
    merge(s.placements.all(json) as never);
    return by;
  }

  return {
    /** The time zone a mailbox's days are counted in. */
    timeZoneOf: (mailboxId: string): string => (s.tz.get(mailboxId) as string | undefined) ?? 'UTC',
    read,
    /** One mailbox, day by day from `from` to `to` (its figure time zone). */
    mailbox(mailboxId: string, from: string, to: string): DailyStats[] {
      const windows = dayWindows(from, to, this.timeZoneOf(mailboxId)).map((w) => ({ ...w, mailbox: mailboxId }));
      const by = read(windows);
      return windows.map((w) => filledDay(w.day, by.get(`${mailboxId}|${w.day}`)));
    },
  };
}
export type DayFigures = ReturnType<typeof dayFigures>;

/** A day's figures with nothing recorded read as zeros, and the inbox share computed once. */
export function filledDay(day: string, r: Partial<DailyStats> | undefined): DailyStats {
  const n = (k: keyof DailyStats) => (r?.[k] as number | undefined) ?? 0;
  const placed = { inbox: n('inbox'), spam: n('spam'), other: n('other'), missing: n('missing') };
  return {
    day,
    target: n('target'),
    planned: n('planned'),
    sent: n('sent'),
    failed: n('failed'),
    received: n('received'),
    mailSent: n('mailSent'),
    delivered: n('delivered'),
    bounced: n('bounced'),
    complained: n('complained'),
    ...placed,
    inboxShare: inboxShareOf(placed),
    replied: n('replied'),
  };
}
