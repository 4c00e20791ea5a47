// Webhook delivery: alerts become rows in webhook_deliveries (durable), and the worker sends the
// due ones, retrying failures with backoff and jitter on the injected clock. At-least-once: an
// attempt cut short by a stop or a crash is sent again on the next start with the same webhook-id,
// which receivers use to drop duplicates.
import type { Db } from '../db/connection';
import type { Clock } from '../clock';
import type { EventBus } from '../events/bus';
import type { Logger } from '../log';
import type { SecretStore } from '../secrets/secret-store';
import type { WebhookDeliveryRow, WebhookRow } from '../db/schema';
import type { WebhookEventType } from '../../../shared/domain/webhook';
import { newId } from '../util/ids';
import { iso } from '../util/time';
import type { WebhookEvent } from './events';
import { parseEvents, toWebhookStatus } from './mapper';
import { postWebhook, type PostResult } from './post';
import type { WebhookRepository } from './repository';
import { signatureHeaders } from './sign';
import { parseWebhookUrl } from './ssrf';

export interface WebhookConfig {
  /** Allow loopback/private/link-local targets and plain http (KILN_WEBHOOK_ALLOW_PRIVATE=1). */
  allowPrivate: boolean;
  /** Deadline of one attempt, connect to last byte read. */
  timeoutMs: number;
  /** Waits before retries 1..n (seconds); attempts = length + 1. */
  backoffSec: number[];
  /** Auto-disable: this many failed attempts in a row... */
  disableAfterFailures: number;
  /** ...spanning at least this long (so one burst of alerts cannot disable a webhook). */
  disableAfterMs: number;
}

export const defaultWebhookConfig: WebhookConfig = {
  allowPrivate: false,
  timeoutMs: 10_000,
  // 30 s, 2 min, 10 min, 1 h, 6 h: six attempts over about 7 h 13 min.
  backoffSec: [30, 120, 600, 3_600, 21_600],
  disableAfterFailures: 20,
  disableAfterMs: 24 * 3_600_000,
};

const RETENTION_MS = 30 * 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;

export const webhookBody = (type: WebhookEventType, workspaceId: string, data: unknown, now: number): string =>
  JSON.stringify({ type, timestamp: iso(now), workspaceId, data });

/** What enqueueing and sending webhook deliveries use. */
export interface WebhookDeliveryNeeds {
  db: Db;
  clock: Clock;
  bus: EventBus;
  log: Logger;
  secrets: SecretStore;
  config: { ca?: string[]; version: string };
}

/** One event for the webhooks of a workspace that asked for it. */
export interface Queued {
  workspaceId: string;
  hooks: WebhookRow[];
  event: WebhookEvent;
  at: number;
}

/**
 * One delivery per webhook of each queued event, all in one transaction: the bus listener collects
 * events and this runs once per burst (a send commit announces many messages at once), since a
 * commit per event costs far more than its rows. Rows go in event order, which the worker's
 * ordering relies on (rowid).
 */
export function enqueueAll(deps: WebhookDeliveryNeeds, repo: WebhookRepository, batch: Queued[]): number {
  let n = 0;
  deps.db.sqlite.transaction(() => {
    for (const q of batch) {
      const body = webhookBody(q.event.type, q.workspaceId, q.event.data, q.at);
      for (const w of q.hooks) {
        const order_key = q.event.orderKey === null ? null : `${w.id}:${q.event.orderKey}`;
        repo.insertDelivery({ id: newId('whd'), workspace_id: q.workspaceId, webhook_id: w.id, event_type: q.event.type, body, status: 'pending', next_attempt_at: q.at, created_at: q.at, order_key });
        n++;
      }
    }
  })();
  return n;
}

/** The enabled webhooks of a workspace that asked for `type`. */
export const subscribers = (repo: WebhookRepository, workspaceId: string, type: WebhookEventType): WebhookRow[] =>
  repo.enabledIn(workspaceId).filter((w) => parseEvents(w.events).includes(type));

/** Sign with the current secret (and the previous one during a rotation's grace period) and POST. */
export async function attemptDelivery(deps: WebhookDeliveryNeeds, cfg: WebhookConfig, w: WebhookRow, deliveryId: string, body: string, signal?: AbortSignal): Promise<PostResult> {
  const now = deps.clock.now();
  let url: URL;
  try {
    // Checked again on every attempt: the configuration may have changed since registration.
    url = parseWebhookUrl(w.url, cfg.allowPrivate);
  } catch (e) {
    return { ok: false, statusCode: null, error: (e as Error).message, durationMs: 0 };
  }
  const secrets: string[] = [];
  const current = await deps.secrets.get(w.secret_ref);
  if (current === null) return { ok: false, statusCode: null, error: 'The signing secret is missing from the secret store; rotate the secret', durationMs: 0 };
  secrets.push(current);
  if (w.previous_secret_ref && w.previous_secret_until !== null && w.previous_secret_until > now) {
    const previous = await deps.secrets.get(w.previous_secret_ref);
    if (previous) secrets.push(previous);
  }
  const headers = signatureHeaders(secrets, deliveryId, Math.floor(now / 1000), body);
  return postWebhook(url, headers, body, { guard: !cfg.allowPrivate, timeoutMs: cfg.timeoutMs, ca: deps.config.ca, userAgent: `Kiln-Webhooks/${deps.config.version}`, signal });
}

/**
 * Record an attempt; after a failure, apply the auto-disable rule: `disableAfterFailures` failed
 * attempts in a row spanning at least `disableAfterMs` turn the webhook off (its pending deliveries
 * fail) and say so with a `webhook.updated` event.
 */
export function recordOutcome(deps: WebhookDeliveryNeeds, cfg: WebhookConfig, repo: WebhookRepository, d: Pick<WebhookDeliveryRow, 'id' | 'webhook_id' | 'workspace_id' | 'attempts'>, r: PostResult, retry: boolean): void {
  const now = deps.clock.now();
  const attemptNo = d.attempts + 1;
  const wait = retry ? cfg.backoffSec[attemptNo - 1] : undefined;
  // ±10 % jitter so a receiver that came back is not hit by every retry at the same second.
  const nextAttemptAt = !r.ok && wait !== undefined ? now + Math.round(wait * 1000 * (0.9 + 0.2 * Math.random())) : null;
  const attempt = { at: iso(now), statusCode: r.statusCode, error: r.error, durationMs: r.durationMs };
  const failing = repo.recordAttempt({ deliveryId: d.id, webhookId: d.webhook_id, attempt, at: now, ok: r.ok, nextAttemptAt });
  const log = { webhookId: d.webhook_id, deliveryId: d.id, attempt: attemptNo, statusCode: r.statusCode };
  if (r.ok) deps.log.info(log, 'webhook delivered');
  else deps.log.warn({ ...log, error: r.error, retryAt: nextAttemptAt === null ? null : iso(nextAttemptAt) }, nextAttemptAt === null ? 'webhook delivery failed' : 'webhook attempt failed; will retry');
  if (!failing || failing.enabled !== 1 || failing.failing_since === null) return;
  if (failing.consecutive_failures < cfg.disableAfterFailures || now - failing.failing_since < cfg.disableAfterMs) return;
  const hours = Math.round((now - failing.failing_since) / 3_600_000);
  const disabled = repo.disable(failing.id, `${failing.consecutive_failures} failed attempts in a row over ${hours} h`, now);
  if (!disabled) return;
  deps.log.warn({ webhookId: disabled.id, failures: disabled.consecutive_failures }, 'webhook disabled after repeated failures');
  deps.bus.emit(disabled.workspace_id, 'webhook.updated', toWebhookStatus(disabled));
}

/** Sends due deliveries; runs on real timers, decides "due" on the injected clock. */
export class WebhookWorker {
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private scanPending = false;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();
  private lastPrune = -Infinity;
  /** Real time until which no delivery starts while sending is busy (pacing, not logic: not the injected clock). */
  private pausedUntil = -Infinity;

  constructor(
    private readonly deps: WebhookDeliveryNeeds,
    private readonly repo: WebhookRepository,
    private readonly cfg: WebhookConfig,
    private readonly opts: {
      pollMs?: number;
      concurrency?: number;
      /** True while mail is being sent: deliveries then go one at a time, `busyGapMs` apart, so they never slow sending. */
      busy?: () => boolean;
      busyGapMs?: number;
    } = {},
  ) {}

  start(): void {
    this.stopped = false;
    this.kick();
  }

  /** Look for due deliveries now (after an enqueue, or after a test moved the clock). */
  kick(): void {
    if (this.stopped || this.scanPending) return;
    this.scanPending = true;
    setImmediate(() => this.scan());
  }

  /** Stop sending: attempts in flight are aborted (not recorded, so sent again on the next start). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort();
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private scan(): void {
    this.scanPending = false;
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    // Sending comes first: while the dispatcher has mail on the wire, one delivery at a time with a
    // pause between them; the backlog is caught up at full concurrency once sending is quiet.
    const busy = this.opts.busy?.() ?? false;
    const concurrency = busy ? 1 : (this.opts.concurrency ?? 4);
    try {
      const now = this.deps.clock.now();
      if (now - this.lastPrune >= PRUNE_EVERY_MS) {
        this.lastPrune = now;
        this.repo.prune(now - RETENTION_MS);
      }
      // A kick (an enqueue) during the pause must not start the next delivery early.
      if (this.inFlight.size < concurrency && !(busy && performance.now() < this.pausedUntil)) {
        for (const d of this.repo.due(now, concurrency + this.inFlight.size)) {
          if (this.inFlight.size >= concurrency) break;
          if (this.inFlight.has(d.id)) continue;
          const run = this.run(d)
            .catch((err: unknown) => this.deps.log.error({ err, deliveryId: d.id }, 'webhook delivery crashed'))
            .finally(() => {
              this.inFlight.delete(d.id);
              const gap = this.opts.busyGapMs ?? 100;
              if (this.opts.busy?.()) {
                this.pausedUntil = performance.now() + gap;
                setTimeout(() => this.kick(), gap).unref?.();
              } else this.kick();
            });
          this.inFlight.set(d.id, run);
        }
      }
    } catch (err) {
      this.deps.log.error({ err }, 'webhook scan failed');
    }
    this.timer = setTimeout(() => this.kick(), this.opts.pollMs ?? 1_000);
    this.timer.unref?.();
  }

  private async run(d: WebhookDeliveryRow): Promise<void> {
    const w = this.repo.webhookById(d.webhook_id);
    if (!w || w.enabled !== 1) return;
    const r = await attemptDelivery(this.deps, this.cfg, w, d.id, d.body, this.abort.signal);
    if (r.aborted) return;
    recordOutcome(this.deps, this.cfg, this.repo, d, r, true);
  }
}
