import type { Kysely, Transaction } from 'kysely';
import type { Database, MessageRow, NewMessageRow } from '../db/schema';
import type { MessageStatus } from '../../../shared/domain/message';

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

    async list(workspaceId: string, f: { mailboxId?: string; status?: MessageStatus; limit: number; before?: { at: number; id: string } }) {
      let q = db.selectFrom('messages').selectAll().where('workspace_id', '=', workspaceId);
      if (f.mailboxId) q = q.where('mailbox_id', '=', f.mailboxId);
      if (f.status) q = q.where('status', '=', f.status);
      if (f.before) {
        const b = f.before;
        q = q.where((eb) => eb.or([eb('created_at', '<', b.at), eb.and([eb('created_at', '=', b.at), eb('id', '<', b.id)])]));
      }
      return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit + 1).execute();
    },

    async insert(trx: Q, row: NewMessageRow, content: { text_body: string | null; html_body: string | null }, recipients: NewRecipient[]): Promise<void> {
      await trx.insertInto('messages').values(row).execute();
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
