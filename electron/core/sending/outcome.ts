import type { SendError } from '../../../shared/domain/message';
import { isKilnError, type KilnError } from '../../../shared/errors';
import { classifySmtpError, type SmtpFailure } from '../mail/smtp-errors';
import type { MessageRow, RecipientRow } from '../db/schema';
import type { Outcome, QueueEvent, RecipientOutcome } from './queue-store';

// Turns what nodemailer reported into per-recipient outcomes and a message-level decision.

export interface SentInfo {
  accepted?: (string | { address: string })[];
  rejected?: (string | { address: string })[];
  rejectedErrors?: unknown[];
  response?: string;
}

const addr = (a: string | { address: string }) => (typeof a === 'string' ? a : a.address).toLowerCase();

/** A token refresh that failed, raised before the pool connects or inside SMTP AUTH (transports.ts wraps it). */
function oauthFailureOf(err: unknown): KilnError | null {
  const isOAuth = (e: unknown): e is KilnError => isKilnError(e) && (e.code === 'OAUTH_REVOKED' || e.code === 'OAUTH_REFRESH_FAILED');
  if (isOAuth(err)) return err;
  return err instanceof Error && isOAuth(err.cause) ? err.cause : null;
}

export function failureOf(e: unknown): SmtpFailure {
  const err = oauthFailureOf(e) ?? e;
  if (isKilnError(err) && (err.code === 'OAUTH_REVOKED' || err.code === 'OAUTH_REFRESH_FAILED')) {
    // No token to sign in with: the message waits (a revoked grant already stopped the mailbox,
    // oauth/credentials.ts; a token endpoint in trouble is retried with backoff). Nothing is sent unauthenticated.
    return { code: err.code, stage: 'auth', kind: 'transient', senderProblem: false, mailboxProblem: false, message: err.message };
  }
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
export function recipientOutcomes(pending: RecipientRow[], info: SentInfo): { outcomes: RecipientOutcome[]; rejected: Rejected[] } {
  const accepted = new Set((info.accepted ?? []).map(addr));
  const errors = new Map<string, SmtpFailure>();
  for (const e of info.rejectedErrors ?? []) {
    const recipient = (e as { recipient?: string }).recipient;
    if (recipient) errors.set(recipient.toLowerCase(), classifySmtpError(e));
  }
  const outcomes: RecipientOutcome[] = [];
  const rejected: Rejected[] = [];
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

export interface Rejected {
  row: RecipientRow;
  failure: SmtpFailure;
}

/** What one attempt comes to: the record to commit, and what the rest of Kiln must react to. */
export interface Decision {
  outcome: Outcome;
  rejected: Rejected[];
  /** The message-level failure, null when the server accepted the message. */
  failure: SmtpFailure | null;
}

/** The server accepted the message (perhaps not for every recipient). */
export function decideSent(m: MessageRow, pending: RecipientRow[], info: SentInfo, now: number): Decision {
  const { outcomes, rejected } = recipientOutcomes(pending, info);
  const events: QueueEvent[] = [
    { type: 'sent', data: { attempt: m.attempts, response: info.response ?? null, accepted: outcomes.filter((o) => o.status === 'accepted').length } },
    ...rejected.map(({ row, failure }) => ({ type: 'recipient_rejected', data: { address: row.address, error: toSendError(failure) } })),
  ];
  return { outcome: { kind: 'outcome', message: m, at: now, status: 'sent', next: null, error: null, sentAt: now, recipients: outcomes, events }, rejected, failure: null };
}

/** Transient failures retry after backoff[attempt - 1] minutes until the list runs out; the rest fail now. */
export function decideFailed(m: MessageRow, pending: RecipientRow[], err: unknown, failure: SmtpFailure, backoffMinutes: number[], now: number): Decision {
  const error = toSendError(failure);
  let recipients: RecipientOutcome[] = [];
  let rejected: Rejected[] = [];
  const env = err as { code?: string; rejectedErrors?: unknown[] };
  if (env.code === 'EENVELOPE' && Array.isArray(env.rejectedErrors)) {
    ({ outcomes: recipients, rejected } = recipientOutcomes(pending, { accepted: [], rejectedErrors: env.rejectedErrors }));
  }
  const retry = failure.kind === 'transient' && m.attempts <= backoffMinutes.length;
  const next = retry ? now + (backoffMinutes[m.attempts - 1] ?? 60) * 60_000 : null;
  const status = retry ? 'retry_scheduled' : 'failed';
  const data: Record<string, unknown> = { attempt: m.attempts, error };
  if (next) data.nextAttemptAt = new Date(next).toISOString();
  if (!retry && failure.kind === 'transient') data.reason = 'retries exhausted';
  return { outcome: { kind: 'outcome', message: m, at: now, status, next, error, sentAt: null, recipients, events: [{ type: status, data }] }, rejected, failure };
}
