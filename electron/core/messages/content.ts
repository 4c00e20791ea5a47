import type { Kysely } from 'kysely';
import { KilnError } from '../../../shared/errors';
import type { Database } from '../db/schema';
import { composedHeaders, mailOptions } from '../sending/mail-options';
import type { MessageRepository } from './repository';

/**
 * The headers and bodies of a message, rebuilt from its stored row through the sender's own
 * composer. Date is the send time (or the last update while unsent); MIME boundaries are fresh.
 */
export async function messageContent(db: Kysely<Database>, repo: MessageRepository, workspaceId: string, id: string) {
  const row = await repo.get(workspaceId, id);
  if (!row) throw new KilnError('NOT_FOUND', `No message ${id} in this workspace`);
  const [recipients, content, mailbox] = await Promise.all([
    repo.recipients(id),
    db.selectFrom('message_contents').selectAll().where('message_id', '=', id).executeTakeFirst(),
    // A deleted mailbox's row stays: its messages still show who sent them.
    db.selectFrom('mailboxes').select('display_name').where('id', '=', row.mailbox_id).executeTakeFirst(),
  ]);
  const options = mailOptions(row, mailbox?.display_name ?? null, recipients, content, new Date(row.sent_at ?? row.updated_at));
  return { id, headers: await composedHeaders(options), text: content?.text_body ?? null, html: content?.html_body ?? null };
}
