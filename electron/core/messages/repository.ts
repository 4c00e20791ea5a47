import type { Kysely, Transaction } from 'kysely';
import type { Database, MessageRow, NewMessageRow } from '../db/schema';

type Q = Kysely<Database> | Transaction<Database>;

export interface NewRecipient {
  kind: 'to' | 'cc' | 'bcc';
  address: string;
}

export function messageRepository(db: Kysely<Database>) {
  return {
    get: (workspaceId: string, id: string) =>
      db.selectFrom('messages').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst(),
    byIdempotencyKey: (workspaceId: string, key: string) =>
      db.selectFrom('messages').selectAll().where('workspace_id', '=', workspaceId).where('idempotency_key', '=', key).executeTakeFirst(),
    recipients: (messageId: string) => db.selectFrom('message_recipients').selectAll().where('message_id', '=', messageId).execute(),
    recipientsOf: (ids: string[]) =>
      ids.length === 0 ? Promise.resolve([]) : db.selectFrom('message_recipients').selectAll().where('message_id', 'in', ids).execute(),
    placements: (messageId: string) =>
      db.selectFrom('message_placements').selectAll().where('message_id', '=', messageId).orderBy('recipient').execute(),
    events: (messageId: string) =>
      db.selectFrom('message_events').selectAll().where('message_id', '=', messageId).orderBy('id').execute(),

    async insert(trx: Q, row: NewMessageRow, content: { text_body: string | null; html_body: string | null }, recipients: NewRecipient[], tags: string[] = []): Promise<void> {
      await trx.insertInto('messages').values(row).execute();
      if (tags.length > 0) await trx.insertInto('message_tags').values(tags.map((tag) => ({ message_id: row.id, tag }))).execute();
      await trx.insertInto('message_contents').values({ message_id: row.id, ...content }).execute();
      await trx
        .insertInto('message_recipients')
        .values(recipients.map((r) => ({ message_id: row.id, kind: r.kind, address: r.address, status: 'pending' })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    },

    async appendEvent(trx: Q, m: Pick<MessageRow, 'id' | 'workspace_id'>, at: number, type: string, data: object = {}) {
      await trx
        .insertInto('message_events')
        .values({ message_id: m.id, workspace_id: m.workspace_id, at, type, data: JSON.stringify(data) })
        .execute();
    },
  };
}
export type MessageRepository = ReturnType<typeof messageRepository>;
