// The report's numbers as CSV: one row per mailbox and day (the figures and the stored health
// score), so a client can chart them elsewhere. Cells are neutralised against formula injection.
import { stringify } from 'csv-stringify/sync';
import type { Report } from '../../../shared/domain/report';
import { healthParts } from '../../../shared/domain/health';
import { neutralise } from '../recipients/csv';

const PART_COLUMNS = healthParts.map((p) => `health_${p.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`);
const HEAD = ['day', 'mailbox', 'health_score', ...PART_COLUMNS, 'warmup_target', 'warmup_sent', 'warmup_failed', 'mail_sent', 'delivered', 'bounced', 'complained', 'inbox', 'spam', 'other', 'not_seen', 'inbox_share', 'replied'];

export function reportCsv(r: Report): { filename: string; count: number; csv: string } {
  const rows = r.mailboxes.flatMap((m) =>
    m.days.map((d) => {
      const stored = m.healthHistory.find((h) => h.day === d.day);
      const health = stored?.score;
      const parts = healthParts.map((p) => stored?.components.find((c) => c.part === p)?.score ?? '');
      // Empty, not 0, where nothing was measured: unknown is not a zero.
      const cells: Array<string | number> = [d.day, m.email, health ?? '', ...parts, d.target, d.sent, d.failed, d.mailSent, d.delivered, d.bounced, d.complained, d.inbox, d.spam, d.other, d.missing, d.inboxShare === null ? '' : d.inboxShare.toFixed(4), d.replied];
      return cells.map((c) => (typeof c === 'string' ? neutralise(c) : c));
    }),
  );
  const slug = r.workspace.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'workspace';
  return { filename: `kiln-report-${slug}-${r.from}-${r.to}.csv`, count: rows.length, csv: stringify([HEAD, ...rows]) };
}
