import type { LocalApiStatus } from '../../shared/domain/local-api';
import type { Core, CoreOptions } from './types';
import type { Db } from './db/connection';
import type { Clock } from './clock';
import type { SecretStore } from './secrets/secret-store';
import type { Logger } from './log';
import type { Metrics } from './metrics';
import type { DnsResolver } from './checks/resolver';
import type { QueueStore } from './sending/queue-store';
import type { TokenService } from './tokens/service';
import type { MailboxService } from './mailboxes/service';
import type { MessageService } from './messages/service';
import type { SuppressionService } from './suppressions/service';
import type { WarmupService } from './warmup/service';
import type { FleetService } from './fleet/service';
import type { RecipientService } from './recipients/service';
import type { PreferencesService } from './preferences/service';
import type { AlertService } from './alerts/service';
import type { AuthCheckService } from './checks/auth/service';
import type { DmarcService } from './dmarc/service';
import type { BlocklistService } from './checks/blocklists/service';
import type { WebhookService } from './webhooks/service';
import type { DkimService } from './dkim/service';
import type { PlacementTestService } from './placement-tests/service';
import type { HealthService } from './health/service';
import type { ReportService } from './reports/service';
import type { TemplateService } from './templates/service';
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
import { oauthAppService, type OAuthAppService } from './oauth/service';
import { tokenManager, type TokenManager } from './oauth/tokens';
import { serverResolver } from './oauth/servers';
import { mailCredentials, tokenProbes } from './oauth/credentials';
import { signInService, type SignInService } from './oauth/sign-ins/service';
import { webhookService } from './webhooks/service';
import { WebhookWorker, defaultWebhookConfig } from './webhooks/deliver';
import { dkimService } from './dkim/service';
import { placementTestService } from './placement-tests/service';
import { healthService } from './health/service';
import { reportService } from './reports/service';
import { templateService } from './templates/service';
import { outsideMailboxChanges } from './mailboxes/outside-changes';
import { reactToMailboxChanges } from './sending/mailbox-reactions';

export const DEFAULT_BACKOFF_MINUTES = [1, 5, 15, 60];

/**
 * Everything createCore built, by name: what the API handlers are made from, and a handle for
 * tests and the CLI. No service receives this record: each gets only what its needs interface lists.
 */
export interface CoreServices {
  db: Db;
  clock: Clock;
  secrets: SecretStore;
  bus: EventBus;
  log: Logger;
  metrics: Metrics;
  config: { ca?: string[]; version: string; localApi?: () => LocalApiStatus };
  dns: DnsResolver;
  transports: TransportPool;
  queue: QueueStore;
  tokens: TokenService;
  mailboxes: MailboxService;
  messages: MessageService;
  suppressions: SuppressionService;
  warmup: WarmupService;
  warmupConfig: WarmupConfig;
  fleet: FleetService;
  recipients: RecipientService;
  preferences: PreferencesService;
  alerts: AlertService;
  authChecks: AuthCheckService;
  dmarc: DmarcService;
  blocklists: BlocklistService;
  /** Null unless the `blocklistScanHours` option turns scheduled scans on. */
  blocklistScheduler: BlocklistScheduler | null;
  webhooks: WebhookService;
  oauthApps: OAuthAppService;
  /** Access tokens of OAuth mailboxes (memory only). */
  oauthTokens: TokenManager;
  /** OAuth sign-ins in progress (memory only). */
  oauthSignIns: SignInService;
  /** Null when off (dispatch off, or `webhooks: false`). */
  webhookWorker: WebhookWorker | null;
  dkim: DkimService;
  placementTests: PlacementTestService;
  health: HealthService;
  reports: ReportService;
  templates: TemplateService;
  dispatcher: Dispatcher | null;
  /** Null when dispatch or warmup is off. */
  warmupEngine: WarmupEngine | null;
  feedback: FeedbackService | null;
}

export interface CoreInternals extends Core {
  services: CoreServices;
}

/**
 * Open the data folder, migrate, and wire the services: the one composition root. Services are
 * built in dependency order; a feature reacts to another's changes through the bus. Never imports Electron.
 */
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
  const bus = new EventBus();
  const config = { ca: opts.ca, version, localApi: opts.localApi };
  const dns = createResolver({ servers: opts.dnsServers });
  const oauthApps = oauthAppService({ db, clock, secrets, log });
  const serverFor = serverResolver({ fetch: opts.oauthFetch });
  const oauthTokens = tokenManager({ clock, secrets, log, serverFor });
  const oauthSignIns = signInService({ db, clock, log, oauthApps, serverFor, openBrowser: opts.openBrowser, publicUrl: typeof opts.publicUrl === 'function' ? opts.publicUrl : () => opts.publicUrl as string | undefined });
  const credentialOf = mailCredentials({ secretOf, tokens: oauthTokens, apps: oauthApps, bus });
  const tokenProbeOf = tokenProbes({ secretOf, tokens: oauthTokens, apps: oauthApps, bus });
  const transports = new TransportPool({ ca: opts.ca, credentialOf });
  const queue = queueStore(db.sqlite);
  const base = { db, clock, bus, log };
  // Built further down when dispatch is on; services built before them reach them through these.
  let dispatcher: Dispatcher | null = null;
  let webhookWorker: WebhookWorker | null = null;
  const kick = (mailboxId?: string) => dispatcher?.kick(mailboxId);

  const tokens = tokenService(db.kysely, clock);
  const suppressions = suppressionService(db, clock);
  const templates = templateService({ db, clock });
  const messages = messageService({ ...base, suppressions, templates, kick });
  const warmups = warmupStore(db.sqlite);
  const warmupChanged = (mailboxId: string) => {
    const w = warmups.settings(mailboxId);
    if (w) bus.emit(w.workspace_id, 'warmup.updated', toWarmupStatus(w));
  };
  const warmupConfig = new WarmupConfig({ ...base, secrets }, warmupChanged, opts.content);
  const warmup = warmupService({ db, clock, warmupConfig }, warmups, warmupChanged);
  const alerts = alertService(base);
  const mailboxes = mailboxService({ ...base, secrets, dns, config, secretOf, messages, warmup, alerts, oauthApps, signIns: oauthSignIns, tokenProbeOf });
  const fleet = fleetService({ db, clock, warmup });
  const recipients = recipientService({ db, clock, bus, suppressions });
  const preferences = preferencesService({ db, clock, bus });
  const dkim = dkimService({ db, clock, dns, log, secrets, secretOf });
  const dmarc = dmarcService({ ...base, credentialOf, config });
  const authChecks = authCheckService({ ...base, dns, alerts, dkim, dmarc });
  const blocklists = blocklistService({ ...base, dns, secrets, alerts });
  const webhookRepo = webhookRepository(db);
  const webhookConfig = {
    ...defaultWebhookConfig,
    allowPrivate: opts.webhookAllowPrivate ?? process.env.KILN_WEBHOOK_ALLOW_PRIVATE === '1',
    timeoutMs: opts.webhookTimeoutMs ?? defaultWebhookConfig.timeoutMs,
  };
  const webhooks = webhookService({ ...base, secrets, config, kick: () => webhookWorker?.kick() }, webhookRepo, webhookConfig);
  bus.subscribe((e) => webhooks.onEvent(e));
  const placementTests = placementTestService({ ...base, dns, mailboxes, messages, warmupConfig, authChecks });
  const health = healthService({ ...base, alerts, dmarc, placementTests });
  const reports = reportService({ ...base, health, authChecks, blocklists, alerts, placementTests, messages, printPdf: opts.printPdf });

  metrics.setSources({
    countByStatus: () => queue.countByStatus(),
    queueDepth: () => {
      const w = queue.waiting();
      return w.queued + w.retryScheduled;
    },
  });

  const workspace = await workspaceRepository(db.kysely).ensureDefault(clock.now());
  let warmupEngine: WarmupEngine | null = null;
  if (opts.dispatch !== false) {
    dispatcher = new Dispatcher({ bus, clock, log, metrics, transports, dkim, suppressions, sqlite: db.sqlite, ca: opts.ca, credentialOf }, queue, {
      dataDir: opts.dataDir,
      holder: opts.lockHolder,
      backoffMinutes: opts.retryBackoffMinutes ?? DEFAULT_BACKOFF_MINUTES,
      pollMs: opts.pollMs,
      commitDelayMs: opts.commitDelayMs,
      settleGraceMs: opts.settleGraceMs,
    });
    dispatcher.start();
    if (opts.warmup !== false) {
      warmupEngine = new WarmupEngine({ db, clock, log, suppressions, kick }, warmupConfig);
      warmupEngine.start();
    }
    placementTests.start();
    health.start();
    reports.weekly.start();
  }
  // Mailbox changes reach the sending side here: close a stopped mailbox's transport, wake the dispatcher.
  reactToMailboxChanges({ bus, transports, dispatcher });
  let feedback: FeedbackService | null = null;
  if (opts.feedback ?? opts.dispatch !== false) {
    feedback = new FeedbackService(
      { ...base, secretOf, credentialOf, config, mailboxes, messages, preferences, placementTests, authChecks, warmupEngine },
      { pollMs: opts.feedbackPollMs ?? 60_000, backoffMs: [1_000, 300_000] },
      { ...defaultEngagement, ...opts.engagement },
    );
    feedback.start();
  }

  if (opts.webhooks ?? opts.dispatch !== false) {
    webhookWorker = new WebhookWorker({ ...base, secrets, config }, webhookRepo, webhookConfig, { busy: () => dispatcher?.busy ?? false });
    webhookWorker.start();
  }

  // Off unless asked: tests and one-shot CLI commands must never query public blocklists.
  let blocklistScheduler: BlocklistScheduler | null = null;
  if (opts.blocklistScanHours && opts.blocklistScanHours > 0) {
    blocklistScheduler = new BlocklistScheduler({ clock, log, blocklists }, opts.blocklistScanHours * 3_600_000);
    blocklistScheduler.start();
  }

  // Hourly reads of each workspace's DMARC reports mailbox (due times on the injected clock).
  if (opts.dmarcSchedule ?? opts.dispatch !== false) dmarc.start();
  if (opts.authCheckSchedule ?? opts.dispatch !== false) authChecks.startSchedule();
  if (opts.dkimCheckSchedule ?? opts.dispatch !== false) dkim.start();

  // The long-running process hears of mailboxes the CLI adds, edits or deletes next to it.
  const outside = opts.dispatch !== false ? outsideMailboxChanges(base) : null;
  outside?.start();

  const services: CoreServices = {
    ...base,
    secrets,
    metrics,
    config,
    dns,
    transports,
    queue,
    tokens,
    mailboxes,
    messages,
    suppressions,
    warmup,
    warmupConfig,
    fleet,
    recipients,
    preferences,
    alerts,
    authChecks,
    dmarc,
    blocklists,
    blocklistScheduler,
    webhooks,
    oauthApps,
    oauthTokens,
    oauthSignIns,
    webhookWorker,
    dkim,
    placementTests,
    health,
    reports,
    templates,
    dispatcher,
    warmupEngine,
    feedback,
  };

  let closing: Promise<void> | null = null;
  const call = createCall(createHandlers(services), log, () => closing !== null);

  return {
    services,
    call,
    subscribe: (listener) => bus.subscribe(listener),
    oauthCallback: (params) => oauthSignIns.serverCallback(params),
    async authenticate(token) {
      const a = await tokens.authenticate(token);
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
      checks.dispatcher = opts.dispatch === false ? { ok: true, detail: 'disabled' } : { ok: dispatcher !== null && closing === null };
      return { ready: closing === null && Object.values(checks).every((c) => c.ok), checks };
    },
    defaultWorkspaceId: workspace.id,
    close(timeoutMs = 30_000) {
      closing ??= (async () => {
        outside?.stop();
        oauthSignIns.close();
        await warmupEngine?.stop();
        placementTests.stop();
        health.stop();
        await reports.weekly.stop();
        await feedback?.stop();
        await dmarc.stop();
        await authChecks.stop();
        await dkim.stop();
        await blocklistScheduler?.stop();
        await blocklists.stop();
        await webhookWorker?.stop();
        await dispatcher?.stop(timeoutMs);
        transports.closeAll();
        await db.close();
      })();
      return closing;
    },
  };
}
