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
import { createResolver } from './checks/resolver';

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
    deps.dispatcher = new Dispatcher(deps, queue, { dataDir: opts.dataDir, backoffMinutes: opts.retryBackoffMinutes ?? DEFAULT_BACKOFF_MINUTES, pollMs: opts.pollMs });
    deps.dispatcher.start();
    if (opts.warmup !== false) {
      deps.warmupEngine = new WarmupEngine(deps, deps.warmupConfig);
      deps.warmupEngine.start();
    }
  }
  if (opts.feedback ?? opts.dispatch !== false) {
    deps.feedback = new FeedbackService(deps, { pollMs: opts.feedbackPollMs ?? 60_000, backoffMs: [1_000, 300_000] }, { ...defaultEngagement, ...opts.engagement });
    deps.feedback.start();
  }

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
        await deps.warmupEngine?.stop();
        await deps.feedback?.stop();
        await deps.dispatcher?.stop(timeoutMs);
        deps.transports.closeAll();
        await db.close();
      })();
      return closing;
    },
  };
}
