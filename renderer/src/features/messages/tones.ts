// Words and tones for message states. Only evidence of success is good: a 250 handoff or a copy
// seen in the inbox. Waiting and not-yet-known states are neutral or info, never green.
import type { MessageRecipient, MessageStatus, Placement } from '../../../../shared/domain/message';
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
};
export const statusTone = (s: MessageStatus): Tone => statusTones[s];
export const statusWord = (s: MessageStatus): string => (s === 'retry_scheduled' ? 'retry scheduled' : s);

const placementTones: Record<Placement, Tone> = { inbox: 'good', spam: 'bad', other: 'warn', missing: 'neutral' };
export const placementTone = (p: Placement): Tone => placementTones[p];

export function recipientTone(r: MessageRecipient): Tone {
  if (r.outcome) return r.outcome.state === 'delivered' ? 'good' : r.outcome.state === 'deferred' ? 'warn' : 'bad';
  return r.status === 'accepted' ? 'good' : r.status === 'rejected' ? 'bad' : 'neutral';
}

/** The server's answer as one line: "550 5.1.1 No such user here". */
export function smtpAnswer(r: MessageRecipient): string {
  if (r.responseCode === null && !r.response) return '—';
  const text = r.response ?? '';
  const code = r.responseCode !== null && !text.startsWith(String(r.responseCode)) ? `${r.responseCode} ` : '';
  const enhanced = r.enhancedStatus && !text.includes(r.enhancedStatus) ? `${r.enhancedStatus} ` : '';
  return `${code}${enhanced}${text}`.trim();
}
