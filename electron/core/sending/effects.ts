import type { MailboxRow } from '../db/schema';
import type { EventBus } from '../events/bus';
import type { Logger } from '../log';
import type { SuppressionService } from '../suppressions/service';
import type { SmtpFailure } from '../mail/smtp-errors';
import type { Decision } from './outcome';

/** The mailboxes feature hears of a blamed sender on the bus (`send.blamedMailbox`). */
export interface EffectsNeeds {
  bus: EventBus;
  log: Logger;
  suppressions: Pick<SuppressionService, 'add'>;
}

/**
 * What an attempt means beyond the message itself: hard-bounced recipients are suppressed in the
 * workspace; a mailbox that cannot send (auth, TLS) goes to `error`; 5.7.x rejections are the
 * sender's problem and flag the mailbox, never the recipient.
 */
export function applyEffects(deps: EffectsNeeds, mb: MailboxRow, d: Decision): void {
  const m = d.outcome.message;
  for (const { row, failure } of d.rejected) {
    if (failure.code === 'SMTP_RECIPIENT_UNKNOWN') {
      const detail = `${failure.enhancedStatus ?? failure.responseCode ?? ''} ${failure.message}`.trim();
      void deps.suppressions.add(m.workspace_id, row.address, 'hard_bounce', detail, m.id);
    } else if (failure.senderProblem) {
      mailboxEffects(deps, mb, failure);
    }
  }
  if (d.failure) {
    mailboxEffects(deps, mb, d.failure);
    const f = d.failure;
    deps.log.info({ messageId: m.id, mailboxId: mb.id, code: f.code, stage: f.stage, status: d.outcome.status }, 'send failed');
  }
}

function mailboxEffects(deps: EffectsNeeds, mb: MailboxRow, f: SmtpFailure): void {
  const err = { protocol: 'smtp' as const, stage: f.stage, code: f.code, message: f.message };
  if (f.mailboxProblem && f.kind === 'permanent') deps.bus.tell('send.blamedMailbox', { mailbox: mb, error: err, action: 'error' });
  else if (f.senderProblem) deps.bus.tell('send.blamedMailbox', { mailbox: mb, error: err, action: 'flag' });
}
