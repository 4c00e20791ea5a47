import { z } from 'zod';

/**
 * planned → queued → sending → sent | retry_scheduled → failed | bounced | complained.
 * `bounced`: no recipient got it (each refused at SMTP time or bounced by a report, hard or
 * policy). A message that reached some recipients stays `sent`; each recipient's `outcome` says
 * who bounced. `complained`: any recipient complained. `discarded`: a failed message (a dead
 * letter) a person gave up on: kept for the record, never retried.
 */
export const messageStatuses = [
  'planned',
  'queued',
  'sending',
  'retry_scheduled',
  'sent',
  'failed',
  'bounced',
  'complained',
  'discarded',
] as const;
export type MessageStatus = (typeof messageStatuses)[number];

export const messageKinds = ['api', 'warmup', 'reply', 'placement', 'broadcast'] as const;
export type MessageKind = (typeof messageKinds)[number];

export const recipientKinds = ['to', 'cc', 'bcc'] as const;
export const recipientStatuses = ['pending', 'accepted', 'rejected'] as const;

export const sendError = z.object({
  code: z.string(),
  stage: z.string(),
  kind: z.enum(['transient', 'permanent']),
  message: z.string(),
  responseCode: z.number().optional(),
  enhancedStatus: z.string().optional(),
  senderProblem: z.boolean().optional(),
});
export type SendError = z.infer<typeof sendError>;

/** What became of a message for one recipient after the receiving server accepted it. */
export const recipientOutcomeStates = ['delivered', 'deferred', 'bounced', 'complained'] as const;
export type RecipientOutcomeState = (typeof recipientOutcomeStates)[number];

export const recipientOutcome = z.object({
  /** delivered: seen in a mailbox Kiln reads; deferred: a soft bounce (still retried by the MTA);
   *  bounced: a hard or policy rejection reported by a DSN; complained: a spam complaint. */
  state: z.enum(recipientOutcomeStates),
  /** Enhanced status code of the report (e.g. '5.7.1'), when it gave one. */
  status: z.string().nullable(),
  /** The remote server's words, or the reporting MTA's reason. */
  diagnostic: z.string().nullable(),
  at: z.string(),
});
export type RecipientOutcome = z.infer<typeof recipientOutcome>;

export const messageRecipient = z.object({
  address: z.string(),
  kind: z.enum(recipientKinds),
  /** The SMTP handoff: accepted or rejected by the sending mailbox's server. */
  status: z.enum(recipientStatuses),
  responseCode: z.number().nullable(),
  enhancedStatus: z.string().nullable(),
  response: z.string().nullable(),
  /** What happened after the handoff; null while nothing is known. */
  outcome: recipientOutcome.nullable(),
});
export type MessageRecipient = z.infer<typeof messageRecipient>;

export const messageEvent = z.object({
  id: z.number(),
  at: z.string(),
  type: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type MessageEvent = z.infer<typeof messageEvent>;

export const message = z.object({
  id: z.string(),
  workspaceId: z.string(),
  mailboxId: z.string(),
  kind: z.enum(messageKinds),
  status: z.enum(messageStatuses),
  messageId: z.string().describe('RFC 5322 Message-ID header, with angle brackets'),
  from: z.string(),
  subject: z.string(),
  recipients: z.array(messageRecipient),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastError: sendError.nullable(),
  idempotencyKey: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  sentAt: z.string().nullable(),
  replyTo: z.string().nullable(),
  tags: z.array(z.string()),
  /** The template version the content was rendered from; null when the content was given directly. */
  template: z.object({ id: z.string(), version: z.number().int() }).nullable(),
});
export type Message = z.infer<typeof message>;

export const placements = ['inbox', 'spam', 'other', 'missing'] as const;
export type Placement = (typeof placements)[number];

/** Where a message landed for a recipient Kiln can read, and what Kiln did with it there. */
export const messagePlacement = z.object({
  recipient: z.string(),
  mailboxId: z.string(),
  placement: z.enum(placements),
  folder: z.string().nullable(),
  seenAt: z.string().nullable(),
  rescuedAt: z.string().nullable(),
  openedAt: z.string().nullable(),
  flaggedAt: z.string().nullable(),
  repliedAt: z.string().nullable(),
  filedAt: z.string().nullable(),
});
export type MessagePlacement = z.infer<typeof messagePlacement>;

export const messageWithEvents = message.extend({ events: z.array(messageEvent), placements: z.array(messagePlacement) });
export type MessageWithEvents = z.infer<typeof messageWithEvents>;
