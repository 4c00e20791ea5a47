import { sql } from 'kysely';
import type { SuppressionRow } from '../db/schema';
import type { Db } from '../db/connection';
import type { Suppression, SuppressionReason } from '../../../shared/domain/suppression';
import { KilnError } from '../../../shared/errors';
import type { Clock } from '../clock';
import { newId } from '../util/ids';
import { iso } from '../util/time';
import { suppressionsCsv } from './csv';
import { importSuppressions } from './import';

/** What narrows the list and the export. */
export interface SuppressionFilter {
  q?: string;
  reason?: SuppressionReason;
}

/** A LIKE pattern matching `q` anywhere in the address, its own % and _ taken literally. */
const containing = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export const toSuppression = (r: SuppressionRow): Suppression => ({
  id: r.id,
  workspaceId: r.workspace_id,
  address: r.address,
  reason: r.reason as Suppression['reason'],
  detail: r.detail,
  messageId: r.message_id,
  createdAt: iso(r.created_at),
});

export function suppressionService(store: Db, clock: Clock) {
  const db = store.kysely;
  const filtered = (workspaceId: string, f: SuppressionFilter) => {
    let q = db.selectFrom('suppressions').selectAll().where('workspace_id', '=', workspaceId);
    if (f.q) q = q.where(sql<boolean>`address LIKE ${containing(f.q)} ESCAPE '\\'`);
    if (f.reason) q = q.where('reason', '=', f.reason);
    return q;
  };
  return {
    /** The subset of `addresses` this workspace must never send to. */
    async suppressed(workspaceId: string, addresses: string[]): Promise<string[]> {
      if (addresses.length === 0) return [];
      const rows = await db
        .selectFrom('suppressions')
        .select('address')
        .where('workspace_id', '=', workspaceId)
        .where('address', 'in', addresses.map((a) => a.toLowerCase()))
        .execute();
      return rows.map((r) => r.address);
    },

    /** Idempotent: suppressing an address twice keeps the first reason. */
    async add(workspaceId: string, address: string, reason: Suppression['reason'], detail: string | null, messageId: string | null): Promise<Suppression> {
      const row: SuppressionRow = {
        id: newId('sup'),
        workspace_id: workspaceId,
        address: address.toLowerCase(),
        reason,
        detail,
        message_id: messageId,
        created_at: clock.now(),
      };
      await db.insertInto('suppressions').values(row).onConflict((oc) => oc.columns(['workspace_id', 'address']).doNothing()).execute();
      const stored = await db.selectFrom('suppressions').selectAll().where('workspace_id', '=', workspaceId).where('address', '=', row.address).executeTakeFirstOrThrow();
      return toSuppression(stored);
    },

    async list(workspaceId: string, limit: number, cursor?: string, filter: SuppressionFilter = {}) {
      let q = filtered(workspaceId, filter);
      if (cursor) q = q.where('id', '>', cursor);
      const rows = await q.orderBy('id').limit(limit + 1).execute();
      const page = rows.slice(0, limit);
      return { items: page.map(toSuppression), nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
    },

    import: (workspaceId: string, csv: string) => importSuppressions(store, clock, workspaceId, csv),

    async export(workspaceId: string, filter: SuppressionFilter) {
      const rows = await filtered(workspaceId, filter).orderBy('address').execute();
      return {
        filename: `kiln-suppressions-${filter.reason ?? 'all'}-${iso(clock.now()).slice(0, 10)}.csv`,
        count: rows.length,
        csv: suppressionsCsv(rows.map((r) => [r.address, r.reason, r.detail ?? '', r.message_id ?? '', iso(r.created_at)])),
      };
    },

    async remove(workspaceId: string, id: string): Promise<{ id: string; deleted: true }> {
      const res = await db.deleteFrom('suppressions').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
      if (Number(res.numDeletedRows) === 0) throw new KilnError('NOT_FOUND', `No suppression ${id} in this workspace`);
      return { id, deleted: true };
    },
  };
}
export type SuppressionService = ReturnType<typeof suppressionService>;
