// RFC 5965 abuse reports (ARF, + RFC 6430 not-spam, RFC 6591 auth-failure): the machine-readable
// message/feedback-report part of a multipart/report; report-type=feedback-report. Part 3, the original message or
// its headers, is read by returned.ts.
import { addressOf, field, parseFieldBlocks, parseHeaderBlock } from './fields';
import type { MailView } from './parse';
import { returnedPart } from './returned';
import type { ComplaintInfo } from './types';

const FEEDBACK_TYPE = 'message/feedback-report';

export function looksLikeArf(mail: MailView): boolean {
  return (mail.contentType === 'multipart/report' && mail.reportType === 'feedback-report') || mail.parts.some((p) => p.contentType === FEEDBACK_TYPE);
}

/** undefined when the report has no readable Feedback-Type (then it is not treated as a complaint). */
export function readArf(mail: MailView): ComplaintInfo | undefined {
  const part = mail.parts.find((p) => p.contentType === FEEDBACK_TYPE);
  if (!part) return undefined;
  // The report is a single block of fields; a stray blank line in a damaged one must not hide the rest.
  const fields = parseFieldBlocks(part.content.toString('utf8')).flat();
  const feedbackType = field(fields, 'feedback-type')?.toLowerCase().match(/^[a-z0-9-]+/)?.[0];
  if (!feedbackType) return undefined;
  const complaint: ComplaintInfo = {
    feedbackType,
    // Original-Rcpt-To is optional and often redacted; then the original's own To is the best remaining evidence,
    // but only when it names exactly one address (a list or a redacted placeholder names no one in particular).
    recipient: addressOf(field(fields, 'original-rcpt-to')) ?? soleToOfOriginal(mail),
  };
  const sourceIp = field(fields, 'source-ip');
  if (sourceIp !== undefined) complaint.sourceIp = sourceIp.replace(/^\[|\]$/g, '') || null;
  return complaint;
}

function soleToOfOriginal(mail: MailView): string | null {
  const part = returnedPart(mail);
  if (!part) return null;
  const to = field(parseHeaderBlock(part.content.subarray(0, 256 * 1024).toString('utf8')), 'to');
  if (to === undefined || to.includes(',') || /redacted|\*{3}|x{4,}/i.test(to)) return null;
  return addressOf(to);
}
