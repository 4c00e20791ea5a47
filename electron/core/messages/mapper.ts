import type { EventRow, MessageRow, PlacementRow, RecipientRow } from '../db/schema';
import type { Message, MessageEvent, MessageKind, MessagePlacement, MessageRecipient, MessageStatus, Placement, RecipientOutcomeState, SendError } from '../../../shared/domain/message';
import { iso, isoOrNull } from '../util/time';
import { parseJson } from '../util/json';

export const toRecipient = (r: RecipientRow): MessageRecipient => ({
  address: r.address,
  kind: r.kind as MessageRecipient['kind'],
  status: r.status as MessageRecipient['status'],
  responseCode: r.response_code,
  enhancedStatus: r.enhanced_status,
  response: r.response,
  outcome:
    r.outcome && r.outcome_at !== null
      ? { state: r.outcome as RecipientOutcomeState, status: r.outcome_status, diagnostic: r.outcome_diagnostic, at: iso(r.outcome_at) }
      : null,
});

export const toPlacement = (p: PlacementRow): MessagePlacement => ({
  recipient: p.recipient,
  mailboxId: p.mailbox_id,
  placement: p.placement as Placement,
  folder: p.folder,
  seenAt: isoOrNull(p.seen_at),
  rescuedAt: isoOrNull(p.rescued_at),
  openedAt: isoOrNull(p.opened_at),
  flaggedAt: isoOrNull(p.flagged_at),
  repliedAt: isoOrNull(p.replied_at),
  filedAt: isoOrNull(p.filed_at),
});

export const toEvent = (e: EventRow): MessageEvent => ({
  id: e.id,
  at: iso(e.at),
  type: e.type,
  data: parseJson<Record<string, unknown>>(e.data) ?? {},
});

export function toMessage(r: MessageRow, recipients: RecipientRow[]): Message {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    mailboxId: r.mailbox_id,
    kind: r.kind as MessageKind,
    status: r.status as MessageStatus,
    messageId: r.message_id,
    from: r.from_addr,
    subject: r.subject,
    recipients: recipients.map(toRecipient),
    attempts: r.attempts,
    nextAttemptAt: isoOrNull(r.next_attempt_at),
    lastError: parseJson<SendError>(r.last_error),
    idempotencyKey: r.idempotency_key,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    sentAt: isoOrNull(r.sent_at),
    replyTo: r.reply_to ?? null,
    tags: parseJson<string[]>(r.tags ?? null) ?? [],
    template: r.template_id != null && r.template_version != null ? { id: r.template_id, version: r.template_version } : null,
  };
}
