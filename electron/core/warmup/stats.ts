import type BetterSqlite3 from 'better-sqlite3';
import type { DailyStats } from '../../../shared/domain/warmup';
import { addDays } from '../../../shared/warmup/calendar';
import type { MailboxRow } from '../db/schema';

type Row = Partial<Omit<DailyStats, 'day'>> & { day: string };

/** Per plan day rollups of a mailbox's warmup: what it sent and where that landed, and what it received. */
export function warmupStatsStore(sqlite: BetterSqlite3.Database) {
  const s = {
    targets: sqlite.prepare('SELECT day, target FROM warmup_days WHERE mailbox_id = ? AND day BETWEEN ? AND ?'),
    sent: sqlite.prepare(
      `SELECT plan_day AS day, sum(sent_at IS NOT NULL) AS sent, sum(status = 'sent') AS delivered, sum(status = 'bounced') AS bounced,
              sum(status = 'complained') AS complained, sum(status = 'failed') AS failed
         FROM messages WHERE mailbox_id = ? AND kind = 'warmup' AND plan_day BETWEEN ? AND ? GROUP BY plan_day`,
    ),
    placed: sqlite.prepare(
      `SELECT m.plan_day AS day, sum(p.placement = 'inbox') AS inbox, sum(p.placement = 'spam') AS spam, sum(p.placement = 'missing') AS missing,
              sum(p.replied_at IS NOT NULL) AS replied
         FROM messages m JOIN message_placements p ON p.message_id = m.id
        WHERE m.mailbox_id = ? AND m.kind = 'warmup' AND m.plan_day BETWEEN ? AND ? GROUP BY m.plan_day`,
    ),
    received: sqlite.prepare(
      `SELECT m.plan_day AS day, count(*) AS received FROM message_placements p JOIN messages m ON m.id = p.message_id
        WHERE p.mailbox_id = ? AND m.kind = 'warmup' AND p.placement != 'missing' AND m.plan_day BETWEEN ? AND ? GROUP BY m.plan_day`,
    ),
  };

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
      for (let d = from; d <= to; d = addDays(d, 1)) {
        const r = by.get(d);
        out.push({
          day: d,
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
      }
      return out;
    },
  };
}
