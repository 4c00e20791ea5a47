import type BetterSqlite3 from 'better-sqlite3';
import type { DailyStats } from '../../../shared/domain/warmup';
import { addDays } from '../../../shared/warmup/calendar';
import type { MailboxRow } from '../db/schema';

type Row = Partial<Omit<DailyStats, 'day'>> & { day: string };

/** One mailbox-day of the workspace-wide read: the daily rollup plus the warmup mail still on its way. */
export type MailboxDayStats = Omit<DailyStats, 'received'> & { planned: number };

// The sums are written once: the per-mailbox rollup and the workspace-wide read (the fleet's
// "today" for every mailbox at once) must count the same way.
const SENT = `sum(sent_at IS NOT NULL) AS sent, sum(status = 'sent') AS delivered, sum(status = 'bounced') AS bounced,
              sum(status = 'complained') AS complained, sum(status = 'failed') AS failed`;
const PLANNED = `sum(status IN ('planned', 'queued', 'sending', 'retry_scheduled')) AS planned`;
const PLACED = `sum(p.placement = 'inbox') AS inbox, sum(p.placement = 'spam') AS spam, sum(p.placement = 'missing') AS missing,
              sum(p.replied_at IS NOT NULL) AS replied`;
const DAYS = '(SELECT value FROM json_each(?))';

/** Per plan day rollups of a mailbox's warmup: what it sent and where that landed, and what it received. */
export function warmupStatsStore(sqlite: BetterSqlite3.Database) {
  const s = {
    targets: sqlite.prepare('SELECT day, target FROM warmup_days WHERE mailbox_id = ? AND day BETWEEN ? AND ?'),
    sent: sqlite.prepare(
      `SELECT plan_day AS day, ${SENT} FROM messages WHERE mailbox_id = ? AND kind = 'warmup' AND plan_day BETWEEN ? AND ? GROUP BY plan_day`,
    ),
    placed: sqlite.prepare(
      `SELECT m.plan_day AS day, ${PLACED}
         FROM messages m JOIN message_placements p ON p.message_id = m.id
        WHERE m.mailbox_id = ? AND m.kind = 'warmup' AND m.plan_day BETWEEN ? AND ? GROUP BY m.plan_day`,
    ),
    received: sqlite.prepare(
      `SELECT m.plan_day AS day, count(*) AS received FROM message_placements p JOIN messages m ON m.id = p.message_id
        WHERE p.mailbox_id = ? AND m.kind = 'warmup' AND p.placement != 'missing' AND m.plan_day BETWEEN ? AND ? GROUP BY m.plan_day`,
    ),
    // Workspace-wide, grouped by mailbox and day: a fixed three reads however many mailboxes there are.
    wsTargets: sqlite.prepare(
      `SELECT d.mailbox_id AS mailbox, d.day AS day, d.target AS target FROM mailboxes b JOIN warmup_days d ON d.mailbox_id = b.id
        WHERE b.workspace_id = ? AND b.deleted_at IS NULL AND d.day IN ${DAYS}`,
    ),
    wsSent: sqlite.prepare(
      `SELECT mailbox_id AS mailbox, plan_day AS day, ${SENT}, ${PLANNED}
         FROM messages WHERE workspace_id = ? AND kind = 'warmup' AND plan_day IN ${DAYS} GROUP BY mailbox_id, plan_day`,
    ),
    wsPlaced: sqlite.prepare(
      `SELECT m.mailbox_id AS mailbox, m.plan_day AS day, ${PLACED}
         FROM messages m JOIN message_placements p ON p.message_id = m.id
        WHERE m.workspace_id = ? AND m.kind = 'warmup' AND m.plan_day IN ${DAYS} GROUP BY m.mailbox_id, m.plan_day`,
    ),
  };

  const filled = (day: string, r: Row | undefined): DailyStats => ({
    day,
    target: r?.target ?? 0,
    sent: r?.sent ?? 0,
    delivered: r?.delivered ?? 0,
    inbox: r?.inbox ?? 0,
    spam: r?.spam ?? 0,
    missing: r?.missing ?? 0,
    bounced: r?.bounced ?? 0,
    complained: r?.complained ?? 0,
    failed: r?.failed ?? 0,
    replied: r?.replied ?? 0,
    received: r?.received ?? 0,
  });

  return {
    daily(m: MailboxRow, from: string, to: string): DailyStats[] {
      const by = new Map<string, Row>();
      const merge = (rows: Row[]) => {
        for (const r of rows) by.set(r.day, { ...by.get(r.day), ...r });
      };
      merge(s.targets.all(m.id, from, to) as Row[]);
      merge(s.sent.all(m.id, from, to) as Row[]);
      merge(s.placed.all(m.id, from, to) as Row[]);
      merge(s.received.all(m.id, from, to) as Row[]);
      const out: DailyStats[] = [];
      for (let d = from; d <= to; d = addDays(d, 1)) out.push(filled(d, by.get(d)));
      return out;
    },

    /**
     * Every live mailbox of a workspace on the given plan days, keyed `mailboxId|day` (only pairs
     * with something recorded; read a missing pair as zeros with `emptyDay`).
     */
    workspaceDays(workspaceId: string, days: string[]): Map<string, MailboxDayStats> {
      const by = new Map<string, Row & { planned?: number }>();
      const json = JSON.stringify(days);
      for (const st of [s.wsTargets, s.wsSent, s.wsPlaced]) {
        for (const r of st.all(workspaceId, json) as (Row & { mailbox: string; planned?: number })[]) {
          const key = `${r.mailbox}|${r.day}`;
          by.set(key, { ...by.get(key), ...r });
        }
      }
      const out = new Map<string, MailboxDayStats>();
      for (const [key, r] of by) out.set(key, { ...filled(r.day, r), planned: r.planned ?? 0 });
      return out;
    },
  };
}

/** A mailbox-day with nothing recorded. */
export function emptyDay(day: string): MailboxDayStats {
  return { day, target: 0, sent: 0, delivered: 0, inbox: 0, spam: 0, missing: 0, bounced: 0, complained: 0, failed: 0, replied: 0, planned: 0 };
}
