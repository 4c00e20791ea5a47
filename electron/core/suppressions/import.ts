import { z } from 'zod';
import type { SuppressionImportReport } from '../../../shared/domain/suppression';
import type { Clock } from '../clock';
import type { Db } from '../db/connection';
import { newId } from '../util/ids';
import { readSuppressionsCsv } from './csv';

/** The same rule the API applies to an address typed in the form. */
const emailSchema = z.email().max(320);

type Rejection = SuppressionImportReport['rejected'][number];

/**
 * Suppress the valid lines of a CSV by hand, in one transaction; every other line is reported
 * with its number and why. An address already suppressed keeps its first reason (and its message).
 */
export function importSuppressions(db: Db, clock: Clock, workspaceId: string, csv: string): SuppressionImportReport {
  const rows = readSuppressionsCsv(csv);
  const rejected: Rejection[] = [];
  const accepted: { line: number; address: string; detail: string | null }[] = [];
  const firstLine = new Map<string, number>();
  for (const row of rows) {
    const address = row.email.trim().toLowerCase();
    const reject = (reason: Rejection['reason'], message: string) => rejected.push({ line: row.line, address: reason === 'invalid' ? row.email : address, reason, message });
    if (address === '') reject('invalid', 'No email address on this line.');
    else if (!emailSchema.safeParse(address).success) reject('invalid', `"${row.email}" is not a valid email address.`);
    else if (row.reason !== '' && row.reason !== 'manual') reject('reason', `Reason "${row.reason}" cannot be imported: only manual suppressions can (bounces and complaints come from real reports).`);
    else if (firstLine.has(address)) reject('duplicate', `Already on line ${firstLine.get(address)} of this file.`);
    else {
      firstLine.set(address, row.line);
      accepted.push({ line: row.line, address, detail: row.detail });
    }
  }
  const sqlite = db.sqlite;
  const insert = sqlite.prepare(
    `INSERT INTO suppressions (id, workspace_id, address, reason, detail, message_id, created_at)
     VALUES (?, ?, ?, 'manual', ?, NULL, ?) ON CONFLICT DO NOTHING`,
  );
  const now = clock.now();
  const imported = sqlite.transaction(() => {
    let n = 0;
    for (const r of accepted) {
      if (insert.run(newId('sup'), workspaceId, r.address, r.detail, now).changes > 0) n++;
      else rejected.push({ line: r.line, address: r.address, reason: 'exists', message: 'Already suppressed.' });
    }
    return n;
  })();
  rejected.sort((a, b) => a.line - b.line);
  return { total: rows.length, imported, rejected };
}
