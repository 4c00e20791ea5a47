import type { Kysely } from 'kysely';
import { KilnError } from '../../../shared/errors';
import type { Database, MessageRow } from '../db/schema';
import type { Clock } from '../clock';
import type { EventBus } from '../events/bus';
import type { MessageRepository } from './repository';

export interface RetryNeeds {
  db: Kysely<Database>;
  repo: MessageRepository;
  clock: Clock;
  bus: EventBus;
}

/**
 * The one rule for an explicit resend: only a failed message goes back to the queue, and
 * recipients that already accepted it are not sent it again. Throws NOT_FOUND or CONFLICT.
 * The caller wakes the dispatcher (once per mailbox when many are retried).
 */
export async function requeueFailed(deps: RetryNeeds, workspaceId: string, id: string): Promise<MessageRow> {
  const row = await deps.repo.get(workspaceId, id);
  if (!row) throw new KilnError('NOT_FOUND', `No message ${id} in this workspace`);
  if (row.status !== 'failed') throw new KilnError('CONFLICT', `Only failed messages can be retried; ${id} is ${row.status}`);
  const now = deps.clock.now();
  const changed = await deps.db.transaction().execute(async (trx) => {
    // The status guard makes two racing retries queue the message once.
    const r = await trx
      .updateTable('messages')
      .set({ status: 'queued', next_attempt_at: now, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'failed')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return false;
    await trx.updateTable('message_recipients').set({ status: 'pending' }).where('message_id', '=', id).where('status', '!=', 'accepted').execute();
    await deps.repo.appendEvent(trx, row, now, 'retry_requested', {});
    return true;
  });
  if (!changed) throw new KilnError('CONFLICT', `Only failed messages can be retried; ${id} changed meanwhile`);
  deps.bus.emit(workspaceId, 'message.updated', { id, mailboxId: row.mailbox_id, status: 'queued', event: 'retry_requested' });
  return row;
}
