// Reading the protocol facts an SMTP failure is classified by: the reply code, the enhanced status code (RFC 3463)
// and nodemailer's error fields (the shapes are listed at the top of smtp-errors.ts).
import type { SmtpStage } from '../../../shared/domain/mailbox';

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

export interface ErrorFacts {
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

export function facts(err: unknown): ErrorFacts {
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

export function stageFromCommand(command: string | undefined): SmtpStage | undefined {
  if (!command) return undefined;
  if (command.startsWith('AUTH')) return 'auth';
  if (command === 'STARTTLS') return 'tls';
  if (command === 'MAIL FROM' || command === 'RCPT TO' || command === 'DATA' || command === 'RSET' || command === 'BDAT') return 'send';
  if (command === 'EHLO' || command === 'HELO' || command === 'LHLO') return 'connect';
  return undefined;
}
