// A mailbox's activity events in words: what happened, and the few facts of its data that matter.
import type { ActivityItem } from '../../../../shared/domain/fleet';

const words: Record<string, string> = {
  queued: 'Queued',
  sending: 'Sending',
  sent: 'Sent',
  retry_scheduled: 'Will retry',
  retry_requested: 'Retry requested',
  failed: 'Failed',
  interrupted: 'Interrupted',
  settled: 'Found after a restart',
  resending: 'Resending (not found)',
  recipient_rejected: 'Recipient refused',
  placement: 'Placement',
  opened: 'Opened',
  flagged: 'Flagged',
  rescued: 'Rescued from spam',
  replied: 'Replied',
  reply_skipped: 'Reply skipped',
  filed: 'Filed',
  removed: 'Removed',
  bounced: 'Bounced',
  soft_bounce: 'Soft bounce',
  sender_rejected: 'Sender rejected',
  complained: 'Complaint',
  not_spam: 'Marked not spam',
  auto_reply: 'Auto-reply',
};

const placementWords: Record<string, string> = { inbox: 'landed in the inbox', spam: 'landed in spam', promotions: 'landed in another tab', other: 'landed in another folder', missing: 'not seen' };

/** "Sent", "Placement", or the raw type in words when it is new to this table. */
export const activityLabel = (type: string): string => words[type] ?? type.replace(/_/g, ' ').replace(/^\w/, (c) => c.toUpperCase());

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);

/** The event's data in a few words: recipient, where it landed, folder, status, error code, server response. */
export function activityDetail(item: ActivityItem): string {
  const d = item.data;
  const parts: string[] = [];
  const who = str(d.recipient) ?? str(d.address) ?? str(d.to);
  if (who) parts.push(`to ${who}`);
  const placement = str(d.placement);
  if (placement) parts.push(placementWords[placement] ?? placement);
  const folder = str(d.folder);
  if (folder) parts.push(`folder ${folder}`);
  const from = str(d.from);
  if (from) parts.push(`from ${from}`);
  const status = str(d.status);
  if (status) parts.push(`status ${status}`);
  const error = d.error;
  if (error && typeof error === 'object') {
    const e = error as Record<string, unknown>;
    parts.push([str(e.code), str(e.message)].filter(Boolean).join(': '));
  } else if (str(error)) parts.push(str(error)!);
  const response = str(d.response) ?? str(d.diagnostic);
  if (response) parts.push(response);
  const reason = str(d.reason);
  if (reason) parts.push(reason);
  const attempt = typeof d.attempt === 'number' && d.attempt > 1 ? `attempt ${d.attempt}` : null;
  if (attempt) parts.push(attempt);
  return parts.join(' · ').slice(0, 240);
}
