import { stringify } from 'csv-stringify/sync';
import type { Kysely } from 'kysely';
import type { ParsedInput } from '../../../shared/api/table';
import type { SendError } from '../../../shared/domain/message';
import { KilnError } from '../../../shared/errors';
import type { Database } from '../db/schema';
import { neutralise } from '../recipients/csv';
import { iso, isoOrNull } from '../util/time';
import { parseJson } from '../util/json';
import { filterOf, messagesQuery } from './list-query';
import { requeueFailed, type RetryNeeds } from './retry';

export const RETRY_FILTER_CAP = 5000;
export const EXPORT_CAP = 10_000;

export interface BulkNeeds extends RetryNeeds {
  kick: (mailboxId?: string) => void;
}

/** Retry many: each id goes through the single retry's rule; refusals are counted, not thrown. */
export async function retryMany(deps: BulkNeeds, workspaceId: string, input: ParsedInput<'messages.retryMany'>) {
  const ids = input.ids
    ? [...new Set(input.ids)]
    : (
        await messagesQuery(deps.db, workspaceId, { ...filterOf(input.filter ?? {}), status: 'failed' })
          .select('m.id')
          .limit(RETRY_FILTER_CAP)
          .execute()
      ).map((r) => r.id);
  const retriedIds: string[] = [];
  const reasons: { id: string; code: string; message: string }[] = [];
  const mailboxes = new Set<string>();
  for (const id of ids) {
    try {
      const row = await requeueFailed(deps, workspaceId, id);
      retriedIds.push(id);
      mailboxes.add(row.mailbox_id);
    } catch (e) {
      if (!(e instanceof KilnError)) throw e;
      reasons.push({ id, code: e.code, message: e.message });
    }
  }
  for (const mb of mailboxes) deps.kick(mb);
  return { retried: retriedIds.length, skipped: reasons.length, retriedIds, reasons };
}

const HEADER = ['id', 'created', 'mailbox', 'kind', 'status', 'from', 'to', 'subject', 'sent', 'last error'];

/** The filtered list as CSV, newest first; every cell neutralised against spreadsheet formulas. */
export async function exportMessages(db: Kysely<Database>, workspaceId: string, input: ParsedInput<'messages.export'>, now: number) {
  const rows = await messagesQuery(db, workspaceId, filterOf(input))
    .leftJoin('mailboxes as b', 'b.id', 'm.mailbox_id')
    .select(['m.id', 'm.created_at', 'b.email as mailbox', 'm.kind', 'm.status', 'm.from_addr', 'm.subject', 'm.sent_at', 'm.last_error'])
    .limit(EXPORT_CAP + 1)
    .execute();
  const truncated = rows.length > EXPORT_CAP;
  const page = rows.slice(0, EXPORT_CAP);
  const to = new Map<string, string[]>();
  for (let i = 0; i < page.length; i += 500) {
    const chunk = page.slice(i, i + 500).map((r) => r.id);
    const rec = await db.selectFrom('message_recipients').select(['message_id', 'address']).where('message_id', 'in', chunk).where('kind', '!=', 'bcc').execute();
    for (const r of rec) (to.get(r.message_id) ?? to.set(r.message_id, []).get(r.message_id)!).push(r.address);
  }
  const lines = page.map((r) => [
    r.id,
    iso(r.created_at),
    r.mailbox ?? r.from_addr,
    r.kind,
    r.status,
    r.from_addr,
    (to.get(r.id) ?? []).join(' '),
    r.subject,
    isoOrNull(r.sent_at) ?? '',
    parseJson<SendError>(r.last_error)?.message ?? '',
  ]);
  // A cut list says so in the file itself, where a spreadsheet reader sees it.
  if (truncated) lines.push([`# truncated: the first ${EXPORT_CAP} messages only; narrow the filters for the rest`]);
  return {
    filename: `kiln-messages-${iso(now).slice(0, 10)}.csv`,
    count: page.length,
    csv: stringify([HEADER, ...lines].map((l) => l.map(neutralise))),
    truncated,
  };
}
