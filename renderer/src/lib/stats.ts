// Small sums over warmup stats, shared by the charts and the stat cards.
import type { DailyStats } from '../../../shared/domain/warmup';

/** Inbox share of the placements seen that day: inbox / (inbox + spam + missing); null when none. */
export function inboxShare(d: Pick<DailyStats, 'inbox' | 'spam' | 'missing'>): number | null {
  const seen = d.inbox + d.spam + d.missing;
  return seen === 0 ? null : d.inbox / seen;
}

/** Whether any day holds warmup activity worth a chart (sent, received, planned or bounced). */
export function hasActivity(stats: DailyStats[]): boolean {
  return stats.some((d) => d.target + d.sent + d.received + d.bounced + d.failed > 0);
}
