import type { Core, CoreOptions } from './types';
import type { Deps } from './deps';
import { systemClock } from './clock';
import { openDatabase } from './db/connection';
import { migrateToLatest } from './db/migrate';
import { EventBus } from './events/bus';
import { createLogger } from './log';
import { createMetrics } from './metrics';
import { openSecretStore } from './secrets';
import { requireSecret } from './secrets/secret-store';
import { TransportPool } from './sending/transports';
import { Dispatcher } from './sending/dispatcher';
import { queueStore } from './sending/queue-store';
import { tokenService } from './tokens/service';
import { mailboxService } from './mailboxes/service';
import { messageService } from './messages/service';
import { suppressionService } from './suppressions/service';
import { workspaceRepository } from './workspaces/repository';
import { createHandlers } from './api/handlers';
import { createCall } from './api/call';
import { version } from './version';
import { FeedbackService } from './feedback/service';
import { defaultEngagement } from './feedback/plan';
import { WarmupConfig } from './warmup/config';
import { WarmupEngine } from './warmup/engine';
import { warmupService, toWarmupStatus } from './warmup/service';
import { warmupStore } from './warmup/store';
import { fleetService } from './fleet/service';
import { recipientService } from './recipients/service';
import { preferencesService } from './preferences/service';
import { alertService } from './alerts/service';
import { authCheckService } from './checks/auth/service';
import { dmarcService } from './dmarc/service';
import { createResolver } from './checks/resolver';
import { blocklistService } from './checks/blocklists/service';
import { BlocklistScheduler } from './checks/blocklists/scheduler';
import { webhookRepository } from './webhooks/repository';
import { webhookService } from './webhooks/service';
import { WebhookWorker, defaultWebhookConfig } from './webhooks/deliver';
import { dkimService } from './dkim/service';
import { placementTestService } from './placement-tests/service';
import { healthService } from './health/service';
import { outsideMailboxChanges } from './mailboxes/outside-changes';

export const DEFAULT_BACKOFF_MINUTES = [1, 5, 15, 60];

export interface CoreInternals extends Core {
  deps: Deps;
}

/** Open the data folder, migrate, and wire the services. Never imports Electron. */
export async function createCore(opts: CoreOptions): Promise<CoreInternals> {
  const clock = opts.clock ?? systemClock;
  const log = opts.logger ?? createLogger({ level: opts.logLevel });
  const db = openDatabase(opts.dataDir);
  try {
    await migrateToLatest(db);
  } catch (e) {
    await db.close();
    throw e;
  }
  const secrets = opts.secretStore ?? (await openSecretStore({ dataDir: opts.dataDir, backend: opts.secretBackend ?? 'auto' }));
  const metrics = createMetrics();
  const secretOf = (ref: string) => requireSecret(secrets, ref);

  const deps = {
    db,
    clock,
    secrets,
    bus: new EventBus(),
    log,
    metrics,
    config: { ca: opts.ca, version },
    dns: createResolver({ servers: opts.dnsServers }),
    transports: new TransportPool({ ca: opts.ca, secretOf }),
    queue: queueStore(db.sqlite),
    secretOf,
    dispatcher: null,
    warmupEngine: null,
    feedback: null,
    webhookWorker: null,
  } as unknown as Deps;
  deps.tokens = tokenService(db.kysely, clock);
  deps.suppressions = suppressionService(db.kysely, clock);
  deps.mailboxes = mailboxService(deps);
  deps.messages = messageService(deps);
  const warmups = warmupStore(db.sqlite);
  const warmupChanged = (mailboxId: string) => {
    const w = warmups.settings(mailboxId);
    if (w) deps.bus.emit(w.workspace_id, 'warmup.updated', toWarmupStatus(w));
  };
  deps.warmupConfig = new WarmupConfig(deps, warmupChanged, opts.content);
  deps.warmup = warmupService(deps, warmups, warmupChanged);
  deps.fleet = fleetService(deps);
  deps.recipients = recipientService(deps);
  deps.preferences = preferencesService(deps);
  deps.alerts = alertService(deps);
  deps.authChecks = authCheckService(deps);
  deps.dmarc = dmarcService(deps);
  deps.blocklists = blocklistService(deps);
  deps.blocklistScheduler = null;
  const webhookRepo = webhookRepository(db);
  const webhookConfig = {
    ...defaultWebhookConfig,
    allowPrivate: opts.webhookAllowPrivate ?? process.env.KILN_WEBHOOK_ALLOW_PRIVATE === '1',
    timeoutMs: opts.webhookTimeoutMs ?? defaultWebhookConfig.timeoutMs,
  };
  deps.webhooks = webhookService(deps, webhookRepo, webhookConfig);
  deps.bus.subscribe((e) => deps.webhooks.onEvent(e));
  deps.dkim = dkimService(deps);
  deps.placementTests = placementTestService(deps);
  deps.health = healthService(deps);

  const queue = deps.queue;
  metrics.setSources({
    countByStatus: () => queue.countByStatus(),
    queueDepth: () => {
      const w = queue.waiting();
      return w.queued + w.retryScheduled;
    },
  });

  const workspace = await workspaceRepository(db.kysely).ensureDefault(clock.now());
  if (opts.dispatch !== false) {
    deps.dispatcher = new Dispatcher(deps, queue, {
      dataDir: opts.dataDir,
      backoffMinutes: opts.retryBackoffMinutes ?? DEFAULT_BACKOFF_MINUTES,
      pollMs: opts.pollMs,
      commitDelayMs: opts.commitDelayMs,
      settleGraceMs: opts.settleGraceMs,
    });
    deps.dispatcher.start();
    if (opts.warmup !== false) {
      deps.warmupEngine = new WarmupEngine(deps, deps.warmupConfig);
      deps.warmupEngine.start();
    }
    deps.placementTests.start();
    deps.health.start();
  }
  if (opts.feedback ?? opts.dispatch !== false) {
    deps.feedback = new FeedbackService(deps, { pollMs: opts.feedbackPollMs ?? 60_000, backoffMs: [1_000, 300_000] }, { ...defaultEngagement, ...opts.engagement });
    deps.feedback.start();
  }

  if (opts.webhooks ?? opts.dispatch !== false) {
    deps.webhookWorker = new WebhookWorker(deps, webhookRepo, webhookConfig);
    deps.webhookWorker.start();
  }

  // Off unless asked: tests and one-shot CLI commands must never query public blocklists.
  if (opts.blocklistScanHours && opts.blocklistScanHours > 0) {
    deps.blocklistScheduler = new BlocklistScheduler(deps, opts.blocklistScanHours * 3_600_000);
    deps.blocklistScheduler.start();
  }

  // Hourly reads of each workspace's DMARC reports mailbox (due times on the injected clock).
  if (opts.dmarcSchedule ?? opts.dispatch !== false) deps.dmarc.start();
  if (opts.authCheckSchedule ?? opts.dispatch !== false) deps.authChecks.startSchedule();
  if (opts.dkimCheckSchedule ?? opts.dispatch !== false) deps.dkim.start();

  // The long-running process hears of mailboxes the CLI adds, edits or deletes next to it.
  const outside = opts.dispatch !== false ? outsideMailboxChanges(deps) : null;
  outside?.start();

  let closing: Promise<void> | null = null;
  const call = createCall(createHandlers(deps), log, () => closing !== null);

  return {
    deps,
    call,
    subscribe: (listener) => deps.bus.subscribe(listener),
    async authenticate(token) {
      const a = await deps.tokens.authenticate(token);
      return a ? { workspaceId: a.workspaceId, scopes: a.scopes, tokenId: a.tokenId } : null;
    },
    async metrics() {
      return { contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
    },
    async ready() {
      const checks: Record<string, { ok: boolean; detail?: string }> = {};
      try {
        db.sqlite.prepare('SELECT 1').get();
        checks.database = { ok: true };
      } catch (e) {
        checks.database = { ok: false, detail: (e as Error).message };
      }
      const s = secrets.describe();
      checks.secretStore = s.ok ? { ok: true } : { ok: false, detail: s.detail ?? 'unavailable' };
      checks.dispatcher = opts.dispatch === false ? { ok: true, detail: 'disabled' } : { ok: deps.dispatcher !== null && closing === null };
      return { ready: closing === null && Object.values(checks).every((c) => c.ok), checks };
    },
    defaultWorkspaceId: workspace.id,
    close(timeoutMs = 30_000) {
      closing ??= (async () => {
        outside?.stop();
        await deps.warmupEngine?.stop();
        deps.placementTests.stop();
        deps.health.stop();
        await deps.feedback?.stop();
        await deps.dmarc.stop();
        await deps.authChecks.stop();
        await deps.dkim.stop();
        await deps.blocklistScheduler?.stop();
        await deps.blocklists.stop();
        await deps.webhookWorker?.stop();
        await deps.dispatcher?.stop(timeoutMs);
        deps.transports.closeAll();
        await db.close();
      })();
      return closing;
    },
  };
}
