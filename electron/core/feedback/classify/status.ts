// Whose problem a failed delivery is, read from the RFC 3463 enhanced status code first (class.subject.detail); the
// text of the diagnostic is consulted only when the code says nothing specific (x.0.0, x.5.x or no code at all).
import { parseEnhancedStatus } from '../../mail/smtp-facts';
import type { BounceType } from './types';

/** Permanent failures about the recipient's address or domain itself: suppress the recipient. */
const HARD = new Set([
  '5.1.0', // other address status (in practice: address rejected)
  '5.1.1', // bad destination mailbox address (user unknown)
  '5.1.2', // bad destination system address (host/domain unknown)
  '5.1.3', // bad destination mailbox address syntax
  '5.1.6', // mailbox has moved, no forwarding address
  '5.1.10', // RFC 7505 null MX; Microsoft RESOLVER.ADR.RecipientNotFound
  '5.2.1', // mailbox disabled (closed account)
  '5.4.1', // Microsoft 365: "Recipient address rejected: Access denied" (directory-based edge blocking)
  '5.4.4', // unable to route: the recipient's domain has no usable MX/A
]);

/** Permanent failures caused by the sender or the message, not the recipient. */
const SENDER = new Set([
  '5.1.7', // bad sender's mailbox address syntax
  '5.1.8', // bad sender's system address
  '5.2.3', // message length exceeds administrative limit
  '5.3.4', // message too big for system
]);

/** An enhanced status code from a Status field or a reply text, normalised ('5.1.1'), or undefined. */
export function statusOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  // parseEnhancedStatus looks for the code after a reply code or standing alone (start, space, '(', '#'); a
  // continuation "550-5.7.26" inside an unfolded field is not at a line start, so it is retried as "550 5.7.26".
  const code = parseEnhancedStatus(text) ?? parseEnhancedStatus(text.replace(/\b([245]\d\d)-(?=[245]\.)/g, '$1 '));
  // RFC 3463 subjects run 0..7: anything else is a version number or an address that happened to match.
  return code !== undefined && /^\d\.[0-7]\./.test(code) ? code : undefined;
}

/**
 * The best status for a recipient: the Status field, unless it is generic (x.0.0, as Exim and some gateways always
 * report) and the diagnostic carries a specific code of the same class (Exim: "Status: 5.0.0" + "550 5.7.515 ...").
 */
export function bestStatus(status: string | undefined, diagnostic: string | undefined): string | undefined {
  const fromDiag = statusOf(diagnostic);
  if (status === undefined) return fromDiag;
  if (fromDiag && /^\d\.0\.0$/.test(status) && fromDiag[0] === status[0] && fromDiag !== status) return fromDiag;
  return status;
}

// The fallback layer: phrases of common MTAs for replies without a usable code. Narrow on purpose.
const SENDER_TEXT =
  /\b(?:spf|dkim|dmarc)\b|unauthenticated|not authenticated|authentication (?:required|failed)|block ?list|blacklist|spamhaus|sender reputation|poor reputation/i;
const HARD_TEXT =
  /user unknown|unknown user|unknown recipient|no such (?:user|mailbox|recipient|address|account)|(?:does not|doesn't|did not|not) exist|recipient not found|address not found|couldn't be found|mailbox not found|invalid (?:recipient|mailbox)|no mailbox here|account (?:has been |is )?(?:disabled|deactivated|closed)|unrouteable address/i;
const SOFT_TEXT = /mailbox (?:is )?full|over ?quota|quota exceeded|insufficient (?:storage|disk)|exceeded storage/i;

/** The type a diagnostic text suggests, when the code does not decide. */
export function typeFromText(text: string | null | undefined): BounceType | undefined {
  if (!text) return undefined;
  if (SOFT_TEXT.test(text)) return 'soft';
  if (SENDER_TEXT.test(text)) return 'sender';
  if (HARD_TEXT.test(text)) return 'hard';
  return undefined;
}

/**
 * The bounce type of a failed (or delayed) delivery. `delayed`: the MTA still retries, so never more than soft.
 * Without any code or telling text the answer is 'soft': a recipient is only suppressed at once on clear evidence,
 * and repeated soft bounces suppress it anyway.
 */
export function bounceType(status: string | undefined, diagnostic: string | null | undefined, delayed = false): BounceType {
  if (delayed) return 'soft';
  if (status !== undefined) {
    const [cls, subject] = status.split('.');
    if (cls === '4') return 'soft';
    if (cls === '5') {
      if (subject === '7' || subject === '6' || SENDER.has(status)) return 'sender';
      if (HARD.has(status)) return 'hard';
      if (status === '5.2.2') return 'soft';
      // Generic or protocol-level codes (5.0.0, 5.5.x, 5.3.0...): the code does not say whose problem it is.
      if (subject === '0' || subject === '5' || status.endsWith('.0')) return typeFromText(diagnostic) ?? 'soft';
      if (subject === '1') return 'hard';
      return 'soft';
    }
  }
  return typeFromText(diagnostic) ?? 'soft';
}
