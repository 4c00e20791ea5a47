import type { OAuthFetch } from './oauth/servers';
import type { Envelope } from '../../shared/errors';
import type { MethodName } from '../../shared/api/table';
import type { PushEvent } from '../../shared/api/events';
import type { CallContext } from './api/context';
import type { SecretStore } from './secrets/secret-store';
import type { Clock } from './clock';
import type { Logger } from './log';
import type { EngagementSettings } from './feedback/plan';
import type { ContentProvider } from './warmup/content';
import type { LocalApiStatus } from '../../shared/domain/local-api';
import type { PrintPdf } from './reports/print';


export interface CoreOptions {
  /** Data folder: kiln.db, secrets, key file. Created if missing. */
  dataDir: string;
  /** Defaults to the encrypted file store in dataDir. The desktop shell passes its safeStorage store. */
  secretStore?: SecretStore;
  clock?: Clock;
  /** Prints a report to PDF (reports.pdf); absent: PDF_UNAVAILABLE. The desktop passes printToPDF, headless Chromium or the plain printer. */
  printPdf?: PrintPdf;
  /** Extra CA certificates (PEM) trusted for SMTP/IMAP TLS, e.g. a private relay's self-signed cert. */
  ca?: string[];
  /** Retry backoff in minutes for transient SMTP failures; default [1, 5, 15, 60]. */
  retryBackoffMinutes?: number[];
  /** Start the send dispatcher (default true). */
  dispatch?: boolean;
  logLevel?: string;
  /** A pino logger; default: JSON lines on stderr. */
  logger?: Logger;
  /** 'auto' and 'file' use the encrypted file store; 'keytar' the OS keychain. Ignored when secretStore is given. */
  secretBackend?: 'auto' | 'file' | 'keytar';
  /** Dispatcher poll interval in ms (default 1000). */
  pollMs?: number;
  /** Group-commit window of the send queue in ms (default 20). Tests widen it to hold a crash window open. */
  commitDelayMs?: number;
  /** How long an interrupted send is searched for in readable mailboxes before it is resent once (default 5 minutes). */
  settleGraceMs?: number;
  /** Watch readable mailboxes over IMAP for placements (default: on when dispatch is on). */
  feedback?: boolean;
  /** Longest wait between IMAP polls in ms (default 60 000; INBOX wakes at once through IDLE). */
  feedbackPollMs?: number;
  /** How receiving mailboxes engage with Kiln mail (rates 0..1); defaults until ramps exist. */
  engagement?: Partial<EngagementSettings>;
  /** Run the warmup scheduler (default: on when dispatch is on). */
  warmup?: boolean;
  /** Replace every workspace's warmup content provider (tests, benchmarks). */
  content?: ContentProvider;
  /** DNS servers for deliverability checks (`ip` or `ip:port`); default: the system's. */
  dnsServers?: string[];
  /** Check every mailbox domain's DNS authentication daily (default: on when dispatch is on; the first pass runs an hour after start). */
  authCheckSchedule?: boolean;
  /** Read DMARC reports mailboxes on their schedule (default: on when dispatch is on); `dmarc.ingest` works either way. */
  dmarcSchedule?: boolean;
  /** Re-check pending DKIM keys' TXT records (default: on when dispatching). */
  dkimCheckSchedule?: boolean;
  /** Scan every workspace's DNS blocklists this often (hours, on the injected clock); absent or 0: no scheduled scans. */
  blocklistScanHours?: number;
  /** Run the webhook delivery worker (default: on when dispatch is on). Deliveries are queued either way. */
  webhooks?: boolean;
  /** Let webhooks target loopback/private/link-local addresses and plain http (default: env KILN_WEBHOOK_ALLOW_PRIVATE=1). */
  webhookAllowPrivate?: boolean;
  /** The fetch token requests go through (unit tests give a fake; default: the global fetch). */
  oauthFetch?: OAuthFetch;
  /** Desktop: open the system browser (a sign-in's provider page); the core never opens one itself. */
  openBrowser?: (url: string) => Promise<void> | void;
  /** `kiln serve`'s origin as browsers reach it: OAuth sign-ins of the server flow come back to <publicUrl>/oauth/callback. */
  publicUrl?: string | (() => string | undefined);
  /** Deadline of one webhook attempt in ms (default 10 000). */
  webhookTimeoutMs?: number;
  /** Who this process is, in words, when another is refused the data folder ("kiln serve", "the Kiln desktop app"). */
  lockHolder?: string;
  /** Desktop: the state of the main process's local REST API (`system.localApi`); absent elsewhere. */
  localApi?: () => LocalApiStatus;
}

/** The surface every shell (REST server, Electron IPC, CLI) uses. */
export interface Core {
  /** Validate, authorise and run one API method; never throws: errors come back in the envelope. */
  call(method: MethodName, input: unknown, ctx: CallContext): Promise<Envelope<unknown>>;
  /** Subscribe to push events of every workspace; filter by workspaceId. Returns an unsubscribe. */
  subscribe(listener: (event: PushEvent) => void): () => void;
  /** A browser back from an OAuth provider at the server's /oauth/callback: the page to answer (no token needed). */
  oauthCallback?(params: URLSearchParams): Promise<{ status: number; html: string }>;
  /** Resolve a bearer token to a call context; null when unknown or revoked. */
  authenticate(token: string): Promise<CallContext | null>;
  /** Prometheus exposition of Kiln's metrics. */
  metrics(): Promise<{ contentType: string; body: string }>;
  /** Readiness: database answers, secret store usable, dispatcher running. */
  ready(): Promise<{ ready: boolean; checks: Record<string, { ok: boolean; detail?: string }> }>;
  /** The workspace local callers (desktop, CLI) act in. */
  defaultWorkspaceId: string;
  /** Stop intake, let in-flight sends finish (up to timeoutMs), close transports and the database. */
  close(timeoutMs?: number): Promise<void>;
}
