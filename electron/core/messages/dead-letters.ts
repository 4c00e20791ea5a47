import type { ParsedInput } from '../../../shared/api/table';
import type { Message } from '../../../shared/domain/message';
import { KilnError } from '../../../shared/errors';
import { filterOf, messagesQuery } from './list-query';
import type { RetryNeeds } from './retry';

// Dead letters: messages that failed for good (a permanent refusal, retries exhausted, an
// interrupted send nobody resolved). They wait for a person: retried, or discarded, which keeps
// the row and its log for the record but takes it off the list and out of reach of any retry.

export const DISCARD_FILTER_CAP = 5000;

/** Why a failed message is a dead letter, in words. */
export function deadLetterReason(m: Pick<Message, 'attempts' | 'lastError'>): string {
  const e = m.lastError;
  if (!e) return 'Failed';
  if (e.code === 'SEND_INTERRUPTED') return `Interrupted mid-send: ${e.message}`;
  // The message already quotes the server's reply (code, enhanced status, words).
  if (e.kind === 'transient') return `Retries exhausted after ${m.attempts} attempt${m.attempts === 1 ? '' : 's'}: ${e.message}`;
  return `Permanent failure: ${e.message}`;
}

/** Discard one failed message; NOT_FOUND or CONFLICT (not a dead letter) otherwise. */
async function discardOne(deps: RetryNeeds, workspaceId: string, id: string): Promise<void> {
  const row = await deps.repo.get(workspaceId, id);
  if (!row) throw new KilnError('NOT_FOUND', `No message ${id} in this workspace`);
  if (row.status !== 'failed') throw new KilnError('CONFLICT', `Only failed messages can be discarded; ${id} is ${row.status}`);
  const now = deps.clock.now();
  const changed = await deps.db.transaction().execute(async (trx) => {
    // The status guard: a retry racing this discard wins or loses as a whole.
    const r = await trx
      .updateTable('messages')
      .set({ status: 'discarded', next_attempt_at: null, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'failed')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return false;
    await deps.repo.appendEvent(trx, row, now, 'discarded', {});
    return true;
  });
  if (!changed) throw new KilnError('CONFLICT', `Only failed messages can be discarded; ${id} changed meanwhile`);
  deps.bus.emit(workspaceId, 'message.updated', { id, mailboxId: row.mailbox_id, status: 'discarded', event: 'discarded' });
}

/** Discard many: the given ids, or every dead letter matching a filter; refusals are counted, not thrown. */
export async function discard(deps: RetryNeeds, workspaceId: string, input: ParsedInput<'messages.discard'>) {
  const ids = input.ids
    ? [...new Set(input.ids)]
    : (
        await messagesQuery(deps.db, workspaceId, { ...filterOf(input.filter ?? {}), status: 'failed' })
          .select('m.id')
          .limit(DISCARD_FILTER_CAP)
          .execute()
      ).map((r) => r.id);
  const discardedIds: string[] = [];
  const reasons: { id: string; code: string; message: string }[] = [];
  for (const id of ids) {
    try {
      await discardOne(deps, workspaceId, id);
      discardedIds.push(id);
    } catch (e) {
      if (!(e instanceof KilnError)) throw e;
      reasons.push({ id, code: e.code, message: e.message });
    }
  }
  return { discarded: discardedIds.length, skipped: reasons.length, discardedIds, reasons };
}
