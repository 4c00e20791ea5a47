// Words and tones for message states. Only evidence of success is good: a 250 handoff or a copy
// seen in the inbox. Waiting and not-yet-known states are neutral or info, never green.
import type { MessageRecipient, MessageStatus, Placement, SendError } from '../../../../shared/domain/message';
import type { Tone } from '../../lib/deliverability';

const statusTones: Record<MessageStatus, Tone> = {
  planned: 'neutral',
  queued: 'info',
  sending: 'info',
  retry_scheduled: 'warn',
  sent: 'good',
  failed: 'bad',
  bounced: 'bad',
  complained: 'bad',
  // Given up on by a person: a record, no longer a problem to act on.
  discarded: 'neutral',
};
export const statusTone = (s: MessageStatus): Tone => statusTones[s];
export const statusWord = (s: MessageStatus): string => (s === 'retry_scheduled' ? 'retry scheduled' : s);

const placementTones: Record<Placement, Tone> = { inbox: 'good', spam: 'bad', other: 'warn', missing: 'neutral' };
export const placementTone = (p: Placement): Tone => placementTones[p];

export function recipientTone(r: MessageRecipient): Tone {
  if (r.outcome) return r.outcome.state === 'delivered' ? 'good' : r.outcome.state === 'deferred' ? 'warn' : 'bad';
  return r.status === 'accepted' ? 'good' : r.status === 'rejected' ? 'bad' : 'neutral';
}

/**
 * The server's answer as one line: "550 5.1.1 No such user here". A recipient still owed the
 * message shows the answer that stopped the whole message (e.g. a 451 at the end of DATA).
 */
export function smtpAnswer(r: MessageRecipient, lastError?: SendError | null): string {
  if (r.responseCode === null && !r.response) {
    if (r.status !== 'pending' || !lastError?.responseCode) return '—';
    return `${[lastError.responseCode, lastError.enhancedStatus, lastError.message].filter(Boolean).join(' ')} (whole message)`;
  }
  return [r.responseCode, r.enhancedStatus, r.response].filter((x) => x !== null && x !== '').join(' ');
}
