import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { MessageKind, MessageStatus, Placement } from '../../../shared/domain/message';

/** The list's filters as the core reads them (dates already in epoch ms). */
export interface MessageFilter {
  mailboxId?: string;
  status?: MessageStatus;
  kind?: MessageKind;
  placement?: Placement;
  from?: number;
  to?: number;
  q?: string;
}

/** ISO bounds of the API to epoch ms. */
export function filterOf(input: { mailboxId?: string; status?: MessageStatus; kind?: MessageKind; placement?: Placement; from?: string; to?: string; q?: string }): MessageFilter {
  return {
    ...input,
    from: input.from ? Date.parse(input.from) : undefined,
    to: input.to ? Date.parse(input.to) : undefined,
  };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Messages of a workspace matching `f`, newest first, keyset-paged by (created_at, id).
 *
 * Costs: mailbox, status and kind each pick an index ending in (created_at, id) (migration 017),
 * so a page reads about `limit` rows plus those the other filters reject. The placement filter is
 * an EXISTS probe per scanned row on message_placements (message_id, placement), index only.
 * `q` with an `@` is an address (exact or prefix) match: a range on message_recipients(address)
 * whose message ids SQLite looks up by primary key and sorts (cheap while one address has
 * thousands of messages, not millions). `q` without `@` also matches subjects (LIKE '%q%'):
 * no index can serve that, so it scans the rows the other filters leave, newest first, until the
 * page is full; a rare fragment over a large unfiltered workspace reads the whole table.
 */
export function messagesQuery(db: Kysely<Database>, workspaceId: string, f: MessageFilter, before?: { at: number; id: string }) {
  let q = db.selectFrom('messages as m').where('m.workspace_id', '=', workspaceId);
  if (f.mailboxId) q = q.where('m.mailbox_id', '=', f.mailboxId);
  if (f.status) q = q.where('m.status', '=', f.status);
  if (f.kind) q = q.where('m.kind', '=', f.kind);
  if (f.from !== undefined) q = q.where('m.created_at', '>=', f.from);
  if (f.to !== undefined) q = q.where('m.created_at', '<=', f.to);
  if (f.placement) {
    const placement = f.placement;
    q = q.where(({ exists, selectFrom }) =>
      exists(selectFrom('message_placements as p').select(sql`1`.as('one')).whereRef('p.message_id', '=', 'm.id').where('p.placement', '=', placement)),
    );
  }
  if (f.q) {
    // Addresses are stored lower-case (the API lower-cases them on the way in).
    const needle = f.q.toLowerCase();
    const byAddress = db
      .selectFrom('message_recipients as r')
      .select('r.message_id')
      .where('r.address', '>=', needle)
      .where('r.address', '<', `${needle}\uffff`);
    if (needle.includes('@')) q = q.where('m.id', 'in', byAddress);
    else q = q.where((eb) => eb.or([eb('m.id', 'in', byAddress), sql<boolean>`m.subject LIKE ${`%${escapeLike(f.q!)}%`} ESCAPE '\\'`]));
  }
  if (before) {
    const b = before;
    q = q.where((eb) => eb.or([eb('m.created_at', '<', b.at), eb.and([eb('m.created_at', '=', b.at), eb('m.id', '<', b.id)])]));
  }
  return q.orderBy('m.created_at', 'desc').orderBy('m.id', 'desc');
}
