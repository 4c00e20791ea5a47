// Turns whatever an SMTP attempt failed with (a nodemailer error, a Node socket/TLS/DNS error, or a reply Kiln read
// itself) into a stable Kiln failure: a code, the stage it belongs to, whether to retry, and whose problem it is.
//
// Classification reads protocol facts only: the reply code (`responseCode`, or the first three digits of `response`),
// the enhanced status code (RFC 3463, e.g. 5.1.1) parsed from the reply, nodemailer's `code` / `originalCode` /
// `command` / `timeoutType`, and Node's error codes. Message text is never used to decide anything; it is only
// carried (sanitized) into the human message.
//
// Shapes this relies on (nodemailer 10.6, dist/esm/smtp-connection/index.js):
//   - every error goes through `_formatError(message, code, response, command)`: `code` is nodemailer's (ECONNECTION,
//     ETIMEDOUT, ESOCKET, EDNS, ETLS, EPROTOCOL, EENVELOPE, EMESSAGE, EAUTH, ...), a Node code it replaced is kept in
//     `originalCode` (ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT, ENOTFOUND, ...), `response` is the raw reply
//     (multi-line replies joined with "\n"), `responseCode` its first digits, `command` what was in flight
//     ('CONN', 'EHLO', 'HELO', 'STARTTLS', 'AUTH PLAIN', 'AUTH LOGIN', 'MAIL FROM', 'RCPT TO', 'DATA', 'RSET', 'API').
//   - ETIMEDOUT errors carry `timeoutType`: CONNECT_TIMEOUT, GREETING_TIMEOUT, UPGRADE_TIMEOUT or SOCKET_TIMEOUT.
//   - a certificate failure (implicit TLS or during STARTTLS) arrives as ESOCKET with the certificate code in
//     `originalCode`; "Error initiating TLS" (ETLS, no reply) has lost the underlying code.
//   - with requireTLS nodemailer sends STARTTLS even when the server did not advertise it, so "TLS required but not
//     offered" is an ETLS error with command 'STARTTLS' and the server's refusal (5xx) as its reply.
//   - per-recipient refusals are EENVELOPE errors with `recipient` set, listed in `info.rejectedErrors` (or in the
//     `rejectedErrors` of the "all recipients were rejected" error).
import { sanitizeText } from './sanitize';
import { facts, type ErrorFacts } from './smtp-facts';
import { fromReply, replyless, type Draft } from './smtp-rules';

// Parsers and helpers that live in their own modules but are part of this module's public surface.
export { classifyNetworkCode, type NetworkCodeClass } from './network-codes';
export { parseEnhancedStatus, parseReplyCode } from './smtp-facts';
export { sanitizeText };
export { smtpFailureCodes, type FailureKind, type RecipientFailure, type SmtpErrorContext, type SmtpFailure, type SmtpFailureCode } from './smtp-failure';
import type { RecipientFailure, SmtpErrorContext, SmtpFailure, SmtpFailureCode } from './smtp-failure';

// ---------------------------------------------------------------------------------------------------------------
// classification

const HEADLINES: Record<SmtpFailureCode, string> = {
  SMTP_DNS: 'The server name could not be resolved',
  SMTP_CONNECT: 'Could not connect to the server',
  SMTP_TIMEOUT: 'The server did not respond in time',
  SMTP_CONNECTION_LOST: 'The connection to the server was lost',
  SMTP_TLS_UNAVAILABLE: 'The server does not offer the required encryption (STARTTLS)',
  SMTP_TLS_FAILED: 'The secure connection (TLS) could not be established',
  SMTP_ENCRYPTION_REQUIRED: 'The server requires an encrypted connection',
  SMTP_AUTH_FAILED: 'Authentication failed',
  SMTP_AUTH_UNAVAILABLE: 'The server does not offer authentication',
  SMTP_SENDER_REJECTED: 'The server refused the sender address',
  SMTP_RECIPIENT_UNKNOWN: 'The recipient address does not exist',
  SMTP_MAILBOX_FULL: "The recipient's mailbox is full",
  SMTP_POLICY: 'Rejected by server policy',
  SMTP_MESSAGE_REJECTED: 'The server rejected the message',
  SMTP_INVALID_ENVELOPE: 'Invalid sender or recipient address',
  SMTP_TRANSIENT: 'Temporary server failure',
  SMTP_PERMANENT: 'The server rejected the request',
  SMTP_PROTOCOL: 'Unexpected reply from the server',
  SMTP_ABORTED: 'Sending was aborted',
  SMTP_UNKNOWN: 'SMTP error',
};

function finish(d: Draft, f: ErrorFacts, ctx: SmtpErrorContext): SmtpFailure {
  const secrets = ctx.secrets ?? [];
  const detail = sanitizeText(f.message || f.response || '', secrets, ctx.keep);
  const headline = HEADLINES[d.code];
  const out: SmtpFailure = {
    code: d.code,
    stage: d.stage,
    kind: d.kind,
    senderProblem: d.senderProblem ?? false,
    mailboxProblem: d.mailboxProblem ?? false,
    message: detail && detail !== headline ? `${headline}: ${detail}` : headline,
  };
  if (d.soft) out.soft = true;
  if (f.responseCode !== undefined) out.responseCode = f.responseCode;
  if (f.enhancedStatus !== undefined) out.enhancedStatus = f.enhancedStatus;
  return out;
}

/**
 * Classifies an SMTP failure. `err` is anything: a nodemailer error, a Node error, a plain object with
 * `responseCode`/`response`, a string. `ctx.stage` names the stage the caller was in (used only where the error does
 * not say; e.g. a dropped connection); `ctx.secrets` are scrubbed from the message.
 */
export function classifySmtpError(err: unknown, ctx: SmtpErrorContext = {}): SmtpFailure {
  const f = facts(err);
  const rc = f.responseCode;
  const draft = rc !== undefined && rc >= 400 && rc < 600 ? fromReply(f, rc, ctx) : replyless(f, ctx);
  return finish(draft, f, ctx);
}

// ---------------------------------------------------------------------------------------------------------------
// per recipient

/** Classifies one entry of nodemailer's `rejectedErrors` (an EENVELOPE error with `recipient`). */
export function classifyRecipientError(err: unknown, ctx: SmtpErrorContext = {}): RecipientFailure {
  const failure = classifySmtpError(err, { stage: 'send', ...ctx });
  return { ...failure, recipient: facts(err).recipient ?? '' };
}

/**
 * Per-recipient failures of a send: takes nodemailer's `info` (partial success) or the "all recipients were
 * rejected" error; both carry `rejected` and `rejectedErrors`. Rejected addresses without an error object get a
 * generic SMTP_PERMANENT entry.
 */
export function classifyRejectedRecipients(
  source: { rejected?: readonly string[] | undefined; rejectedErrors?: readonly unknown[] | undefined } | null | undefined,
  ctx: SmtpErrorContext = {},
): RecipientFailure[] {
  if (!source) return [];
  const out = (source.rejectedErrors ?? []).map((e) => classifyRecipientError(e, ctx));
  const seen = new Set(out.map((r) => r.recipient.toLowerCase()));
  for (const recipient of source.rejected ?? []) {
    if (seen.has(recipient.toLowerCase())) continue;
    out.push({
      code: 'SMTP_PERMANENT',
      stage: 'send',
      kind: 'permanent',
      senderProblem: false,
      mailboxProblem: false,
      message: HEADLINES.SMTP_PERMANENT,
      recipient,
    });
  }
  return out;
}

/** True when the failure says something about the recipient address itself (unknown, full): never for 5.7.x. */
export function blamesRecipient(f: SmtpFailure): boolean {
  return !f.senderProblem && (f.code === 'SMTP_RECIPIENT_UNKNOWN' || f.code === 'SMTP_MAILBOX_FULL');
}
