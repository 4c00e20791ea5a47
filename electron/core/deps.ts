import type { Db } from './db/connection';
import type { Clock } from './clock';
import type { SecretStore } from './secrets/secret-store';
import type { EventBus } from './events/bus';
import type { Logger } from './log';
import type { Metrics } from './metrics';
import type { TransportPool } from './sending/transports';
import type { Dispatcher } from './sending/dispatcher';
import type { QueueStore } from './sending/queue-store';
import type { FeedbackService } from './feedback/service';
import type { MailboxService } from './mailboxes/service';
import type { MessageService } from './messages/service';
import type { SuppressionService } from './suppressions/service';
import type { TokenService } from './tokens/service';
import type { WarmupService } from './warmup/service';
import type { WarmupConfig } from './warmup/config';
import type { WarmupEngine } from './warmup/engine';
import type { FleetService } from './fleet/service';
import type { RecipientService } from './recipients/service';
import type { PreferencesService } from './preferences/service';
import type { AlertService } from './alerts/service';
import type { AuthCheckService } from './checks/auth/service';
import type { DmarcService } from './dmarc/service';
import type { WebhookService } from './webhooks/service';
import type { WebhookWorker } from './webhooks/deliver';
import type { DnsResolver } from './checks/resolver';
import type { BlocklistService } from './checks/blocklists/service';
import type { BlocklistScheduler } from './checks/blocklists/scheduler';
import type { DkimService } from './dkim/service';
import type { PlacementTestService } from './placement-tests/service';
import type { HealthService } from './health/service';

/** What the core's services share. Built once in app.ts; services read siblings lazily. */
export interface Deps {
  db: Db;
  clock: Clock;
  secrets: SecretStore;
  bus: EventBus;
  log: Logger;
  metrics: Metrics;
  config: { ca?: string[]; version: string };
  /** The resolver of every deliverability check (configured servers or the system's). */
  dns: DnsResolver;
  transports: TransportPool;
  /** The send queue's prepared statements (dispatcher hot path, queue depth). */
  queue: QueueStore;
  /** A stored secret or SECRET_NOT_FOUND (the message never includes the value). */
  secretOf(ref: string): Promise<string>;
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
  /** DNS authentication checks (SPF, DKIM, DMARC, MX, PTR, MTA-STS, TLS-RPT, BIMI) and their daily schedule. */
  authChecks: AuthCheckService;
  /** DMARC aggregate reports; its schedule timer runs only when the core was asked to (see app.ts). */
  dmarc: DmarcService;
  blocklists: BlocklistService;
  /** Scheduled blocklist scans; null unless the `blocklistScanHours` option turns them on. */
  blocklistScheduler: BlocklistScheduler | null;
  webhooks: WebhookService;
  /** Sends webhook deliveries; null when off (dispatch off, or `webhooks: false`). */
  webhookWorker: WebhookWorker | null;
  dkim: DkimService;
  placementTests: PlacementTestService;
  health: HealthService;
  dispatcher: Dispatcher | null;
  /** The warmup scheduler; null when dispatch is off. */
  warmupEngine: WarmupEngine | null;
  feedback: FeedbackService | null;
}
