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
import type { DnsResolver } from './checks/resolver';

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
  dispatcher: Dispatcher | null;
  /** The warmup scheduler; null when dispatch is off. */
  warmupEngine: WarmupEngine | null;
  feedback: FeedbackService | null;
}
