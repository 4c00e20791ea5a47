import type { MailboxRow, MessageRow, RecipientRow } from '../db/schema';
import type { Deps } from '../deps';
import { startOfDayInZone } from '../util/time';
import type { QueueEvent, QueueStore, RecipientOutcome } from './queue-store';
import { failureOf, recipientOutcomes, toSendError, type SentInfo } from './outcome';
import type { SmtpFailure } from '../mail/smtp-errors';

export interface DispatcherOptions {
  /** How often due messages are looked for when nothing kicks the dispatcher. */
  pollMs?: number;
  /** Minutes to wait before each retry of a transient failure; attempts = length + 1. */
  backoffMinutes: number[];
  /** SMTP connections per mailbox (must match the transport pool's maxConnections). */
  connectionsPerMailbox?: number;
}

type Result = { ok: true; info: SentInfo } | { ok: false; err: unknown };

/** A message handed to a mailbox's nodemailer pool. */
interface Handed {
  row: MessageRow;
  recipients: RecipientRow[];
  /** Settles when nodemailer is done with it; never rejects. */
  done: Promise<Result>;
  abort: AbortController;
  /** Marked `sending` in the database (it may be on the wire). */
  promoted: boolean;
  startedAt: number;
}

/**
 * Per mailbox: the messages on the wire (`sending` in SQLite, at most one per connection) and at
 * most one message handed to the pool ahead of time but still `queued` in SQLite. The pool only
 * starts that one after a wire message completes, and our completion code runs first (a
 * microtask, before nodemailer's setImmediate release), marking it `sending` just in time. So a
 * crash finds exactly the messages that may have been transmitted in `sending`, while the
 * connection never idles waiting for bookkeeping.
 */
interface Lane {
  wire: Set<Handed>;
  ahead: Handed | null;
}

const DAY_MS = 86_400_000;

/** Moves queued messages through SMTP; lease and record are synchronous SQLite transactions. */
export class Dispatcher {
  private lanes = new Map<string, Lane>();
  private running = new Set<Promise<unknown>>();
  /** Mailboxes whose daily quota is used up, until the start of their next day. */
  private quotaUntil = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private scanPending = false;
  private stopped = true;
  private readonly pollMs: number;
  private readonly connections: number;

  constructor(
    private readonly deps: Deps,
    private readonly store: QueueStore,
    private readonly opts: DispatcherOptions,
  ) {
    this.pollMs = opts.pollMs ?? 1000;
    this.connections = opts.connectionsPerMailbox ?? 1;
  }

  start(): void {
    this.stopped = false;
    this.resolveInterrupted();
    this.kick();
  }

  /** Look for work now: for one mailbox (after an enqueue) or for all. */
  kick(mailboxId?: string): void {
    if (this.stopped) return;
    if (mailboxId) {
      const mb = this.store.mailbox(mailboxId);
      if (mb) this.fill(mb);
      return;
    }
    if (this.scanPending) return;
    this.scanPending = true;
    setImmediate(() => this.scan());
  }

  /** Stop leasing, withdraw messages handed ahead, wait for those on the wire (up to timeoutMs). */
  async stop(timeoutMs = 30_000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const lane of this.lanes.values()) lane.ahead?.abort.abort();
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.running]),
      new Promise((r) => {
        timeout = setTimeout(r, timeoutMs);
      }),
    ]);
    clearTimeout(timeout);
  }

  /**
   * A message left in `sending` by a crash may or may not have been accepted by the server.
   * Resending could deliver it twice, so it fails explicitly with SEND_INTERRUPTED; a person (or
   * the API's retry) decides. It is never resent blindly.
   */
  private resolveInterrupted(): void {
    const now = this.deps.clock.now();
    for (const m of this.store.interrupted()) {
      const error = {
        code: 'SEND_INTERRUPTED',
        stage: 'send',
        kind: 'permanent' as const,
        message:
          'Kiln stopped while this message was being handed to the SMTP server; it may or may not have been accepted, so it was not resent. Retry it explicitly if it did not arrive.',
      };
      const events = [{ type: 'interrupted', data: { attempt: m.attempts } }];
      if (this.store.finish(m, now, { status: 'failed', next: null, error, sentAt: null, recipients: [], events })) this.emit(m, 'failed', 'interrupted');
      this.deps.log.warn({ messageId: m.id }, 'message interrupted mid-send by a previous stop; failed without resending');
    }
  }

  private scan(): void {
    this.scanPending = false;
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    try {
      for (const mb of this.store.dueMailboxes(this.deps.clock.now())) this.fill(mb);
    } catch (e) {
      this.deps.log.error({ err: e }, 'dispatch scan failed');
    }
    this.timer = setTimeout(() => this.kick(), this.pollMs);
    this.timer.unref?.();
  }

  private lane(id: string): Lane {
    let lane = this.lanes.get(id);
    if (!lane) this.lanes.set(id, (lane = { wire: new Set(), ahead: null }));
    return lane;
  }

  /** How many more messages today's quota allows (Infinity without a limit). */
  private quotaLeft(mb: MailboxRow, lane: Lane, now: number): number {
    if (mb.daily_limit == null) return Infinity;
    if ((this.quotaUntil.get(mb.id) ?? 0) > now) return 0;
    const dayStart = startOfDayInZone(now, mb.time_zone);
    // Only accepted messages carry sent_at: a failed send never uses up the quota.
    const used = this.store.sentSince(mb.id, dayStart) + lane.wire.size + (lane.ahead ? 1 : 0);
    const left = mb.daily_limit - used;
    if (left <= 0) this.quotaUntil.set(mb.id, startOfDayInZone(dayStart + DAY_MS + 3_600_000, mb.time_zone));
    return left;
  }

  private fill(mb: MailboxRow): void {
    if (this.stopped || mb.status !== 'active' || mb.deleted_at != null) return;
    const lane = this.lane(mb.id);
    const now = this.deps.clock.now();
    let left = this.quotaLeft(mb, lane, now);
    // Free connections: claim messages straight onto the wire.
    while (lane.wire.size < this.connections && left > 0) {
      const [row] = this.store.lease(mb.id, 1, now);
      if (!row) return;
      left--;
      this.emit(row, 'sending', 'sending');
      const h = this.hand(mb, row, true);
      lane.wire.add(h);
    }
    // All connections busy: hand the next message to the pool ahead of time.
    if (!lane.ahead && left > 0) {
      const row = this.store.peek(mb.id, now);
      if (row) lane.ahead = this.hand(mb, row, false);
    }
  }

  private hand(mb: MailboxRow, row: MessageRow, promoted: boolean): Handed {
    const recipients = this.store.recipients(row.id);
    const pending = recipients.filter((r) => r.status === 'pending');
    const abort = new AbortController();
    const list = (kind: string) => recipients.filter((r) => r.kind === kind).map((r) => r.address);
    const done: Promise<Result> = this.deps.transports
      .get(mb)
      .then((transport) =>
        transport.sendMail({
          from: mb.display_name ? { name: mb.display_name, address: row.from_addr } : row.from_addr,
          to: list('to'),
          cc: list('cc'),
          // Bcc never appears in headers; the envelope lists exactly the recipients still owed the message.
          envelope: { from: row.from_addr, to: pending.map((r) => r.address) },
          subject: row.subject,
          text: row.text_body ?? undefined,
          html: row.html_body ?? undefined,
          messageId: row.message_id,
          date: new Date(this.deps.clock.now()),
          signal: abort.signal,
        }),
      )
      .then(
        (info): Result => ({ ok: true, info: info as SentInfo }),
        (err: unknown): Result => ({ ok: false, err }),
      );
    const h: Handed = { row, recipients: pending, done, abort, promoted, startedAt: performance.now() };
    const settled = done.then((r) => this.settled(mb, h, r));
    this.running.add(settled);
    void settled.finally(() => this.running.delete(settled));
    return h;
  }

  /** Runs as a microtask of nodemailer's callback, before its pool can start another message. */
  private settled(mb: MailboxRow, h: Handed, r: Result): void {
    const lane = this.lane(mb.id);
    if (!h.promoted) {
      if (lane.ahead === h) lane.ahead = null;
      if (!r.ok) return; // withdrawn (abort, pool closed) before it was ever on the wire: still queued
      // Defensive: nodemailer sent it before we marked it. Record the truth rather than lose it.
      this.deps.log.warn({ messageId: h.row.id }, 'message was sent before being marked sending');
      const claimed = this.store.markSending(h.row.id, this.deps.clock.now());
      if (!claimed) return;
      h.row = claimed;
    }
    lane.wire.delete(h);
    const fresh = this.store.mailbox(mb.id) ?? mb;
    const failure = r.ok ? null : failureOf(r.err);
    // A mailbox that just proved unusable (auth, TLS) sends nothing more until it is fixed.
    const usable = !this.stopped && fresh.status === 'active' && fresh.deleted_at == null && !(failure?.mailboxProblem && failure.kind === 'permanent');
    // 1. Promote the message waiting in the pool: it is about to go on the wire.
    const next = lane.ahead;
    if (next) {
      lane.ahead = null;
      const claimed = usable ? this.store.markSending(next.row.id, this.deps.clock.now()) : undefined;
      if (claimed) {
        next.row = claimed;
        next.promoted = true;
        next.startedAt = performance.now();
        lane.wire.add(next);
        this.emit(claimed, 'sending', 'sending');
      } else {
        next.abort.abort();
      }
    }
    // 2. Record this message's outcome.
    this.deps.metrics.observeSend(performance.now() - h.startedAt, r.ok ? 'sent' : 'error');
    if (r.ok) this.succeeded(fresh, h.row, h.recipients, r.info);
    else this.failed(fresh, h.row, h.recipients, r.err, failure ?? failureOf(r.err));
    // 3. Keep the lane full.
    this.fill(this.store.mailbox(mb.id) ?? fresh);
  }

  private succeeded(mb: MailboxRow, m: MessageRow, pending: RecipientRow[], info: SentInfo): void {
    const now = this.deps.clock.now();
    const { outcomes, rejected } = recipientOutcomes(pending, info);
    const events: QueueEvent[] = [
      { type: 'sent', data: { attempt: m.attempts, response: info.response ?? null, accepted: outcomes.filter((o) => o.status === 'accepted').length } },
      ...rejected.map(({ row, failure }) => ({ type: 'recipient_rejected', data: { address: row.address, error: toSendError(failure) } })),
    ];
    this.store.finish(m, now, { status: 'sent', next: null, error: null, sentAt: now, recipients: outcomes, events });
    this.afterRejections(mb, m, rejected);
    this.emit(m, 'sent', 'sent');
  }

  private failed(mb: MailboxRow, m: MessageRow, pending: RecipientRow[], err: unknown, failure: SmtpFailure): void {
    const now = this.deps.clock.now();
    const error = toSendError(failure);
    let recipients: RecipientOutcome[] = [];
    let rejected: ReturnType<typeof recipientOutcomes>['rejected'] = [];
    const env = err as { code?: string; rejectedErrors?: unknown[] };
    if (env.code === 'EENVELOPE' && Array.isArray(env.rejectedErrors)) {
      ({ outcomes: recipients, rejected } = recipientOutcomes(pending, { accepted: [], rejectedErrors: env.rejectedErrors }));
    }
    const backoff = this.opts.backoffMinutes;
    const retry = failure.kind === 'transient' && m.attempts <= backoff.length;
    const next = retry ? now + (backoff[m.attempts - 1] ?? 60) * 60_000 : null;
    const status = retry ? 'retry_scheduled' : 'failed';
    const data: Record<string, unknown> = { attempt: m.attempts, error };
    if (next) data.nextAttemptAt = new Date(next).toISOString();
    if (!retry && failure.kind === 'transient') data.reason = 'retries exhausted';
    this.store.finish(m, now, { status, next, error, sentAt: null, recipients, events: [{ type: status, data }] });
    this.afterRejections(mb, m, rejected);
    this.mailboxEffects(mb, failure);
    this.deps.log.info({ messageId: m.id, mailboxId: mb.id, code: failure.code, stage: failure.stage, status }, 'send failed');
    this.emit(m, status, status);
  }

  /** Hard-bounced recipients are suppressed; 5.7.x rejections are the sender's problem, never the recipient's. */
  private afterRejections(mb: MailboxRow, m: MessageRow, rejected: { row: { address: string }; failure: SmtpFailure }[]): void {
    for (const { row, failure } of rejected) {
      if (failure.code === 'SMTP_RECIPIENT_UNKNOWN') {
        void this.deps.suppressions.add(m.workspace_id, row.address, 'hard_bounce', `${failure.enhancedStatus ?? failure.responseCode ?? ''} ${failure.message}`.trim(), m.id);
      } else if (failure.senderProblem) {
        this.mailboxEffects(mb, failure);
      }
    }
  }

  private mailboxEffects(mb: MailboxRow, f: SmtpFailure): void {
    const err = { protocol: 'smtp' as const, stage: f.stage, code: f.code, message: f.message };
    if (f.mailboxProblem && f.kind === 'permanent') void this.deps.mailboxes.markError(mb, err);
    else if (f.senderProblem) void this.deps.mailboxes.flag(mb, err);
  }

  private emit(m: MessageRow, status: string, event: string): void {
    this.deps.bus.emit(m.workspace_id, 'message.updated', { id: m.id, mailboxId: m.mailbox_id, status: status as never, event });
  }
}
