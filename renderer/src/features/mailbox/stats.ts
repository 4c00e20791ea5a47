// Small reads over the daily figures the API returns (the API computes every figure; see docs/FIGURES.md).
import type { DailyStats } from '../../../../shared/domain/warmup';

/** Whether any day holds activity worth a chart: warmup planned or sent, any Kiln mail sent or placed, mail received. */
export function hasActivity(stats: DailyStats[]): boolean {
  return stats.some((d) => d.target + d.sent + d.mailSent + d.received + d.inbox + d.spam + d.other + d.missing + d.bounced + d.failed > 0);
}
