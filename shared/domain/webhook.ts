import { z } from 'zod';

// Webhooks tell other systems about alerts, message outcomes and warmup state: each registered URL
// gets a signed JSON POST (Standard Webhooks: webhook-id / webhook-timestamp / webhook-signature)
// for the event types it asked for.

/** What happened to one message, from the send to the feedback loop; delivered in order per message and webhook. */
export const messageEventTypes = ['message.sent', 'message.failed', 'message.bounced', 'message.complained', 'message.placed', 'message.replied'] as const;
/** `webhook.test` is the ping `webhooks.test` sends; it is sent on request whatever the filter says. */
export const webhookEventTypes = ['alert.raised', 'alert.resolved', ...messageEventTypes, 'warmup.stateChanged', 'webhook.test'] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];
/** Alert-only unless the caller asks: webhooks registered before message events existed get none. */
export const defaultWebhookEvents: WebhookEventType[] = ['alert.raised', 'alert.resolved'];

/** Where a copy landed (`missing`: not seen by the deadline), as `message.placed` says. */
export const placements = ['inbox', 'spam', 'other', 'missing'] as const;

/** The `data` of every message.* event; type-specific fields are added beside these. */
export const messageEventData = z.object({
  messageId: z.string().describe("Kiln's message id"),
  messageIdHeader: z.string().describe('The RFC 5322 Message-ID, angle brackets included'),
  mailboxId: z.string(),
  from: z.string(),
  kind: z.string().describe('api, warmup, reply, placement'),
  status: z.string().describe("The message's status after the event"),
  recipients: z.array(z.string()),
});
export type MessageEventData = z.infer<typeof messageEventData>;

export const webhook = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  events: z.array(z.enum(webhookEventTypes)),
  enabled: z.boolean(),
  /** Why Kiln turned it off (after a long run of failures); null when a person did or it is on. */
  disabledReason: z.string().nullable(),
  /** Failed attempts since the last success. */
  consecutiveFailures: z.number().int(),
  failingSince: z.string().nullable(),
  /** Until then deliveries carry a second signature made with the previous secret (rotation grace). */
  previousSecretUntil: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Webhook = z.infer<typeof webhook>;

/** What `webhook.updated` events carry: no URL, since event streams are open to read-scoped tokens and URLs may hold tokens. */
export const webhookStatus = webhook.pick({ id: true, enabled: true, disabledReason: true, consecutiveFailures: true, failingSince: true, updatedAt: true });
export type WebhookStatus = z.infer<typeof webhookStatus>;

export const createdWebhook = webhook.extend({
  secret: z.string().describe('Signing secret (whsec_...); shown once, kept only in the secret store'),
});
export type CreatedWebhook = z.infer<typeof createdWebhook>;

export const deliveryStatuses = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export const deliveryAttempt = z.object({
  at: z.string(),
  /** HTTP status of the answer; null when none came (refused, timeout, network error). */
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int(),
});
export type DeliveryAttempt = z.infer<typeof deliveryAttempt>;

export const webhookDelivery = z.object({
  /** Also the `webhook-id` header: the same on every retry, so receivers can drop duplicates. */
  id: z.string(),
  webhookId: z.string(),
  type: z.enum(webhookEventTypes),
  status: z.enum(deliveryStatuses),
  /** Every attempt made, redeliveries included (attemptLog lists them). */
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
  attemptLog: z.array(deliveryAttempt),
  /** The JSON body that is sent: { type, timestamp, workspaceId, data }. */
  payload: z.unknown(),
});
export type WebhookDelivery = z.infer<typeof webhookDelivery>;

export const webhookTestResult = z.object({
  deliveryId: z.string(),
  delivered: z.boolean(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int(),
});
export type WebhookTestResult = z.infer<typeof webhookTestResult>;
