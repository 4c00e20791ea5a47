import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import type { MailboxRow, MessageRow } from '../db/schema';
import type { Ramp } from '../../../shared/warmup/ramp';
import type { Db } from '../db/connection';
import type { Clock } from '../clock';
import type { EventBus } from '../events/bus';
import type { Logger } from '../log';
import type { MailboxService } from '../mailboxes/service';
import type { MessageService } from '../messages/service';
import type { PreferencesService } from '../preferences/service';
import type { PlacementTestService } from '../placement-tests/service';
import type { AuthCheckService } from '../checks/auth/service';
import type { WarmupEngine } from '../warmup/engine';
import { parseJson } from '../util/json';
import type { MailboxError } from '../../../shared/domain/mailbox';
import { MailboxWatcher, type WatcherContext, type WatcherOptions } from './watcher';
import { feedbackStore } from './store';
import { messageByRef } from './recognise';
import { defaultBounceRules, reportRecorder } from './reports';
import { isKilnError } from '../../../shared/errors';
import { defaultEngagement, type EngagementSettings } from './plan';
import { engagementConsent, type EngagementConsent } from './consent';
import type { CredentialOf } from '../mail/credential';
import { hasImapAccess } from '../mail/imap';

/** A mailbox is watched when it has IMAP settings and its IMAP side is not known to be broken. */
function watchable(row: MailboxRow): boolean {
  if (row.deleted_at != null || !hasImapAccess(row)) return false;
  return parseJson<MailboxError>(row.last_error)?.protocol !== 'imap';
}

/** What the feedback loop uses; `warmupEngine` is null when the warmup scheduler is off. */
export interface FeedbackServiceNeeds {
  db: Db;
  clock: Clock;
  bus: EventBus;
  log: Logger;
  secretOf(ref: string): Promise<string>;
  credentialOf: CredentialOf<MailboxRow>;
  config: { ca?: string[] };
  mailboxes: Pick<MailboxService, 'flag'>;
  messages: Pick<MessageService, 'enqueue'>;
  preferences: Pick<PreferencesService, 'current'>;
  placementTests: Pick<PlacementTestService, 'recordCopy'>;
  authChecks: Pick<AuthCheckService, 'learnHeaders'>;
  warmupEngine: Pick<WarmupEngine, 'planReply'> | null;
}

/** Runs one watcher per readable mailbox and keeps the set in step with mailbox changes. */
export class FeedbackService {
  private watchers = new Map<string, MailboxWatcher>();
  private unsubscribe: (() => void) | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private refreshing = new Map<string, Promise<void>>();
  /** When each sending mailbox's received headers last taught the domain checks. */
  private readonly learnedAt = new Map<string, number>();
  private readonly ctx: WatcherContext;
  private readonly rows: { all(): MailboxRow[]; one(id: string): MailboxRow | undefined };
  private readonly rampOf: BetterSqlite3.Statement;
  private readonly mayEngage: EngagementConsent;

  constructor(
    private readonly deps: FeedbackServiceNeeds,
    private readonly opts: WatcherOptions,
    engagement: EngagementSettings = defaultEngagement,
  ) {
    const sqlite = deps.db.sqlite;
    const all = sqlite.prepare('SELECT * FROM mailboxes WHERE deleted_at IS NULL');
    const one = sqlite.prepare('SELECT * FROM mailboxes WHERE id = ?');
    this.rows = { all: () => all.all() as MailboxRow[], one: (id) => one.get(id) as MailboxRow | undefined };
    const store = feedbackStore(sqlite);
    this.rampOf = sqlite.prepare('SELECT ramp FROM warmup_settings WHERE mailbox_id = ?').pluck();
    this.mayEngage = engagementConsent(sqlite, (ws) => deps.preferences.current(ws).engagement.otherKilnMail);
    this.ctx = {
      reports: reportRecorder(deps, store, defaultBounceRules),
      store,
      engagement,
      messageByRef: messageByRef(sqlite),
      now: () => deps.clock.now(),
      onPlacement: (m, placement, recipient) => deps.bus.emit(m.workspace_id, 'message.updated', { id: m.id, mailboxId: m.mailbox_id, status: m.status as never, event: `placement:${placement}`, recipient }),
      onReplied: (m, recipient) => deps.bus.emit(m.workspace_id, 'message.updated', { id: m.id, mailboxId: m.mailbox_id, status: m.status as never, event: 'replied', recipient }),
      onResync: (folder, from, to) => deps.log.info({ folder, from, to }, 'UIDVALIDITY changed; resyncing folder'),
      onTestCopy: (m, recipient, source) => deps.placementTests.recordCopy(m, recipient, source),
      // Once a day per sending mailbox, a received copy tells the domain checks its DKIM selectors and sending IP.
      wantsHeadersOf: (m) => {
        const last = this.learnedAt.get(m.mailbox_id);
        if (last !== undefined && deps.clock.now() - last < 86_400_000) return false;
        this.learnedAt.set(m.mailbox_id, deps.clock.now());
        return true;
      },
      onReceivedHeaders: async (m, headers) => {
        try {
          await deps.authChecks.learnHeaders(m.workspace_id, headers.toString('latin1'), m.mailbox_id);
        } catch (e) {
          deps.log.debug({ messageId: m.id, err: (e as Error).message }, 'could not learn from received headers');
        }
      },
      originalText: (id) => this.ctx.store.content(id)?.text_body ?? '',
      engagementFor: (m, receiver) => (this.mayEngage(m, receiver) ? this.engagementFor(m) : null),
      sendReply: async (from, original, text, subject) => {
        // A reply to warmup mail is planned for later, like a person's. Other Kiln mail reaches here
        // only when its workspace allowed engagement with it, and is answered at once.
        if (deps.warmupEngine && original.kind === 'warmup') return deps.warmupEngine.planReply(from, original);
        const references = original.references ? `${original.references} ${original.message_id}` : original.message_id;
        try {
          await deps.messages.enqueue(from.workspace_id, { mailboxId: from.id, to: [original.from_addr], subject, text }, 'reply', { inReplyTo: original.message_id, references });
          return true;
        } catch (e) {
          if (isKilnError(e) && e.code === 'RECIPIENT_SUPPRESSED') return false;
          throw e;
        }
      },
    };
  }

  /**
   * How the pool treats a message: warmup mail follows its sender's ramp (open, important, reply,
   * rescue %), everything else the defaults. Dwell, filing and retention stay the receiver's.
   */
  private engagementFor(m: MessageRow): EngagementSettings {
    const base = this.ctx.engagement;
    if (m.kind !== 'warmup' && m.kind !== 'reply') return base;
    const json = this.rampOf.get(m.mailbox_id) as string | undefined;
    const r = json ? parseJson<Ramp>(json) : null;
    if (!r) return base;
    return { ...base, open: r.openPct / 100, flag: r.importantPct / 100, reply: r.replyPct / 100, rescue: r.rescuePct / 100 };
  }

  start(): void {
    for (const row of this.rows.all()) if (watchable(row)) this.queueRefresh(row.id);
    this.sweeper = setInterval(() => this.sweep(), this.opts.sweepMs ?? 60_000);
    this.sweeper.unref();
    // Settings changed, paused, resumed or deleted: restart or stop that mailbox's watcher.
    this.unsubscribe = this.deps.bus.subscribe((e) => {
      if (e.name === 'mailbox.updated' || e.name === 'mailbox.deleted') this.queueRefresh((e.data as { id: string }).id);
    });
  }

  /** Messages to readable mailboxes never seen there within missingAfterMs become `missing`. */
  sweep(): number {
    const now = this.deps.clock.now();
    const { missingAfterMs } = this.ctx.engagement;
    const rows = this.ctx.store.markMissing(now - missingAfterMs, now - missingAfterMs - 7 * 86_400_000, now);
    for (const r of rows) this.deps.bus.emit(r.workspace, 'message.updated', { id: r.messageId, mailboxId: r.sender, status: 'sent', event: 'placement:missing', recipient: r.recipient });
    return rows.length;
  }

  async stop(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.unsubscribe?.();
    await Promise.allSettled([...this.refreshing.values()]);
    await Promise.all([...this.watchers.values()].map((w) => w.stop()));
    this.watchers.clear();
  }

  /** Resolves once every queued watcher refresh (after mailbox changes) has run. */
  async settled(): Promise<void> {
    while (this.refreshing.size > 0) await Promise.allSettled([...this.refreshing.values()]);
  }

  /** Poll a mailbox now (its watcher, if any). */
  nudge(mailboxId: string): void {
    this.watchers.get(mailboxId)?.nudge();
  }

  watcher(mailboxId: string): MailboxWatcher | undefined {
    return this.watchers.get(mailboxId);
  }

  private watch(row: MailboxRow, credentials: string): void {
    const w = new MailboxWatcher(this.deps, row, this.ctx, this.opts, credentials);
    this.watchers.set(row.id, w);
    w.start();
  }

  /** Refreshes of one mailbox run one after another: two quick updates must not start two watchers. */
  private queueRefresh(id: string): void {
    const next = (this.refreshing.get(id) ?? Promise.resolve()).then(() => this.refresh(id)).catch((err: unknown) => this.deps.log.error({ err, mailboxId: id }, 'watcher refresh failed'));
    this.refreshing.set(id, next);
    void next.finally(() => {
      if (this.refreshing.get(id) === next) this.refreshing.delete(id);
    });
  }

  private async refresh(id: string): Promise<void> {
    const row = this.rows.one(id);
    const current = this.watchers.get(id);
    // Only a change of IMAP settings or credentials needs a new connection: Kiln's own updates
    // (an SMTP error flag, a display name) keep the session and its IDLE.
    const credentials = row && watchable(row) ? await this.credentialsOf(row) : null;
    if (current && row && credentials !== null && current.matches(credentials)) {
      current.adopt(row);
      return;
    }
    if (current) {
      this.watchers.delete(id);
      await current.stop();
    }
    if (row && credentials !== null) this.watch(row, credentials);
  }

  /** A one-way fingerprint of how the watcher connects (never the password itself). */
  private async credentialsOf(row: MailboxRow): Promise<string> {
    let secret: string;
    try {
      // OAuth: the grant's ref, which a new sign-in changes and a rotated refresh token does not.
      secret = row.auth_kind === 'oauth2' ? `oauth:${row.oauth_app_id}:${row.oauth_secret_ref}` : await this.deps.secretOf(row.imap_secret_ref!);
    } catch {
      // Unreadable now: a fresh value, so a later readable secret always reconnects.
      secret = `unreadable:${row.updated_at}`;
    }
    return createHash('sha256').update([row.imap_host, row.imap_port, row.imap_security, row.imap_user, secret].join('\u0000')).digest('hex');
  }
}
