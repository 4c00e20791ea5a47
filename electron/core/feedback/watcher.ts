import type { ImapFlow } from 'imapflow';
import type { MailboxRow, MessageRow } from '../db/schema';
import type { Logger } from '../log';
import type { MailboxService } from '../mailboxes/service';
import type { CredentialOf, MailCredential } from '../mail/credential';
import { isKilnError } from '../../../shared/errors';
import { classifyImapError, fetchHeaderFields, fetchSourceUpTo, imapClient, openUidValidity, resolveFolders, withFolder, type WatchedFolder } from '../mail/imap';
import { pollFolder, type PollContext } from './poll';
import { engageDue, fileSentCopies, type EngageContext } from './engage';
import { providerRecord, type FeedbackLoop } from '../providers';
import type { ReportRecorder } from './reports';

const MAX_REPORT_BYTES = 5 * 1024 * 1024;
const MAX_TEST_COPY_BYTES = 10 * 1024 * 1024;

/** What a watcher needs from the feedback service. */
export type WatcherContext = PollContext &
  EngageContext & {
    reports: ReportRecorder;
    /** A placement-test message's copy as this seed's server stored it. */
    onTestCopy(message: MessageRow, recipient: string, source: Buffer): Promise<void>;
    /** The header block of a Kiln message as this mailbox's server stored it. */
    onReceivedHeaders(message: MessageRow, headers: Buffer): Promise<void>;
  };

// What the domain checks learn from a received copy: DKIM selectors, the hops, the envelope.
const LEARN_HEADERS = ['from', 'return-path', 'received', 'dkim-signature'];

export interface WatcherOptions {
  /** Longest wait between polls; new INBOX mail wakes the watcher at once through IDLE. */
  pollMs: number;
  /** Reconnect backoff: first delay and cap, in ms (doubled per failure, with ±20 % jitter). */
  backoffMs: [number, number];
  /** How often overdue messages are marked missing (default 60 s). */
  sweepMs?: number;
}

/** What one mailbox's IMAP watcher uses. */
export interface MailboxWatcherNeeds {
  config: { ca?: string[] };
  log: Logger;
  credentialOf: CredentialOf<MailboxRow>;
  mailboxes: Pick<MailboxService, 'flag'>;
}

/**
 * One IMAP connection per readable mailbox: poll INBOX and the spam folder for what is new, then
 * wait in IDLE on INBOX (or the poll interval, for the spam folder) and poll again. Connection
 * failures reconnect with backoff and jitter; a refused login stops the watcher with a coded
 * error on the mailbox until its credentials change (then the service starts a new one).
 */
export class MailboxWatcher {
  private stopped = false;
  private client: ImapFlow | null = null;
  private wake: (() => void) | null = null;
  private sleeping: NodeJS.Timeout | null = null;
  private done: Promise<void> | null = null;
  private readonly loop: FeedbackLoop;
  /** Completed poll rounds: lets tests and `doctor` see progress. */
  rounds = 0;

  /** What the last session signed in with (an OAuth token source can be renewed once after a refusal). */
  private credential: MailCredential | null = null;

  constructor(
    private readonly deps: MailboxWatcherNeeds,
    private mailbox: MailboxRow,
    private readonly ctx: WatcherContext,
    private readonly opts: WatcherOptions,
    /** Fingerprint of the IMAP endpoint and credentials this watcher connects with. */
    readonly credentials: string,
  ) {
    this.loop = providerRecord(mailbox.provider).feedback;
  }

  start(): void {
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    if (this.sleeping) clearTimeout(this.sleeping);
    this.client?.close();
    await this.done;
  }

  /** Same IMAP endpoint and credentials reference as this row (no reconnect needed)? */
  /** Whether a (changed) mailbox row still connects the same way: then the session can stay. */
  matches(credentials: string): boolean {
    return this.credentials === credentials;
  }

  /** Take a newer row of the same mailbox (a display-name or SMTP change) without reconnecting. */
  adopt(row: MailboxRow): void {
    this.mailbox = row;
  }

  /** Poll now (e.g. a message was just sent to this mailbox). */
  nudge(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    let failures = 0;
    let renewed = false;
    while (!this.stopped) {
      try {
        await this.session(() => {
          failures = 0;
          renewed = false;
        });
      } catch (err) {
        if (this.stopped) break;
        // A revoked grant already put the mailbox in error (oauth/credentials.ts): wait for a new sign-in.
        if (isKilnError(err) && err.code === 'OAUTH_REVOKED') {
          this.deps.log.warn({ mailboxId: this.mailbox.id, code: err.code }, 'IMAP watcher stopped until the mailbox signs in again');
          return;
        }
        const f = classifyImapError(err);
        // A refused access token is refreshed once and tried again before the refusal counts.
        const c = this.credential;
        if (f.stage === 'auth' && c?.kind === 'oauth2' && !renewed) {
          renewed = true;
          await c.token(true).catch(() => {});
          continue;
        }
        // Only a refused login is final: servers go down and come back, a wrong password does not.
        if (f.stage === 'auth' && f.kind === 'permanent') {
          this.deps.log.warn({ mailboxId: this.mailbox.id, code: f.code, stage: f.stage }, 'IMAP watcher stopped until the mailbox settings change');
          await this.deps.mailboxes.flag(this.mailbox, { protocol: 'imap', stage: f.stage, code: f.code, message: f.message });
          return;
        }
        failures++;
        const [first, cap] = this.opts.backoffMs;
        const delay = Math.min(cap, first * 2 ** Math.min(failures - 1, 20)) * (0.8 + Math.random() * 0.4);
        this.deps.log.info({ mailboxId: this.mailbox.id, code: f.code, retryInMs: Math.round(delay) }, 'IMAP connection lost; reconnecting');
        await this.sleep(delay);
      }
    }
  }

  private async session(connected: () => void): Promise<void> {
    const mb = this.mailbox;
    this.credential = await this.deps.credentialOf(mb, 'imap');
    const client = imapClient(mb, this.credential, { ca: this.deps.config.ca, use: 'watch' });
    this.client = client;
    const closed = new Promise<never>((_, reject) => client.once('close', () => reject(Object.assign(new Error('IMAP connection closed'), { code: 'ECONNRESET' }))));
    closed.catch(() => {});
    client.on('exists', () => this.wake?.());
    try {
      // A refused or dropped connection may only show up as 'close': never wait on connect() alone.
      await Promise.race([client.connect(), closed]);
      connected();
      const folders = await resolveFolders(client, this.loop);
      while (!this.stopped) {
        await this.round(client, folders);
        // Keep INBOX selected between rounds so imapflow idles on it and EXISTS wakes us.
        await client.mailboxOpen('INBOX', { readOnly: true });
        await Promise.race([this.sleep(this.opts.pollMs), closed]);
      }
    } finally {
      this.client = null;
      client.close();
    }
  }

  private async round(client: ImapFlow, folders: WatchedFolder[]): Promise<void> {
    for (const folder of folders) {
      if (this.stopped) return;
      const { reports, sentCopies, testCopies, headerCopies } = await pollFolder(client, this.ctx, this.mailbox, folder);
      if (reports.length > 0) await this.readReports(client, folder.path, reports.map((r) => r.uid));
      if (testCopies.length > 0) await this.readTestCopies(client, folder.path, testCopies);
      if (headerCopies.length > 0) await this.readHeaders(client, folder.path, headerCopies);
      if (sentCopies.length > 0) await fileSentCopies(client, this.ctx, folder.path, sentCopies);
    }
    if (!this.stopped) await engageDue(client, this.ctx, this.mailbox, this.loop);
    this.rounds++;
  }

  /** Placement-test copies: their source goes to the test's report, to check how they authenticate. */
  private async readTestCopies(client: ImapFlow, folder: string, copies: { uid: number; message: MessageRow }[]): Promise<void> {
    await withFolder(
      client,
      folder,
      async () => {
        for (const { uid, message } of copies) {
          const source = await fetchSourceUpTo(client, uid, MAX_TEST_COPY_BYTES);
          if (source) await this.ctx.onTestCopy(message, this.mailbox.email, source);
        }
      },
      { readOnly: true },
    );
  }

  private async readHeaders(client: ImapFlow, folder: string, copies: { uid: number; message: MessageRow }[]): Promise<void> {
    await withFolder(
      client,
      folder,
      async () => {
        for (const { uid, message } of copies) {
          const headers = await fetchHeaderFields(client, uid, LEARN_HEADERS);
          if (headers) await this.ctx.onReceivedHeaders(message, headers);
        }
      },
      { readOnly: true },
    );
  }

  /** Download and record the reports a poll picked out (bounces, complaints, automatic replies). */
  private async readReports(client: ImapFlow, folder: string, uids: number[]): Promise<void> {
    await withFolder(
      client,
      folder,
      async () => {
        const uidvalidity = openUidValidity(client);
        for (const uid of uids) {
          // Reports are small; a huge one is not worth 25 MB of IMAP.
          const source = await fetchSourceUpTo(client, uid, MAX_REPORT_BYTES);
          if (source) await this.ctx.reports.handle(source, this.mailbox, `<${this.mailbox.id}/${folder}/${uidvalidity}/${uid}>`);
        }
      },
      { readOnly: true },
    );
  }

  /** Wait ms, or until woken. A sleep abandoned by a dropped session must not cancel the next one. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(), ms);
      timer.unref?.();
      const done = () => {
        clearTimeout(timer);
        if (this.wake === done) {
          this.wake = null;
          this.sleeping = null;
        }
        resolve();
      };
      this.wake = done;
      this.sleeping = timer;
    });
  }
}
