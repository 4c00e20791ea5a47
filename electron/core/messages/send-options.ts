import { KilnError } from '../../../shared/errors';
import { REF_HEADER } from '../mail/headers';

// The extra headers messages.send may set. Custom X-* headers pass, and a few harmless standard
// ones; nothing that routes, authenticates, identifies or structures the message (those are
// Kiln's to write, and a caller setting them could spoof a sender or a filter's verdict).

const STANDARD = new Set(['keywords', 'comments', 'precedence', 'auto-submitted', 'importance', 'priority']);
/** Prefixes of X-* headers receivers or Kiln itself trust: a filter verdict, an MTA's routing note, Kiln's ref token. */
const X_DENIED = [REF_HEADER.toLowerCase(), 'x-kiln-', 'x-spam', 'x-ms-exchange-', 'x-google-', 'x-forwarded-', 'x-original', 'x-received', 'x-virus', 'x-mailgun-', 'x-ses-', 'x-sg-', 'x-pm-', 'x-mc-'];
const TOKEN = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
export const MAX_HEADERS = 20;
export const MAX_HEADER_BYTES = 8 * 1024;
export const MAX_SCHEDULE_MS = 30 * 86_400_000;

function refuse(name: string, why: string): never {
  throw new KilnError('HEADER_NOT_ALLOWED', `Header ${name} is not allowed: ${why}`, { header: name });
}

/** Allow-listed headers as given (names as written), or a HEADER_NOT_ALLOWED naming the first refused one. */
export function checkHeaders(headers: Record<string, string> | undefined): Record<string, string> | null {
  if (!headers) return null;
  const entries = Object.entries(headers);
  if (entries.length === 0) return null;
  if (entries.length > MAX_HEADERS) throw new KilnError('VALIDATION_FAILED', `At most ${MAX_HEADERS} extra headers`, { fields: [{ path: 'headers', message: 'too many' }] });
  let bytes = 0;
  const seen = new Set<string>();
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    if (!TOKEN.test(name)) refuse(name, 'not a header name');
    if (seen.has(lower)) refuse(name, 'given twice');
    seen.add(lower);
    const custom = lower.startsWith('x-') && !X_DENIED.some((d) => lower.startsWith(d));
    if (!custom && !STANDARD.has(lower)) refuse(name, 'only X-* custom headers and Keywords, Comments, Precedence, Auto-Submitted, Importance, Priority');
    // A CR or LF would start a header of the caller's choosing; other controls have no place either.
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) refuse(name, 'its value holds a line break or control character');
    bytes += name.length + value.length + 4;
  }
  if (bytes > MAX_HEADER_BYTES) throw new KilnError('VALIDATION_FAILED', `Extra headers over ${MAX_HEADER_BYTES} bytes`, { fields: [{ path: 'headers', message: 'too large' }] });
  return Object.fromEntries(entries);
}

/** When a message is due: now, or its sendAt (a past time is now; more than 30 days ahead is refused). */
export function dueAt(sendAt: string | undefined, now: number): number {
  if (!sendAt) return now;
  const at = Date.parse(sendAt);
  if (at > now + MAX_SCHEDULE_MS) {
    throw new KilnError('VALIDATION_FAILED', 'sendAt is more than 30 days ahead', { fields: [{ path: 'sendAt', message: 'at most 30 days ahead' }] });
  }
  return Math.max(at, now);
}

/** Tags without repeats, in the order given. */
export const tagsOf = (tags: string[] | undefined): string[] => [...new Set(tags ?? [])];
