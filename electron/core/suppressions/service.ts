import type { Kysely } from 'kysely';
import type { Database, SuppressionRow } from '../db/schema';
import type { Suppression } from '../../../shared/domain/suppression';
import { KilnError } from '../../../shared/errors';
import type { Clock } from '../clock';
import { newId } from '../util/ids';
import { iso } from '../util/time';

export const toSuppression = (r: SuppressionRow): Suppression => ({
  id: r.id,
  workspaceId: r.workspace_id,
  address: r.address,
  reason: r.reason as Suppression['reason'],
  detail: r.detail,
  messageId: r.message_id,
  createdAt: iso(r.created_at),
});

export function suppressionService(db: Kysely<Database>, clock: Clock) {
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

    async list(workspaceId: string, limit: number, cursor?: string) {
      let q = db.selectFrom('suppressions').selectAll().where('workspace_id', '=', workspaceId);
      if (cursor) q = q.where('id', '>', cursor);
      const rows = await q.orderBy('id').limit(limit + 1).execute();
      const page = rows.slice(0, limit);
      return { items: page.map(toSuppression), nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
    },

    async remove(workspaceId: string, id: string): Promise<{ id: string; deleted: true }> {
      const res = await db.deleteFrom('suppressions').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
      if (Number(res.numDeletedRows) === 0) throw new KilnError('NOT_FOUND', `No suppression ${id} in this workspace`);
      return { id, deleted: true };
    },
  };
}
export type SuppressionService = ReturnType<typeof suppressionService>;
