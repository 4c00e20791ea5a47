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
import type { SmtpStage } from '../../../shared/domain/mailbox';

export const smtpFailureCodes = [
  'SMTP_DNS',
  'SMTP_CONNECT',
  'SMTP_TIMEOUT',
  'SMTP_CONNECTION_LOST',
  'SMTP_TLS_UNAVAILABLE',
  'SMTP_TLS_FAILED',
  'SMTP_ENCRYPTION_REQUIRED',
  'SMTP_AUTH_FAILED',
  'SMTP_AUTH_UNAVAILABLE',
  'SMTP_SENDER_REJECTED',
  'SMTP_RECIPIENT_UNKNOWN',
  'SMTP_MAILBOX_FULL',
  'SMTP_POLICY',
  'SMTP_MESSAGE_REJECTED',
  'SMTP_INVALID_ENVELOPE',
  'SMTP_TRANSIENT',
  'SMTP_PERMANENT',
  'SMTP_PROTOCOL',
  'SMTP_ABORTED',
  'SMTP_UNKNOWN',
] as const;
export type SmtpFailureCode = (typeof smtpFailureCodes)[number];

export type FailureKind = 'transient' | 'permanent';

export interface SmtpFailure {
  /** Stable Kiln code: one of smtpFailureCodes when produced by classifySmtpError. */
  code: string;
  stage: SmtpStage;
  /** transient: retry later; permanent: the same attempt will fail again. */
  kind: FailureKind;
  /** 5.7.x policy or authentication: the sender's problem, never the recipient's. */
  senderProblem: boolean;
  /** The mailbox's settings/credentials are wrong (auth, tls, dns, sender refused): further sends will fail too. */
  mailboxProblem: boolean;
  /** Set for mailbox-full (x.2.2): reported permanent by 5.2.2 but often clears up; do not treat as a hard bounce. */
  soft?: boolean;
  /** SMTP reply code, e.g. 550. */
  responseCode?: number;
  /** Enhanced status code (RFC 3463), e.g. '5.1.1'. */
  enhancedStatus?: string;
  /** Safe for users and logs: credentials (AUTH echoes, base64 blobs, the given secrets) are stripped. */
  message: string;
}

export interface RecipientFailure extends SmtpFailure {
  recipient: string;
}

export interface SmtpErrorContext {
  /** The stage the caller was in when the error happened; used where the error itself does not tell. */
  stage?: SmtpStage;
  /** Strings that must never appear in the message (the password): removed as-is and in base64 forms. */
  secrets?: readonly string[];
}

// ---------------------------------------------------------------------------------------------------------------
// parsing

/**
 * The enhanced status code (RFC 3463 `class.subject.detail`) of an SMTP reply, e.g. '5.1.1' from
 * "550 5.1.1 <bob@x>: Recipient address rejected" or "550-5.1.1 The email account...". Falls back to a stand-alone
 * code anywhere in the text ("(#5.1.1)"). undefined when there is none.
 */
export function parseEnhancedStatus(text: unknown): string | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  const afterCode = /(?:^|\n)\s*\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})(?!\d|\.\d)/.exec(text);
  if (afterCode) return afterCode[1];
  const anywhere = /(?:^|[\s(#[])([245]\.\d{1,3}\.\d{1,3})(?!\d|\.\d)/.exec(text);
  return anywhere?.[1];
}

/** The three-digit reply code a reply starts with, e.g. 550; undefined when the text is not an SMTP reply. */
export function parseReplyCode(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^\s*([2-5]\d{2})(?:[ -]|$)/.exec(text);
  return m ? Number(m[1]) : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// sanitizing

const MAX_MESSAGE_LENGTH = 400;
/** SASL mechanisms whose initial response (credentials) may follow "AUTH <mechanism>" in an echoed command. */
const SASL_MECHANISMS = 'PLAIN|LOGIN|CRAM-MD5|DIGEST-MD5|XOAUTH2|OAUTHBEARER|SCRAM-SHA-\\d+(?:-PLUS)?|NTLM|GSSAPI|EXTERNAL|ANONYMOUS';

function base64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}

function looksLikeCredentials(token: string, secrets: readonly string[]): boolean {
  if (token.length % 4 !== 0) return false;
  let decoded: string;
  try {
    decoded = Buffer.from(token, 'base64').toString('utf8');
  } catch {
    return false;
  }
  if (decoded.includes('\0')) return true; // SASL PLAIN: authzid \0 user \0 password
  if (secrets.some((s) => s !== '' && decoded.includes(s))) return true;
  // A random-looking blob (both cases and a digit, or padding) is treated as encoded credentials.
  return token.endsWith('=') || (/[a-z]/.test(token) && /[A-Z]/.test(token) && /\d/.test(token));
}

/**
 * Makes server text or an error message safe to show and log: removes the given secrets (verbatim and base64),
 * the argument of echoed AUTH commands, base64 blobs that may be credentials, control characters; collapses
 * whitespace and truncates.
 */
export function sanitizeText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of [secret, base64(secret)]) out = out.split(form).join('[redacted]');
  }
  out = out.replace(new RegExp(`\\b(AUTH\\s+(?:${SASL_MECHANISMS}))\\s+(?!\\[redacted\\])\\S+`, 'gi'), '$1 [redacted]');
  out = out.replace(/(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{8,}={0,2}(?![A-Za-z0-9+/=])/g, (token) =>
    looksLikeCredentials(token, secrets) ? '[redacted]' : token,
  );
  // eslint-disable-next-line no-control-regex
  out = out.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return out.length > MAX_MESSAGE_LENGTH ? `${out.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : out;
}

// ---------------------------------------------------------------------------------------------------------------
// Node error codes (shared with imap-errors)

const DNS_PERMANENT_CODES = new Set(['ENOTFOUND', 'ENODATA', 'EAI_NONAME', 'EAI_NODATA', 'ENONAME', 'EBADNAME', 'EBADFAMILY']);
const DNS_TRANSIENT_CODES = new Set([
  'EAI_AGAIN',
  'EAI_FAIL',
  'ETIMEOUT', // c-ares / dns.TIMEOUT (a socket timeout is ETIMEDOUT)
  'ESERVFAIL',
  'EREFUSED',
  'EBADRESP',
  'EFORMERR',
  'ECONNREFUSED',
  'ECANCELLED',
  'EDESTRUCTION',
  'ENOTIMP',
]);
const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL', 'EADDRINUSE', 'EACCES', 'EPERM']);
const CONNECTION_LOST_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ERR_STREAM_DESTROYED',
  'ERR_STREAM_WRITE_AFTER_END',
  'ERR_SOCKET_CLOSED',
  'ERR_STREAM_PREMATURE_CLOSE',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ERR_TLS_HANDSHAKE_TIMEOUT']);
/** OpenSSL verification results as Node reports them in err.code, plus Node's own hostname check. */
const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CRL_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CRL_NOT_YET_VALID',
  'CRL_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'ERROR_IN_CRL_LAST_UPDATE_FIELD',
  'ERROR_IN_CRL_NEXT_UPDATE_FIELD',
  'OUT_OF_MEM',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export type NetworkCodeClass =
  | { cls: 'dns'; kind: FailureKind }
  | { cls: 'connect' }
  | { cls: 'lost' }
  | { cls: 'timeout' }
  | { cls: 'certificate' }
  | { cls: 'tls' };

/** What a Node socket/TLS/DNS error code means; undefined for codes that are none of these. */
export function classifyNetworkCode(code: string | undefined, opts: { dns?: boolean } = {}): NetworkCodeClass | undefined {
  if (!code) return undefined;
  if (DNS_PERMANENT_CODES.has(code)) return { cls: 'dns', kind: 'permanent' };
  // ECONNREFUSED and friends are DNS failures only when they come from the resolver.
  if (opts.dns && DNS_TRANSIENT_CODES.has(code)) return { cls: 'dns', kind: 'transient' };
  if (code.startsWith('EAI_') || code === 'ETIMEOUT' || code === 'ESERVFAIL' || code === 'EREFUSED') {
    return { cls: 'dns', kind: 'transient' };
  }
  if (CERTIFICATE_CODES.has(code)) return { cls: 'certificate' };
  if (TIMEOUT_CODES.has(code)) return { cls: 'timeout' };
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO') return { cls: 'tls' };
  if (CONNECT_CODES.has(code)) return { cls: 'connect' };
  if (CONNECTION_LOST_CODES.has(code)) return { cls: 'lost' };
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// classification

interface ErrorFacts {
  code?: string;
  originalCode?: string;
  command?: string;
  response?: string;
  responseCode?: number;
  enhancedStatus?: string;
  timeoutType?: string;
  recipient?: string;
  message: string;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function facts(err: unknown): ErrorFacts {
  if (typeof err === 'string') return { message: err };
  if (typeof err !== 'object' || err === null) return { message: err === undefined ? '' : String(err) };
  const e = err as Record<string, unknown>;
  const response = str(e.response);
  const rc = typeof e.responseCode === 'number' && Number.isInteger(e.responseCode) ? e.responseCode : parseReplyCode(response);
  const enhanced = parseEnhancedStatus(response) ?? (typeof e.enhancedStatus === 'string' ? parseEnhancedStatus(`000 ${e.enhancedStatus}`) : undefined);
  const out: ErrorFacts = { message: str(e.message) ?? '' };
  const code = str(e.code);
  if (code) out.code = code;
  const originalCode = str(e.originalCode);
  if (originalCode) out.originalCode = originalCode;
  const command = str(e.command);
  if (command) out.command = command.toUpperCase();
  if (response) out.response = response;
  if (rc !== undefined) out.responseCode = rc;
  if (enhanced) out.enhancedStatus = enhanced;
  const timeoutType = str(e.timeoutType);
  if (timeoutType) out.timeoutType = timeoutType;
  const recipient = str(e.recipient);
  if (recipient) out.recipient = recipient;
  return out;
}

function stageFromCommand(command: string | undefined): SmtpStage | undefined {
  if (!command) return undefined;
  if (command.startsWith('AUTH')) return 'auth';
  if (command === 'STARTTLS') return 'tls';
  if (command === 'MAIL FROM' || command === 'RCPT TO' || command === 'DATA' || command === 'RSET' || command === 'BDAT') return 'send';
  if (command === 'EHLO' || command === 'HELO' || command === 'LHLO') return 'connect';
  return undefined;
}

const RECIPIENT_UNKNOWN_STATUSES = new Set(['5.1.1', '5.1.10', '5.1.2', '5.1.3']);

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

interface Draft {
  code: SmtpFailureCode;
  stage: SmtpStage;
  kind: FailureKind;
  senderProblem?: boolean;
  mailboxProblem?: boolean;
  soft?: boolean;
}

function finish(d: Draft, f: ErrorFacts, ctx: SmtpErrorContext): SmtpFailure {
  const secrets = ctx.secrets ?? [];
  const detail = sanitizeText(f.message || f.response || '', secrets);
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

/** A failure with a server reply (responseCode >= 400). */
function fromReply(f: ErrorFacts, rc: number, ctx: SmtpErrorContext): Draft {
  const enh = f.enhancedStatus;
  const transient = rc < 500 || rc === 503; // 503 = bad sequence of commands: the session's state, not the message
  const kind: FailureKind = transient ? 'transient' : 'permanent';
  const policy = rc >= 500 && enh?.startsWith('5.7.') === true;
  let stage: SmtpStage =
    f.code === 'EAUTH' ? 'auth' : f.code === 'ETLS' ? 'tls' : (stageFromCommand(f.command) ?? ctx.stage ?? (f.command === 'CONN' ? 'connect' : 'send'));
  // 530 "authentication required", 534 "mechanism too weak / web login required", 535 "credentials invalid".
  if (rc === 530 || rc === 534 || rc === 535) stage = 'auth';

  if (rc === 421) return { code: 'SMTP_TRANSIENT', stage, kind: 'transient' }; // service closing the channel

  if (stage === 'auth') {
    if (rc === 538 || enh === '5.7.11') {
      return { code: 'SMTP_ENCRYPTION_REQUIRED', stage, kind: 'permanent', senderProblem: true, mailboxProblem: true };
    }
    if (transient) return { code: 'SMTP_TRANSIENT', stage, kind }; // 454 4.7.0 temporary authentication failure
    return { code: 'SMTP_AUTH_FAILED', stage, kind: 'permanent', senderProblem: true, mailboxProblem: true };
  }

  if (stage === 'tls' && f.command === 'STARTTLS') {
    // 454 4.7.0 "TLS not available due to temporary reason" vs. 5xx: the server does not do STARTTLS.
    return transient
      ? { code: 'SMTP_TLS_UNAVAILABLE', stage, kind }
      : { code: 'SMTP_TLS_UNAVAILABLE', stage, kind: 'permanent', mailboxProblem: true };
  }

  if (policy) {
    return { code: 'SMTP_POLICY', stage, kind: 'permanent', senderProblem: true, mailboxProblem: f.command === 'MAIL FROM' };
  }
  if (enh === '5.2.2' || enh === '4.2.2') return { code: 'SMTP_MAILBOX_FULL', stage, kind, soft: true };
  if (transient) return { code: rc === 503 ? 'SMTP_PROTOCOL' : 'SMTP_TRANSIENT', stage, kind };
  if (f.command === 'MAIL FROM') {
    return { code: 'SMTP_SENDER_REJECTED', stage, kind: 'permanent', senderProblem: true, mailboxProblem: true };
  }
  if (enh && RECIPIENT_UNKNOWN_STATUSES.has(enh)) return { code: 'SMTP_RECIPIENT_UNKNOWN', stage, kind: 'permanent' };
  if (f.code === 'EMESSAGE' || f.command === 'DATA') return { code: 'SMTP_MESSAGE_REJECTED', stage, kind: 'permanent' };
  return { code: 'SMTP_PERMANENT', stage, kind: 'permanent' };
}

const TIMEOUT_STAGES: Record<string, SmtpStage> = {
  CONNECT_TIMEOUT: 'connect',
  GREETING_TIMEOUT: 'connect',
  UPGRADE_TIMEOUT: 'tls',
};

/** A failure without a server reply: library codes and Node socket/TLS/DNS codes. */
function fromCodes(f: ErrorFacts, ctx: SmtpErrorContext): Draft {
  const code = f.code;
  const low = f.originalCode ?? code;
  const inSession = ctx.stage ?? 'send';

  if (code === 'EDNS') {
    const net = classifyNetworkCode(f.originalCode, { dns: true });
    const kind = net?.cls === 'dns' ? net.kind : 'transient';
    return { code: 'SMTP_DNS', stage: 'dns', kind, mailboxProblem: kind === 'permanent' };
  }
  if (code === 'ETIMEDOUT' && f.timeoutType) {
    return { code: 'SMTP_TIMEOUT', stage: TIMEOUT_STAGES[f.timeoutType] ?? inSession, kind: 'transient' };
  }
  const net = classifyNetworkCode(low);
  if (net) {
    switch (net.cls) {
      case 'dns':
        return { code: 'SMTP_DNS', stage: 'dns', kind: net.kind, mailboxProblem: net.kind === 'permanent' };
      case 'certificate':
        return { code: 'SMTP_TLS_FAILED', stage: 'tls', kind: 'permanent', mailboxProblem: true };
      case 'tls':
        return low === 'ERR_TLS_HANDSHAKE_TIMEOUT'
          ? { code: 'SMTP_TIMEOUT', stage: 'tls', kind: 'transient' }
          : { code: 'SMTP_TLS_FAILED', stage: 'tls', kind: 'permanent', mailboxProblem: true };
      case 'timeout':
        return { code: 'SMTP_TIMEOUT', stage: ctx.stage ?? 'connect', kind: 'transient' };
      case 'connect':
        return { code: 'SMTP_CONNECT', stage: 'connect', kind: 'transient' };
      case 'lost':
        return { code: 'SMTP_CONNECTION_LOST', stage: code === 'ETLS' ? 'tls' : inSession, kind: 'transient' };
    }
  }
  switch (code) {
    case 'ETLS':
      return { code: 'SMTP_TLS_FAILED', stage: 'tls', kind: 'permanent', mailboxProblem: true };
    case 'ETIMEDOUT':
      return { code: 'SMTP_TIMEOUT', stage: ctx.stage ?? 'connect', kind: 'transient' };
    case 'ECONNECTION':
    case 'ESOCKET':
      return { code: 'SMTP_CONNECTION_LOST', stage: inSession, kind: 'transient' };
    case 'EAUTH':
    case 'ENOAUTH':
    case 'EOAUTH2':
      return { code: 'SMTP_AUTH_FAILED', stage: 'auth', kind: 'permanent', senderProblem: true, mailboxProblem: true };
    case 'EENVELOPE':
    case 'EMAXRECIPIENTS':
      return { code: 'SMTP_INVALID_ENVELOPE', stage: 'send', kind: 'permanent' };
    case 'EMESSAGE':
      return { code: 'SMTP_MESSAGE_REJECTED', stage: 'send', kind: 'permanent' };
    case 'EREQUIRETLS':
      return { code: 'SMTP_PERMANENT', stage: 'send', kind: 'permanent' };
    case 'EPROTOCOL':
      return { code: 'SMTP_PROTOCOL', stage: stageFromCommand(f.command) ?? ctx.stage ?? 'connect', kind: 'transient' };
    case 'EMAXLIMIT':
      return { code: 'SMTP_TRANSIENT', stage: inSession, kind: 'transient' };
    case 'EABORT':
      return { code: 'SMTP_ABORTED', stage: inSession, kind: 'transient' };
    default:
      return { code: 'SMTP_UNKNOWN', stage: stageFromCommand(f.command) ?? inSession, kind: 'transient' };
  }
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

function replyless(f: ErrorFacts, ctx: SmtpErrorContext): Draft {
  // A 2xx/3xx reply where something else was expected (nodemailer EPROTOCOL / EAUTH "Invalid login sequence").
  if (f.responseCode !== undefined && f.code !== 'EAUTH') {
    return { code: 'SMTP_PROTOCOL', stage: stageFromCommand(f.command) ?? ctx.stage ?? 'connect', kind: 'transient' };
  }
  return fromCodes(f, ctx);
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
