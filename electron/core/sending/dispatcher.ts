import type { MailboxRow, MessageRow } from '../db/schema';
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
  /** Messages handed to SMTP at once per mailbox (= the pool's connections). */
  inFlightPerMailbox?: number;
}

const DAY_MS = 86_400_000;

/**
 * Moves queued messages through SMTP. Lease and record are synchronous SQLite transactions, so a
 * completion, its bookkeeping and the next lease happen in one turn of the event loop.
 */
export class Dispatcher {
  private inFlight = new Map<string, number>();
  private running = new Set<Promise<void>>();
  /** Mailboxes whose daily quota is used up, until the start of their next day. */
  private quotaUntil = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private scanPending = false;
  private stopped = true;
  private readonly pollMs: number;
  private readonly perMailbox: number;

  constructor(
    private readonly deps: Deps,
    private readonly store: QueueStore,
    private readonly opts: DispatcherOptions,
  ) {
    this.pollMs = opts.pollMs ?? 1000;
    this.perMailbox = opts.inFlightPerMailbox ?? 1;
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

  /** Stop leasing; wait for in-flight sends to finish (up to timeoutMs). */
  async stop(timeoutMs = 30_000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.running]),
      new Promise((r) => {
        timeout = setTimeout(r, timeoutMs);
      }),
    ]);
    clearTimeout(timeout);
  }

  get inFlightCount(): number {
    return this.running.size;
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
        message: 'Kiln stopped while this message was being handed to the SMTP server; it may or may not have been accepted, so it was not resent. Retry it explicitly if it did not arrive.',
      };
      const done = this.store.finish(m, now, { status: 'failed', next: null, error, sentAt: null, recipients: [], events: [{ type: 'interrupted', data: { attempt: m.attempts } }] });
      if (done) this.emit(m, 'failed', 'interrupted');
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

  private fill(mb: MailboxRow): void {
    if (this.stopped || mb.status !== 'active' || mb.deleted_at != null) return;
    const now = this.deps.clock.now();
    let free = this.perMailbox - (this.inFlight.get(mb.id) ?? 0);
    if (free <= 0) return;
    if (mb.daily_limit != null) {
      if ((this.quotaUntil.get(mb.id) ?? 0) > now) return;
      const dayStart = startOfDayInZone(now, mb.time_zone);
      // Only accepted messages carry sent_at: a failed send never uses up the quota.
      const used = this.store.sentSince(mb.id, dayStart) + (this.inFlight.get(mb.id) ?? 0);
      if (used >= mb.daily_limit) {
        this.quotaUntil.set(mb.id, startOfDayInZone(dayStart + DAY_MS + 3_600_000, mb.time_zone));
        return;
      }
      free = Math.min(free, mb.daily_limit - used);
    }
    for (const m of this.store.lease(mb.id, free, now)) {
      this.inFlight.set(mb.id, (this.inFlight.get(mb.id) ?? 0) + 1);
      this.emit(m, 'sending', 'sending');
      const p = this.deliver(mb, m).finally(() => {
        this.running.delete(p);
        this.inFlight.set(mb.id, (this.inFlight.get(mb.id) ?? 1) - 1);
        // Refill from fresh state: the mailbox may have been paused or updated meanwhile.
        const fresh = this.store.mailbox(mb.id);
        if (fresh) this.fill(fresh);
      });
      this.running.add(p);
    }
  }

  private async deliver(mb: MailboxRow, m: MessageRow): Promise<void> {
    const all = this.store.recipients(m.id);
    const pending = all.filter((r) => r.status === 'pending');
    const started = performance.now();
    try {
      const transport = await this.deps.transports.get(mb);
      const list = (kind: string) => all.filter((r) => r.kind === kind).map((r) => r.address);
      const info = (await transport.sendMail({
        from: mb.display_name ? { name: mb.display_name, address: m.from_addr } : m.from_addr,
        to: list('to'),
        cc: list('cc'),
        // Bcc never appears in headers; the envelope lists exactly the recipients still owed the message.
        envelope: { from: m.from_addr, to: pending.map((r) => r.address) },
        subject: m.subject,
        text: m.text_body ?? undefined,
        html: m.html_body ?? undefined,
        messageId: m.message_id,
        date: new Date(this.deps.clock.now()),
      })) as SentInfo;
      this.deps.metrics.observeSend(performance.now() - started, 'sent');
      this.succeeded(mb, m, pending, info);
    } catch (err) {
      this.deps.metrics.observeSend(performance.now() - started, 'error');
      this.failed(mb, m, pending, err);
    }
  }

  private succeeded(mb: MailboxRow, m: MessageRow, pending: ReturnType<QueueStore['recipients']>, info: SentInfo): void {
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

  private failed(mb: MailboxRow, m: MessageRow, pending: ReturnType<QueueStore['recipients']>, err: unknown): void {
    const now = this.deps.clock.now();
    const failure = failureOf(err);
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
