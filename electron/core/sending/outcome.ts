import type { SendError } from '../../../shared/domain/message';
import { isKilnError } from '../../../shared/errors';
import { classifySmtpError, type SmtpFailure } from '../mail/smtp-errors';
import type { RecipientRow } from '../db/schema';
import type { RecipientOutcome } from './queue-store';

// Turns what nodemailer reported into per-recipient outcomes and a message-level decision.

export interface SentInfo {
  accepted?: (string | { address: string })[];
  rejected?: (string | { address: string })[];
  rejectedErrors?: unknown[];
  response?: string;
}

const addr = (a: string | { address: string }) => (typeof a === 'string' ? a : a.address).toLowerCase();

export function failureOf(err: unknown): SmtpFailure {
  if (isKilnError(err)) {
    // Raised before any SMTP traffic, e.g. the password is missing from the secret store.
    return { code: err.code, stage: 'auth', kind: 'permanent', senderProblem: false, mailboxProblem: true, message: err.message };
  }
  if (err instanceof Error && err.message === 'Connection pool was closed') {
    // The mailbox's transport was replaced (settings changed) while this message waited in it.
    return { code: 'SMTP_POOL_CLOSED', stage: 'send', kind: 'transient', senderProblem: false, mailboxProblem: false, message: 'The connection pool was closed before this message went out' };
  }
  return classifySmtpError(err);
}

export function toSendError(f: SmtpFailure): SendError {
  const e: SendError = { code: f.code, stage: f.stage, kind: f.kind, message: f.message };
  if (f.responseCode !== undefined) e.responseCode = f.responseCode;
  if (f.enhancedStatus !== undefined) e.enhancedStatus = f.enhancedStatus;
  if (f.senderProblem) e.senderProblem = true;
  return e;
}

/** Per-recipient results: accepted ones, and rejected ones with the RCPT reply that refused them. */
export function recipientOutcomes(pending: RecipientRow[], info: SentInfo): { outcomes: RecipientOutcome[]; rejected: { row: RecipientRow; failure: SmtpFailure }[] } {
  const accepted = new Set((info.accepted ?? []).map(addr));
  const errors = new Map<string, SmtpFailure>();
  for (const e of info.rejectedErrors ?? []) {
    const recipient = (e as { recipient?: string }).recipient;
    if (recipient) errors.set(recipient.toLowerCase(), classifySmtpError(e));
  }
  const outcomes: RecipientOutcome[] = [];
  const rejected: { row: RecipientRow; failure: SmtpFailure }[] = [];
  for (const row of pending) {
    if (accepted.has(row.address)) {
      outcomes.push({ kind: row.kind, address: row.address, status: 'accepted', responseCode: 250, enhancedStatus: null, response: info.response ?? null });
      continue;
    }
    const failure = errors.get(row.address) ?? classifySmtpError(Object.assign(new Error('recipient rejected'), { code: 'EENVELOPE' }));
    rejected.push({ row, failure });
    outcomes.push({
      kind: row.kind,
      address: row.address,
      status: 'rejected',
      responseCode: failure.responseCode ?? null,
      enhancedStatus: failure.enhancedStatus ?? null,
      response: failure.message,
    });
  }
  return { outcomes, rejected };
}
