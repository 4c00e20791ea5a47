// The IMAP counterpart of smtp-errors: turns an imapflow (or Node socket/TLS/DNS) error into a stable Kiln failure.
//
// Classification reads protocol facts only (imapflow 2.10, dist/esm/imap-flow.js and commands/*.js):
//   - `authenticationFailed: true`: the server refused LOGIN/AUTHENTICATE with a tagged NO/BAD (or the
//     AuthenticationFailure class: no password, LOGINDISABLED, no usable mechanism). A connection lost during LOGIN
//     does NOT set it.
//   - `serverResponseCode`: the RFC 5530 code in brackets, upper-cased (AUTHENTICATIONFAILED, UNAVAILABLE,
//     PRIVACYREQUIRED, NONEXISTENT, NOPERM, ...); `responseStatus`: 'NO' | 'BAD' | 'BYE'.
//   - `tlsFailed: true`: STARTTLS was required but failed. Without `code` it was not possible at all (not advertised,
//     refused with NO/BAD, or a PREAUTH greeting); with a Node code the handshake itself failed
//     (DEPTH_ZERO_SELF_SIGNED_CERT, ERR_TLS_CERT_ALTNAME_INVALID, ECONNRESET, ...); UPGRADE_TIMEOUT and
//     STARTTLS_INJECTION are imapflow's own.
//   - `code`: imapflow's ImapFlowErrorCode (NoConnection, EConnectionClosed, ClosedAfterConnectText/TLS,
//     CONNECT_TIMEOUT, GREETING_TIMEOUT, UPGRADE_TIMEOUT, ETIMEOUT (socket inactivity, not DNS here), ETHROTTLE,
//     ParserError*, ...) or Node's own code passed through (ECONNREFUSED, ENOTFOUND, certificate codes).
//   - `mailboxMissing: true`: mailboxOpen() got NO and a LIST confirmed the mailbox does not exist (Dovecot 2.3
//     answers SELECT of a missing mailbox with a bare NO, without [NONEXISTENT]).
//   - `reason`: the server's BYE text, when the connection was closed by one (Node's TLS errors also carry a
//     `reason`, the OpenSSL reason string).
import type { ImapStage } from '../../../../shared/domain/mailbox';
import { classifyNetworkCode, sanitizeText, type FailureKind } from '../smtp-errors';

export const imapFailureCodes = [
  'IMAP_DNS',
  'IMAP_CONNECT',
  'IMAP_TIMEOUT',
  'IMAP_CONNECTION_LOST',
  'IMAP_TLS_UNAVAILABLE',
  'IMAP_TLS_FAILED',
  'IMAP_ENCRYPTION_REQUIRED',
  'IMAP_AUTH_FAILED',
  'IMAP_MAILBOX_NOT_FOUND',
  'IMAP_SELECT_FAILED',
  'IMAP_THROTTLED',
  'IMAP_TRANSIENT',
  'IMAP_PROTOCOL',
  'IMAP_UNKNOWN',
] as const;
export type ImapFailureCode = (typeof imapFailureCodes)[number];

export interface ImapFailure {
  /** Stable Kiln code: one of imapFailureCodes when produced by classifyImapError. */
  code: string;
  stage: ImapStage;
  kind: FailureKind;
  /** Authentication/authorization refused: the mailbox owner's problem. */
  senderProblem: boolean;
  /** The mailbox's settings/credentials are wrong (auth, tls, dns, INBOX missing): further attempts will fail too. */
  mailboxProblem: boolean;
  /** RFC 5530 response code, e.g. 'AUTHENTICATIONFAILED'. */
  serverResponseCode?: string;
  /** Status of the tagged/untagged response that failed: 'NO', 'BAD' or 'BYE'. */
  responseStatus?: string;
  /** Safe for users and logs: credentials are stripped. */
  message: string;
}

export interface ImapErrorContext {
  /** The stage the caller was in; used where the error itself does not tell. */
  stage?: ImapStage;
  /** Strings that must never appear in the message (the password). */
  secrets?: readonly string[];
  /** Strings shown as they are, never cut into (the configured host name). */
  keep?: readonly string[];
}

interface ImapFacts {
  code?: string;
  authenticationFailed: boolean;
  tlsFailed: boolean;
  mailboxMissing: boolean;
  responseStatus?: string;
  serverResponseCode?: string;
  text?: string;
  reason?: string;
  message: string;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function facts(err: unknown): ImapFacts {
  const none = { authenticationFailed: false, tlsFailed: false, mailboxMissing: false };
  if (typeof err === 'string') return { message: err, ...none };
  if (typeof err !== 'object' || err === null) return { message: err === undefined ? '' : String(err), ...none };
  const e = err as Record<string, unknown>;
  const out: ImapFacts = {
    message: str(e.message) ?? '',
    authenticationFailed: e.authenticationFailed === true,
    tlsFailed: e.tlsFailed === true,
    mailboxMissing: e.mailboxMissing === true,
  };
  const code = str(e.code);
  if (code) out.code = code;
  const status = str(e.responseStatus);
  if (status) out.responseStatus = status.toUpperCase();
  const src = str(e.serverResponseCode);
  if (src) out.serverResponseCode = src.toUpperCase().trim();
  // responseText is the server's human text; `response` is the re-compiled response line once imapflow enhanced the
  // error (an object before that).
  const text = str(e.responseText) ?? str(e.response);
  if (text) out.text = text;
  const reason = str(e.reason);
  if (reason) out.reason = reason;
  return out;
}

const HEADLINES: Record<ImapFailureCode, string> = {
  IMAP_DNS: 'The server name could not be resolved',
  IMAP_CONNECT: 'Could not connect to the server',
  IMAP_TIMEOUT: 'The server did not respond in time',
  IMAP_CONNECTION_LOST: 'The connection to the server was lost',
  IMAP_TLS_UNAVAILABLE: 'The server does not offer the required encryption (STARTTLS)',
  IMAP_TLS_FAILED: 'The secure connection (TLS) could not be established',
  IMAP_ENCRYPTION_REQUIRED: 'The server requires an encrypted connection',
  IMAP_AUTH_FAILED: 'Authentication failed',
  IMAP_MAILBOX_NOT_FOUND: 'The mailbox does not exist',
  IMAP_SELECT_FAILED: 'The mailbox could not be opened',
  IMAP_THROTTLED: 'The server is throttling requests',
  IMAP_TRANSIENT: 'Temporary server failure',
  IMAP_PROTOCOL: 'Unexpected response from the server',
  IMAP_UNKNOWN: 'IMAP error',
};

interface Draft {
  code: ImapFailureCode;
  stage: ImapStage;
  kind: FailureKind;
  senderProblem?: boolean;
  mailboxProblem?: boolean;
}

const CONNECTION_GONE = new Set(['NoConnection', 'EConnectionClosed', 'StateLogout']);
const PROTOCOL_CODES = new Set([
  'InvalidResponse',
  'UnexpectedTag',
  'MissingTag',
  'ResponseProcessingFailed',
  'LineTooLarge',
  'LiteralTooLarge',
  'ResponseTooLarge',
  'TooManyTokens',
  'TooManyResponses',
  'MAX_IMAP_NESTING_REACHED',
  'COMPRESS_TRAILING_DATA',
]);
/** RFC 5530 codes that say "try again later". */
const TRANSIENT_RESPONSE_CODES = new Set(['UNAVAILABLE', 'INUSE', 'LIMIT', 'SERVERBUG']);
const AUTH_RESPONSE_CODES = new Set(['AUTHENTICATIONFAILED', 'AUTHORIZATIONFAILED', 'EXPIRED', 'CONTACTADMIN']);

const AUTH_FAILED: Omit<Draft, 'stage'> = { code: 'IMAP_AUTH_FAILED', kind: 'permanent', senderProblem: true, mailboxProblem: true };

function tlsDraft(f: ImapFacts): Draft {
  const code = f.code;
  if (!code) return { code: 'IMAP_TLS_UNAVAILABLE', stage: 'tls', kind: 'permanent', mailboxProblem: true };
  if (code === 'UPGRADE_TIMEOUT') return { code: 'IMAP_TIMEOUT', stage: 'tls', kind: 'transient' };
  if (CONNECTION_GONE.has(code)) return { code: 'IMAP_CONNECTION_LOST', stage: 'tls', kind: 'transient' };
  const net = classifyNetworkCode(code);
  if (net?.cls === 'lost') return { code: 'IMAP_CONNECTION_LOST', stage: 'tls', kind: 'transient' };
  if (net?.cls === 'timeout') return { code: 'IMAP_TIMEOUT', stage: 'tls', kind: 'transient' };
  // certificate and handshake errors, STARTTLS_INJECTION
  return { code: 'IMAP_TLS_FAILED', stage: 'tls', kind: 'permanent', mailboxProblem: true };
}

function draft(f: ImapFacts, ctx: ImapErrorContext): Draft {
  const sc = f.serverResponseCode;
  const code = f.code;

  if (f.authenticationFailed) {
    if (sc && TRANSIENT_RESPONSE_CODES.has(sc)) return { code: 'IMAP_TRANSIENT', stage: 'auth', kind: 'transient' };
    if (sc === 'PRIVACYREQUIRED') {
      return { code: 'IMAP_ENCRYPTION_REQUIRED', stage: 'auth', kind: 'permanent', senderProblem: true, mailboxProblem: true };
    }
    return { ...AUTH_FAILED, stage: 'auth' };
  }
  if (f.tlsFailed) return tlsDraft(f);

  if (code) {
    switch (code) {
      case 'CONNECT_TIMEOUT':
      case 'GREETING_TIMEOUT':
        return { code: 'IMAP_TIMEOUT', stage: 'connect', kind: 'transient' };
      case 'UPGRADE_TIMEOUT':
        return { code: 'IMAP_TIMEOUT', stage: 'tls', kind: 'transient' };
      case 'ETIMEOUT': // imapflow's socket inactivity timeout
        return { code: 'IMAP_TIMEOUT', stage: ctx.stage ?? 'select', kind: 'transient' };
      case 'ClosedAfterConnectText':
      case 'ClosedAfterConnectTLS':
        return { code: 'IMAP_CONNECTION_LOST', stage: ctx.stage ?? 'connect', kind: 'transient' };
      case 'ETHROTTLE':
        return { code: 'IMAP_THROTTLED', stage: ctx.stage ?? 'select', kind: 'transient' };
      case 'STARTTLS_INJECTION':
        return tlsDraft(f);
      case 'ProxyError':
      case 'EPROXY':
        return { code: 'IMAP_CONNECT', stage: 'connect', kind: 'transient' };
    }
    if (CONNECTION_GONE.has(code)) return { code: 'IMAP_CONNECTION_LOST', stage: ctx.stage ?? 'select', kind: 'transient' };
    if (PROTOCOL_CODES.has(code) || code.startsWith('ParserError')) {
      return { code: 'IMAP_PROTOCOL', stage: ctx.stage ?? 'select', kind: 'transient' };
    }
    const net = classifyNetworkCode(code);
    if (net) {
      switch (net.cls) {
        case 'dns':
          return { code: 'IMAP_DNS', stage: 'dns', kind: net.kind, mailboxProblem: net.kind === 'permanent' };
        case 'certificate':
        case 'tls':
          return code === 'ERR_TLS_HANDSHAKE_TIMEOUT'
            ? { code: 'IMAP_TIMEOUT', stage: 'tls', kind: 'transient' }
            : { code: 'IMAP_TLS_FAILED', stage: 'tls', kind: 'permanent', mailboxProblem: true };
        case 'timeout':
          return { code: 'IMAP_TIMEOUT', stage: ctx.stage ?? 'connect', kind: 'transient' };
        case 'connect':
          return { code: 'IMAP_CONNECT', stage: 'connect', kind: 'transient' };
        case 'lost':
          return { code: 'IMAP_CONNECTION_LOST', stage: ctx.stage ?? 'select', kind: 'transient' };
      }
    }
  }

  if (f.responseStatus === 'BYE') return { code: 'IMAP_CONNECTION_LOST', stage: ctx.stage ?? 'select', kind: 'transient' };
  if (f.responseStatus === 'NO' || f.responseStatus === 'BAD') {
    const stage = ctx.stage ?? 'select';
    if (sc && AUTH_RESPONSE_CODES.has(sc)) return { ...AUTH_FAILED, stage: 'auth' };
    if (sc === 'PRIVACYREQUIRED') {
      return { code: 'IMAP_ENCRYPTION_REQUIRED', stage, kind: 'permanent', senderProblem: true, mailboxProblem: true };
    }
    if (sc && TRANSIENT_RESPONSE_CODES.has(sc)) return { code: 'IMAP_TRANSIENT', stage, kind: 'transient' };
    if (sc === 'NONEXISTENT' || f.mailboxMissing) return { code: 'IMAP_MAILBOX_NOT_FOUND', stage, kind: 'permanent', mailboxProblem: true };
    if (f.responseStatus === 'BAD') return { code: 'IMAP_PROTOCOL', stage, kind: 'permanent' };
    if (stage === 'select') return { code: 'IMAP_SELECT_FAILED', stage, kind: 'permanent', mailboxProblem: true };
    return { code: 'IMAP_PROTOCOL', stage, kind: 'permanent' };
  }
  return { code: 'IMAP_UNKNOWN', stage: ctx.stage ?? 'connect', kind: 'transient' };
}

/**
 * Classifies an IMAP failure (an imapflow error, a Node error, anything). `ctx.stage` is the stage the caller was
 * in, used only where the error does not say; `ctx.secrets` are scrubbed from the message.
 */
export function classifyImapError(err: unknown, ctx: ImapErrorContext = {}): ImapFailure {
  const f = facts(err);
  const d = draft(f, ctx);
  const secrets = ctx.secrets ?? [];
  const parts: string[] = [];
  for (const p of [f.message, f.text, f.reason]) if (p && !parts.some((q) => q.includes(p))) parts.push(p);
  const detail = sanitizeText(parts.join(' — '), secrets, ctx.keep);
  const headline = HEADLINES[d.code];
  const out: ImapFailure = {
    code: d.code,
    stage: d.stage,
    kind: d.kind,
    senderProblem: d.senderProblem ?? false,
    mailboxProblem: d.mailboxProblem ?? false,
    message: detail && detail !== headline ? `${headline}: ${detail}` : headline,
  };
  if (f.serverResponseCode) out.serverResponseCode = f.serverResponseCode;
  if (f.responseStatus) out.responseStatus = f.responseStatus;
  return out;
}
