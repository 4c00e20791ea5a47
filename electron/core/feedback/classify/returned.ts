// The original message a report is about: where it sits (part 3 of an RFC 3464/5965 report, an attached message in
// an older bounce, or a copy pasted below the notice text) and what links it back to what Kiln sent: its last
// Message-ID and Kiln's token header.
import { refFromHeaders } from '../recognise';
import { REF_HEADER } from '../../mail/headers';
import { field, fieldValues, messageIdOf, parseHeaderBlock, type FieldBlock } from './fields';
import type { MailPart, MailView } from './parse';

/** Media types that carry the returned message or its headers (RFC 3462/6522, RFC 6532 global variants). */
const RETURNED_TYPES = new Set(['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers']);

/** Only the header block is needed; the original's body (maybe megabytes) is never decoded as text. */
const HEADER_BYTES = 256 * 1024;

export interface OriginalRef {
  originalMessageId?: string;
  ref?: string;
}

/** The first part carrying the returned message (or its headers), if any. */
export function returnedPart(mail: MailView): MailPart | undefined {
  return mail.parts.find((p) => RETURNED_TYPES.has(p.contentType));
}

/** Message-ID and token from a header block: the last Message-ID (headers are prepended in transit). */
export function refsFromHeaders(headers: FieldBlock): OriginalRef {
  const out: OriginalRef = {};
  const ids = fieldValues(headers, 'message-id').map(messageIdOf).filter((v): v is string => v !== undefined);
  const last = ids[ids.length - 1];
  if (last !== undefined) out.originalMessageId = last;
  const ref = tokenIn(headers);
  if (ref !== undefined) out.ref = ref;
  return out;
}

/** The name the issue first gave the token header; nothing sends it today, it is read as a fallback only. */
const ALIAS_REF_HEADER = 'x-kiln-ref';

/**
 * Kiln's token in a header block. The header and its format (32 hex digits) are the sender's, checked by the
 * watcher's own refFromHeaders, so what this reports is exactly what the watcher can look up. The header name is a
 * common one (it is meant to be neutral), so a value that is not token-shaped is somebody else's.
 */
export function tokenIn(headers: FieldBlock): string | undefined {
  const name = REF_HEADER.toLowerCase();
  const lines = headers.filter(([n]) => n === name).map(([n, v]) => `${n}: ${v}`);
  const own = lines.length > 0 ? refFromHeaders(lines.join('\r\n')) : null;
  if (own) return own;
  const alias = field(headers, ALIAS_REF_HEADER)?.trim();
  return alias && /^[A-Za-z0-9._~+/=-]{1,200}$/.test(alias) ? alias : undefined;
}

/** Refs of the returned part of a report or attached-message bounce. */
export function refsFromPart(part: MailPart | undefined): OriginalRef {
  if (!part) return {};
  return refsFromHeaders(parseHeaderBlock(part.content.subarray(0, HEADER_BYTES).toString('utf8')));
}

// Where non-RFC bounces paste the original below their notice (Exim, qmail, Exchange, Gmail's old format, Sendmail).
const COPY_MARKERS = [
  /^-{3,} This is a copy of the message,? including all the headers\.? -{3,}[ \t]*$/m, // Exim
  /^-{3,} This is a copy of the message's headers\.? -{3,}[ \t]*$/m, // Exim, headers only
  /^-{3} Below this line is a copy of the message\.?[ \t]*$/m, // qmail
  /^Original message headers:[ \t]*$/m, // Exchange
  /^-{3,} ?Original message ?-{3,}[ \t]*$/im, // Gmail (old), many webmail bounces
  /^-{3,} ?(?:Original message follows|Returned message|Message header follows) ?-{3,}[ \t]*$/im, // Sendmail, others
];

/** Splits a bounce's text into the notice and the pasted copy of the original (empty when there is none). */
export function splitCopy(text: string): { notice: string; copy: string } {
  let cut: { index: number; length: number } | undefined;
  for (const re of COPY_MARKERS) {
    const m = re.exec(text);
    if (m && (cut === undefined || m.index < cut.index)) cut = { index: m.index, length: m[0].length };
  }
  if (!cut) return { notice: text, copy: '' };
  return { notice: text.slice(0, cut.index), copy: text.slice(cut.index + cut.length) };
}

/** Refs of a copy pasted as text: only when it starts with a header block (a body-only copy links nothing). */
export function refsFromCopy(copy: string): OriginalRef {
  const headers = parseHeaderBlock(copy);
  return headers.length >= 2 ? refsFromHeaders(headers) : {};
}

/** The report's own In-Reply-To/References (Gmail, Microsoft and Exim point them at the bounced message). */
export function refsFromReportHeaders(mail: MailView): OriginalRef {
  const refs = field(mail.headers, 'references')?.match(/<[^<>\s]+>/g) ?? [];
  const id = messageIdOf(field(mail.headers, 'in-reply-to')) ?? refs[refs.length - 1];
  return id !== undefined ? { originalMessageId: id } : {};
}
