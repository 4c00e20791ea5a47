import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { z } from 'zod';
import type { ImportReport, RecipientListKind } from '../../../shared/domain/recipient';
import type { Clock } from '../clock';
import type { EventBus } from '../events/bus';
import type { SuppressionService } from '../suppressions/service';
import { newId } from '../util/ids';
import { readRecipientsCsv, type CsvRow } from './csv';
import { providerOf } from '../providers';
import type { RecipientRepository, RecipientRow } from './repository';

/** The same rule the API applies to an address typed in a form. */
const emailSchema = z.email().max(320);

/** Rows checked between two yields to the event loop (and two progress events). */
export const IMPORT_CHUNK = 200;

export interface ImportInput {
  kind: RecipientListKind;
  csv: string;
  dryRun: boolean;
  importId?: string;
}

type Rejection = ImportReport['rejected'][number];

/** What a CSV import uses. */
export interface RecipientImportNeeds {
  clock: Clock;
  bus: EventBus;
  suppressions: Pick<SuppressionService, 'suppressed'>;
}

/**
 * Check every row (address, repeats in the file, suppressions, the list itself), then write the
 * accepted ones in one transaction. The file is refused whole when it cannot be read as CSV.
 */
export async function importRecipients(deps: RecipientImportNeeds, repo: RecipientRepository, workspaceId: string, input: ImportInput): Promise<ImportReport> {
  const { rows, columns } = readRecipientsCsv(input.csv);
  const total = rows.length;
  const progress = (done: number) => {
    if (input.importId) deps.bus.emit(workspaceId, 'recipients.importProgress', { importId: input.importId, done, total });
  };

  const rejected: Rejection[] = [];
  const accepted: (CsvRow & { address: string })[] = [];
  const firstLine = new Map<string, number>();
  for (let start = 0; start < total; start += IMPORT_CHUNK) {
    const fresh: (CsvRow & { address: string })[] = [];
    for (const row of rows.slice(start, start + IMPORT_CHUNK)) {
      const address = row.email.trim().toLowerCase();
      const reject = (reason: Rejection['reason'], message: string) => rejected.push({ line: row.line, address: reason === 'invalid' ? row.email : address, reason, message });
      if (address === '') reject('invalid', 'No email address on this line.');
      else if (!emailSchema.safeParse(address).success) reject('invalid', `"${row.email}" is not a valid email address.`);
      else if (firstLine.has(address)) reject('duplicate', `Already on line ${firstLine.get(address)} of this file.`);
      else {
        firstLine.set(address, row.line);
        fresh.push({ ...row, address });
      }
    }
    const suppressed = new Set(await deps.suppressions.suppressed(workspaceId, fresh.map((r) => r.address)));
    const existing = repo.existing(workspaceId, input.kind, fresh.map((r) => r.address));
    for (const r of fresh) {
      const reject = (reason: Rejection['reason'], message: string) => rejected.push({ line: r.line, address: r.address, reason, message });
      if (suppressed.has(r.address)) reject('suppressed', 'On this workspace’s suppression list (bounce, complaint or added by hand).');
      else if (existing.has(r.address)) reject('exists', `Already a ${input.kind}.`);
      else accepted.push(r);
    }
    const done = Math.min(start + IMPORT_CHUNK, total);
    // The last event ("done = total") is sent once everything is written.
    if (done < total) progress(done);
    // Let the event stream deliver progress (and other requests run) between chunks.
    await yieldToLoop();
  }

  let imported = accepted.length;
  if (!input.dryRun && accepted.length > 0) {
    const now = deps.clock.now();
    imported = repo.transaction(() => {
      let n = 0;
      for (const r of accepted) {
        const row: RecipientRow = { id: newId('rcp'), workspace_id: workspaceId, kind: input.kind, address: r.address, name: r.name, provider: providerOf(r.address), created_at: now };
        // Added by someone else since the check: reported, not an error.
        if (repo.insert(row)) n++;
        else rejected.push({ line: r.line, address: r.address, reason: 'exists', message: `Already a ${input.kind}.` });
      }
      return n;
    });
  }
  progress(total);
  if (!input.dryRun && imported > 0) deps.bus.emit(workspaceId, 'recipients.changed', { kind: input.kind, count: imported });
  rejected.sort((a, b) => a.line - b.line);
  return { dryRun: input.dryRun, total, imported, rejected, columns };
}
