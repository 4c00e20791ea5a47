// Webhook registration: URL checks (SSRF guard at registration; the worker checks again on every
// attempt), the signing secret (generated here, returned once, stored only in the secret store),
// rotation with a grace period, test pings, the delivery history and redelivery.
import type { PushEvent } from '../../../shared/api/events';
import type { CreatedWebhook, DeliveryStatus, Webhook, WebhookDelivery, WebhookEventType, WebhookTestResult } from '../../../shared/domain/webhook';
import { KilnError } from '../../../shared/errors';
import type { WebhookRow } from '../db/schema';
import type { Db } from '../db/connection';
import type { Clock } from '../clock';
import type { EventBus } from '../events/bus';
import type { Logger } from '../log';
import type { SecretStore } from '../secrets/secret-store';
import { assertRef } from '../secrets/secret-store';
import { newId } from '../util/ids';
import { attemptDelivery, enqueueAll, recordOutcome, subscribers, webhookBody, type Queued, type WebhookConfig } from './deliver';
import { webhookEvents, webhookTypeOf } from './events';
import { toDelivery, toWebhook, toWebhookStatus } from './mapper';
import type { LogQuery, WebhookRepository } from './repository';
import { generateSecret } from './sign';
import { checkTarget, parseWebhookUrl } from './ssrf';

const secretRef = (id: string, n: number) => {
  const ref = `webhook/${id}/signing-${n}`;
  assertRef(ref);
  return ref;
};

export interface WebhookCreate {
  url: string;
  description?: string;
  events: WebhookEventType[];
  enabled: boolean;
}

export interface WebhookPatch {
  url?: string;
  description?: string;
  events?: WebhookEventType[];
  enabled?: boolean;
}

/** What the webhook service uses; `kick` wakes the delivery worker (a no-op when it is off). */
export interface WebhookServiceNeeds {
  db: Db;
  clock: Clock;
  bus: EventBus;
  log: Logger;
  secrets: SecretStore;
  config: { ca?: string[]; version: string };
  kick: () => void;
}

export function webhookService(deps: WebhookServiceNeeds, repo: WebhookRepository, cfg: WebhookConfig) {
  const now = () => deps.clock.now();
  const toEvent = webhookEvents(deps.db);
  const queued: Queued[] = [];
  const flush = () => {
    const batch = queued.splice(0);
    try {
      if (enqueueAll(deps, repo, batch) > 0) deps.kick();
    } catch (err) {
      deps.log.error({ err, events: batch.length }, 'could not queue webhook deliveries');
    }
  };

  async function checkedUrl(raw: string): Promise<string> {
    const url = parseWebhookUrl(raw, cfg.allowPrivate);
    if (!cfg.allowPrivate) await checkTarget(url);
    return url.toString();
  }

  async function row(workspaceId: string, id: string): Promise<WebhookRow> {
    const r = await repo.get(workspaceId, id);
    if (!r) throw new KilnError('NOT_FOUND', `No webhook ${id} in this workspace`);
    return r;
  }

  const changed = (r: WebhookRow): Webhook => {
    deps.bus.emit(r.workspace_id, 'webhook.updated', toWebhookStatus(r));
    return toWebhook(r, now());
  };

  return {
    /**
     * Bus events become deliveries here, inside the bus listener (so on the sending path): a few
     * primary-key reads build the payload now (the state as of the event), and the rows are
     * written in one transaction per burst, in a microtask: before any I/O or timer can run, so
     * nothing waits in memory across an await. HTTP happens in the worker. An event no webhook
     * asked for costs one read of the workspace's enabled webhooks.
     */
    onEvent(e: PushEvent): void {
      const type = webhookTypeOf(e);
      if (type === null) return;
      try {
        const hooks = subscribers(repo, e.workspaceId, type);
        // Warmup state is tracked even when nobody listens, so a later subscriber hears real changes only.
        if (hooks.length === 0 && type !== 'warmup.stateChanged') return;
        const event = toEvent(e, type);
        if (!event || hooks.length === 0) return;
        queued.push({ workspaceId: e.workspaceId, hooks, event, at: now() });
        if (queued.length === 1) queueMicrotask(flush);
      } catch (err) {
        deps.log.error({ err, event: e.name }, 'could not queue webhook deliveries');
      }
    },

    async list(workspaceId: string): Promise<Webhook[]> {
      const t = now();
      return (await repo.list(workspaceId)).map((r) => toWebhook(r, t));
    },

    async create(workspaceId: string, input: WebhookCreate): Promise<CreatedWebhook> {
      const url = await checkedUrl(input.url);
      const id = newId('whk');
      const ref = secretRef(id, 1);
      const secret = generateSecret();
      await deps.secrets.set(ref, secret);
      const t = now();
      const r: WebhookRow = {
        id,
        workspace_id: workspaceId,
        url,
        description: input.description ?? '',
        events: [...new Set(input.events)].join(','),
        enabled: input.enabled ? 1 : 0,
        secret_ref: ref,
        previous_secret_ref: null,
        previous_secret_until: null,
        consecutive_failures: 0,
        failing_since: null,
        disabled_reason: null,
        created_at: t,
        updated_at: t,
      };
      try {
        await repo.insert(r);
      } catch (e) {
        await deps.secrets.delete(ref).catch(() => {});
        throw e;
      }
      deps.log.info({ webhookId: id, host: new URL(url).host }, 'webhook registered');
      return { ...changed(r), secret };
    },

    async update(workspaceId: string, id: string, patch: WebhookPatch): Promise<Webhook> {
      const before = await row(workspaceId, id);
      const set: Partial<WebhookRow> = { updated_at: now() };
      if (patch.url !== undefined) set.url = await checkedUrl(patch.url);
      if (patch.description !== undefined) set.description = patch.description;
      if (patch.events !== undefined) set.events = [...new Set(patch.events)].join(',');
      if (patch.enabled === true && before.enabled !== 1) Object.assign(set, { enabled: 1, disabled_reason: null, consecutive_failures: 0, failing_since: null });
      if (patch.enabled === false && before.enabled === 1) {
        set.enabled = 0;
        // What was still pending is not replayed when it is turned on again.
        repo.cancelPending(id, 'webhook disabled', now());
      }
      const after = await repo.update(workspaceId, id, set);
      if (!after) throw new KilnError('NOT_FOUND', `No webhook ${id} in this workspace`);
      return changed(after);
    },

    async delete(workspaceId: string, id: string): Promise<{ id: string; deleted: true }> {
      const r = await repo.delete(workspaceId, id);
      if (!r) throw new KilnError('NOT_FOUND', `No webhook ${id} in this workspace`);
      await deps.secrets.delete(r.secret_ref);
      if (r.previous_secret_ref) await deps.secrets.delete(r.previous_secret_ref);
      deps.log.info({ webhookId: id }, 'webhook deleted');
      return { id, deleted: true };
    },

    /**
     * A new secret, returned once. For `graceHours` deliveries are signed with both secrets
     * (webhook-signature carries two entries), so receivers can switch without losing any.
     */
    async rotateSecret(workspaceId: string, id: string, graceHours: number): Promise<CreatedWebhook> {
      const r = await row(workspaceId, id);
      const n = Number(/-(\d+)$/.exec(r.secret_ref)?.[1] ?? 1) + 1;
      const ref = secretRef(id, n);
      const secret = generateSecret();
      await deps.secrets.set(ref, secret);
      const t = now();
      const keep = graceHours > 0;
      const after = await repo.update(workspaceId, id, {
        secret_ref: ref,
        previous_secret_ref: keep ? r.secret_ref : null,
        previous_secret_until: keep ? t + graceHours * 3_600_000 : null,
        updated_at: t,
      });
      if (!after) throw new KilnError('NOT_FOUND', `No webhook ${id} in this workspace`);
      // Only one previous secret is kept: the one before it, and the old one when there is no grace, go.
      if (r.previous_secret_ref) await deps.secrets.delete(r.previous_secret_ref);
      if (!keep) await deps.secrets.delete(r.secret_ref);
      deps.log.info({ webhookId: id, graceHours }, 'webhook secret rotated');
      return { ...changed(after), secret };
    },

    /** Send a `webhook.test` ping now (enabled or not, whatever the filter), once, and say how it went. */
    async test(workspaceId: string, id: string): Promise<WebhookTestResult> {
      const r = await row(workspaceId, id);
      const t = now();
      const deliveryId = newId('whd');
      const body = webhookBody('webhook.test', workspaceId, { webhookId: id, message: 'Test delivery from Kiln' }, t);
      const d = { id: deliveryId, workspace_id: workspaceId, webhook_id: id, attempts: 0 };
      repo.insertDelivery({ ...d, event_type: 'webhook.test', body, status: 'pending', next_attempt_at: null, created_at: t });
      const res = await attemptDelivery(deps, cfg, r, deliveryId, body);
      recordOutcome(deps, cfg, repo, d, res, false);
      return { deliveryId, delivered: res.ok, statusCode: res.statusCode, error: res.error, durationMs: res.durationMs };
    },

    async deliveryLog(workspaceId: string, q: LogQuery) {
      const rows = await repo.deliveryLog(workspaceId, q);
      const page = rows.slice(0, q.limit);
      return { items: page.map(toDelivery), nextCursor: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null };
    },

    /** Send a delivery again with the same webhook-id; a later event of the same message waits for it. */
    async redeliver(workspaceId: string, id: string): Promise<WebhookDelivery> {
      const d = repo.deliveryById(id);
      if (!d || d.workspace_id !== workspaceId) throw new KilnError('NOT_FOUND', `No webhook delivery ${id} in this workspace`);
      const w = await row(workspaceId, d.webhook_id);
      if (w.enabled !== 1) throw new KilnError('CONFLICT', 'The webhook is off: turn it on before redelivering');
      const again = repo.redeliver(workspaceId, id, now());
      if (!again) throw new KilnError('NOT_FOUND', `No webhook delivery ${id} in this workspace`);
      deps.log.info({ webhookId: w.id, deliveryId: id }, 'webhook delivery queued again');
      deps.kick();
      return toDelivery(again);
    },

    async deliveries(workspaceId: string, webhookId: string, q: { status?: DeliveryStatus; limit: number; cursor?: string }) {
      await row(workspaceId, webhookId);
      const rows = await repo.deliveries(workspaceId, webhookId, q);
      const page = rows.slice(0, q.limit);
      return { items: page.map(toDelivery), nextCursor: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null };
    },
  };
}
export type WebhookService = ReturnType<typeof webhookService>;
