// How each suppression reason reads on screen (pure: unit-tested with the query parsing).
import { suppressionReasons, type SuppressionReason } from '../../../../shared/domain/suppression';

export const reasonLabels: Record<SuppressionReason, string> = {
  hard_bounce: 'Hard bounce',
  complaint: 'Complaint',
  soft_bounces: 'Soft bounces',
  manual: 'Manual',
};

/** The screen's filters from its URL query (`#/suppressions?q=ana&reason=manual`); unknown reasons are ignored. */
export function filterFromQuery(query: string): { q: string; reason: SuppressionReason | '' } {
  const p = new URLSearchParams(query);
  const reason = suppressionReasons.find((r) => r === p.get('reason')) ?? '';
  return { q: p.get('q') ?? '', reason };
}

/** The Messages screen's link to the message that caused a suppression. */
export const messageHref = (messageId: string): string => `#/messages?id=${encodeURIComponent(messageId)}`;
