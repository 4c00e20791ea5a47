import type BetterSqlite3 from 'better-sqlite3';
import type { DailyStats } from '../../../shared/domain/warmup';
import type { MailboxRow } from '../db/schema';
import { figuresOf } from '../figures';

/** A mailbox's figures day by day (the Daily results chart): read from the one figures module. */
export function warmupStatsStore(sqlite: BetterSqlite3.Database) {
  const days = figuresOf(sqlite).days;
  return {
    daily: (m: MailboxRow, from: string, to: string): DailyStats[] => days.mailbox(m.id, from, to),
  };
}
