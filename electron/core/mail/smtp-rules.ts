// The decision tables of classifySmtpError: which Kiln failure (code, stage, kind, whose problem) a set of error facts
// is, with a server reply (fromReply) or without one (replyless).
import type { SmtpStage } from '../../../shared/domain/mailbox';
import { classifyNetworkCode } from './network-codes';
import type { FailureKind, SmtpErrorContext, SmtpFailureCode } from './smtp-failure';
import { stageFromCommand, type ErrorFacts } from './smtp-facts';

export interface Draft {
  code: SmtpFailureCode;
  stage: SmtpStage;
  kind: FailureKind;
  senderProblem?: boolean;
  mailboxProblem?: boolean;
  soft?: boolean;
}

const RECIPIENT_UNKNOWN_STATUSES = new Set(['5.1.1', '5.1.10', '5.1.2', '5.1.3']);

/** A failure with a server reply (responseCode >= 400). */
export function fromReply(f: ErrorFacts, rc: number, ctx: SmtpErrorContext): Draft {
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

export function replyless(f: ErrorFacts, ctx: SmtpErrorContext): Draft {
  // A 2xx/3xx reply where something else was expected (nodemailer EPROTOCOL / EAUTH "Invalid login sequence").
  if (f.responseCode !== undefined && f.code !== 'EAUTH') {
    return { code: 'SMTP_PROTOCOL', stage: stageFromCommand(f.command) ?? ctx.stage ?? 'connect', kind: 'transient' };
  }
  return fromCodes(f, ctx);
}
