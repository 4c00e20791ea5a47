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
  tag?: string;
}

/** ISO bounds of the API to epoch ms. */
export function filterOf(input: { mailboxId?: string; status?: MessageStatus; kind?: MessageKind; placement?: Placement; from?: string; to?: string; q?: string; tag?: string }): MessageFilter {
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
 * A mailbox with a status uses (mailbox_id, status, created_at, id). The tag filter is the same kind
 * of probe on message_tags' primary key (message_id, tag) (migration 021).
 * `q` with an `@` is an address (exact or prefix) match: a range on message_recipients(address)
 * whose message ids SQLite looks up by primary key and sorts (cheap while the addresses matched
 * have thousands of messages, not millions; the other filters are then checked per row).
 * `q` without `@` also matches subjects (LIKE '%q%'): no index can serve that, so it scans the
 * rows the other filters leave, newest first, probing the recipients' primary key per row, until
 * the page is full: cheap for a common fragment, but a fragment that matches nothing reads every
 * row the other filters leave (seconds over 1M unfiltered rows).
 */
export function messagesQuery(db: Kysely<Database>, workspaceId: string, f: MessageFilter, before?: { at: number; id: string }) {
  // Addresses are stored lower-case (the API lower-cases them on the way in).
  const needle = f.q?.toLowerCase();
  const byAddress = needle?.includes('@') ?? false;
  // For an address search the recipients index must drive the query: a unary + keeps SQLite from
  // walking a (…, created_at) index newest first and probing every row against the address list.
  const c = (name: 'workspace_id' | 'mailbox_id' | 'status' | 'kind') => sql.raw<string>(byAddress ? `+m.${name}` : `m.${name}`);
  const at = sql.raw<number>(byAddress ? '+m.created_at' : 'm.created_at');
  let q = db.selectFrom('messages as m').where(c('workspace_id'), '=', workspaceId);
  if (f.mailboxId) q = q.where(c('mailbox_id'), '=', f.mailboxId);
  if (f.status) q = q.where(c('status'), '=', f.status);
  if (f.kind) q = q.where(c('kind'), '=', f.kind);
  if (f.from !== undefined) q = q.where(at, '>=', f.from);
  if (f.to !== undefined) q = q.where(at, '<=', f.to);
  if (f.placement) {
    const placement = f.placement;
    q = q.where(({ exists, selectFrom }) =>
      exists(selectFrom('message_placements as p').select(sql`1`.as('one')).whereRef('p.message_id', '=', 'm.id').where('p.placement', '=', placement)),
    );
  }
  if (f.tag) {
    const tag = f.tag;
    q = q.where(({ exists, selectFrom }) =>
      exists(selectFrom('message_tags as t').select(sql`1`.as('one')).whereRef('t.message_id', '=', 'm.id').where('t.tag', '=', tag)),
    );
  }
  if (needle) {
    const top = `${needle}\uffff`;
    if (byAddress) {
      q = q.where('m.id', 'in', db.selectFrom('message_recipients as r').select('r.message_id').where('r.address', '>=', needle).where('r.address', '<', top));
    } else {
      // Per scanned row: one seek on the recipients' primary key, and the subject test.
      q = q.where((eb) =>
        eb.or([
          eb.exists(eb.selectFrom('message_recipients as r').select(sql`1`.as('one')).whereRef('r.message_id', '=', 'm.id').where('r.address', '>=', needle).where('r.address', '<', top)),
          sql<boolean>`m.subject LIKE ${`%${escapeLike(f.q!)}%`} ESCAPE '\\'`,
        ]),
      );
    }
  }
  if (before) {
    const b = before;
    q = q.where((eb) => eb.or([eb(at, '<', b.at), eb.and([eb(at, '=', b.at), eb('m.id', '<', b.id)])]));
  }
  return q.orderBy('m.created_at', 'desc').orderBy('m.id', 'desc');
}
