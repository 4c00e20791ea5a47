import type { WebhookDeliveryRow, WebhookRow } from '../db/schema';
import { webhookEventTypes, type DeliveryAttempt, type DeliveryStatus, type Webhook, type WebhookDelivery, type WebhookEventType, type WebhookStatus } from '../../../shared/domain/webhook';
import { iso, isoOrNull } from '../util/time';

export const parseEvents = (s: string): WebhookEventType[] =>
  s.split(',').filter((x): x is WebhookEventType => (webhookEventTypes as readonly string[]).includes(x));

export const toWebhookStatus = (r: WebhookRow): WebhookStatus => ({
  id: r.id,
  enabled: r.enabled === 1,
  disabledReason: r.disabled_reason,
  consecutiveFailures: r.consecutive_failures,
  failingSince: isoOrNull(r.failing_since),
  updatedAt: iso(r.updated_at),
});

export const toWebhook = (r: WebhookRow, now: number): Webhook => ({
  id: r.id,
  url: r.url,
  description: r.description,
  events: parseEvents(r.events),
  enabled: r.enabled === 1,
  disabledReason: r.disabled_reason,
  consecutiveFailures: r.consecutive_failures,
  failingSince: isoOrNull(r.failing_since),
  previousSecretUntil: r.previous_secret_until !== null && r.previous_secret_until > now ? iso(r.previous_secret_until) : null,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

export const toDelivery = (r: WebhookDeliveryRow): WebhookDelivery => {
  const attemptLog = (parseJson(r.attempt_log) as DeliveryAttempt[] | null) ?? [];
  return {
    id: r.id,
    webhookId: r.webhook_id,
    type: r.event_type as WebhookEventType,
    status: r.status as DeliveryStatus,
    // Every attempt, redeliveries included (the column counts only the current round, for the backoff).
    attempts: Math.max(r.attempts, attemptLog.length),
    nextAttemptAt: isoOrNull(r.next_attempt_at),
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    createdAt: iso(r.created_at),
    deliveredAt: isoOrNull(r.delivered_at),
    attemptLog,
    payload: parseJson(r.body),
  };
};
