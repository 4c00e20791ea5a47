// The report's health table, laid out once for both printers (the HTML page and the plain PDF):
// the part columns come from the first mailbox whose score has parts, and each row reads its parts by
// key, so a mailbox with no score gets "unknown" cells instead of a short row.
import type { Report } from '../../../shared/domain/report';

export interface HealthTable {
  parts: string[];
  rows: Array<{ email: string; score: number | null; parts: Array<number | null> }>;
}

export function healthTable(r: Report): HealthTable {
  const columns = r.mailboxes.find((m) => m.health?.components.length)?.health?.components ?? [];
  return {
    parts: columns.map((c) => c.label),
    rows: r.mailboxes.map((m) => ({
      email: m.email,
      score: m.health?.score ?? null,
      parts: columns.map((c) => m.health?.components.find((x) => x.part === c.part)?.score ?? null),
    })),
  };
}
