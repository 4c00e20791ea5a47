import type { EventBus } from '../events/bus';
import type { TransportPool } from './transports';
import type { Dispatcher } from './dispatcher';

/**
 * The sending side of a mailbox change: a stopped mailbox's pooled connections close (a message
 * waiting in the pool is withdrawn), a sendable one wakes the dispatcher, a deleted one commits
 * the journal before its queued messages are failed. `dispatcher` is null when dispatch is off.
 */
export function reactToMailboxChanges(n: { bus: EventBus; transports: Pick<TransportPool, 'close'>; dispatcher: Pick<Dispatcher, 'kick' | 'flush'> | null }): () => void {
  const { transports, dispatcher } = n;
  return n.bus.on('mailbox.sendingChanged', ({ mailboxId, change }) => {
    if (change !== 'resumed' && change !== 'cleared') transports.close(mailboxId);
    if (change === 'deleted') dispatcher?.flush();
    else if (change !== 'paused' && change !== 'error') dispatcher?.kick();
  });
}
