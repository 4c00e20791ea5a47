import type BetterSqlite3 from 'better-sqlite3';
import type { MailboxRow, MessageRow, RecipientRow } from '../db/schema';
import type { EventBus } from '../events/bus';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { TransportPool } from './transports';
import type { DkimService } from '../dkim/service';
import type { SuppressionService } from '../suppressions/service';
import { startOfDayInZone } from '../util/time';
import type { Claim, Outcome, QueueStore } from './queue-store';
import { decideFailed, decideSent, failureOf, type SentInfo } from './outcome';
import { applyEffects } from './effects';
import { mailOptions } from './mail-options';
import { WireLog } from './wire-log';
import { acquireDispatchLock } from './dispatch-lock';
import { DEFAULT_SETTLE_GRACE_MS, interruptedError, settlementOutcome, Settler, type Place, type Settlement } from './settle';
import { searchMailbox } from './settle-search';
import type { CredentialOf } from '../mail/credential';

export interface DispatcherOptions {
  dataDir: string;
  /** Who this process is, in words, for another one refused the folder ("kiln serve"). */
  holder?: string;
  /** How often due messages are looked for when nothing kicks the dispatcher. */
  pollMs?: number;
  /** Minutes to wait before each retry of a transient failure; attempts = length + 1. */
  backoffMinutes: number[];
  /** SMTP connections per mailbox (must match the transport pool's maxConnections). */
  connectionsPerMailbox?: number;
  /** Claims and outcomes are group-committed at most this many ms after they happen. */
  commitDelayMs?: number;
  /** How long interrupted sends are searched for before one resend (see settle.ts). */
  settleGraceMs?: number;
}

type Result = { ok: true; info: SentInfo } | { ok: false; err: unknown };

/** A message handed to a mailbox's nodemailer pool. */
interface Handed {
  row: MessageRow;
  recipients: RecipientRow[];
  /** Settles when nodemailer is done with it (or its pool is closed); never rejects. */
  done: Promise<Result>;
  /** Written to the wire log: it may be on the wire. */
  onWire: boolean;
  startedAt: number;
}

/**
 * Per mailbox: the messages on the wire (at most one per connection) and at most one handed to
 * the pool ahead of time, so the connection never idles between messages. The pool starts the
 * one ahead only after a wire message completes, and our completion code runs first (a
 * microtask, before nodemailer's setImmediate release), logging it to the wire log just in time.
 */
interface Lane {
  wire: Set<Handed>;
  ahead: Handed | null;
  /** Due message ids read ahead in one index scan, consumed one by one. */
  due: string[];
}

const DAY_MS = 86_400_000;
const DUE_READ_AHEAD = 32;

/** What the dispatcher uses (the send effects too: see effects.ts). */
export interface DispatcherNeeds {
  bus: EventBus;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  transports: Pick<TransportPool, 'get' | 'close' | 'closeAll'>;
  dkim: Pick<DkimService, 'signing'>;
  suppressions: Pick<SuppressionService, 'add'>;
  /** For settling interrupted sends: the message tables and readable mailboxes' IMAP access. */
  sqlite: BetterSqlite3.Database;
  ca?: string[];
  credentialOf: CredentialOf<MailboxRow>;
}

/** Moves queued messages through SMTP with exactly-known crash semantics (see WireLog). */
export class Dispatcher {
  private lanes = new Map<string, Lane>();
  private running = new Set<Promise<unknown>>();
  /** Real time (not the injected clock) of the last message put on the wire: pacing, not logic. */
  private lastWireAt = -Infinity;
  /** Mailboxes whose daily quota is used up, until the start of their next day. */
  private quotaUntil = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private scanPending = false;
  private stopped = true;
  /** Claims and outcomes decided but not yet committed. */
  private journal: (Claim | Outcome)[] = [];
  private journalTimer: NodeJS.Timeout | null = null;
  private wireLog: WireLog | null = null;
  private releaseLock: (() => void) | null = null;
  private settler: Settler | null = null;
  /** Interrupted messages being looked for in readable mailboxes (they stay `sending` meanwhile). */
  private settling = new Set<Promise<unknown>>();
  private readonly pollMs: number;
  private readonly connections: number;
  private readonly commitDelayMs: number;

  constructor(
    private readonly deps: DispatcherNeeds,
    private readonly store: QueueStore,
    private readonly opts: DispatcherOptions,
  ) {
    this.pollMs = opts.pollMs ?? 1000;
    this.connections = opts.connectionsPerMailbox ?? 1;
    this.commitDelayMs = opts.commitDelayMs ?? 20;
  }

  start(): void {
    this.releaseLock = acquireDispatchLock(this.opts.dataDir, this.opts.holder);
    this.wireLog = new WireLog(this.opts.dataDir);
    const graceMs = this.opts.settleGraceMs ?? DEFAULT_SETTLE_GRACE_MS;
    const access = { ca: this.deps.ca, credentialOf: this.deps.credentialOf };
    this.settler = new Settler(
      { clock: this.deps.clock, sqlite: this.deps.sqlite, search: (mb, id, roles) => searchMailbox(access, mb, id, roles) },
      { graceMs, pollMs: Math.min(30_000, Math.max(500, graceMs / 10)) },
    );
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

  /**
   * Mail is on the wire, or went on it within the last second: the webhook worker gives way
   * meanwhile (a second of memory, because between two messages nothing is on the wire for a moment).
   */
  get busy(): boolean {
    return this.running.size > 0 || performance.now() - this.lastWireAt < 1_000;
  }

  /** Commit everything decided so far (e.g. before other code changes queued messages). */
  flush(): void {
    this.commit();
  }

  /** Stop claiming, withdraw messages handed ahead, wait for those on the wire (up to timeoutMs). */
  async stop(timeoutMs = 30_000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // Unsettled messages stay `sending`: the next start looks for them again.
    this.settler?.stop();
    // Closing the pools lets messages on the wire finish and withdraws those waiting ahead.
    this.deps.transports.closeAll();
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.running, ...this.settling]),
      new Promise((r) => {
        timeout = setTimeout(r, timeoutMs);
      }),
    ]);
    clearTimeout(timeout);
    this.commit();
    // Whatever is still on the wire after the timeout stays in the log for the next start.
    this.wireLog?.compact(this.outstanding(), true);
    this.wireLog?.close();
    this.releaseLock?.();
  }

  /**
   * Messages the previous run put on the wire without a committed outcome may or may not have
   * been accepted: resending blindly could deliver them twice. Where Kiln can read a mailbox that
   * would show it, the message stays `sending` while settle.ts looks; otherwise it fails
   * explicitly with SEND_INTERRUPTED and a person (or the API's retry) decides. Everything else
   * was never transmitted and is simply sent.
   */
  private resolveInterrupted(): void {
    const now = this.deps.clock.now();
    const onWire = this.wireLog!.read();
    const suspects = new Map(this.store.interrupted().map((m) => [m.id, m]));
    const settle: { message: MessageRow; places: Place[] }[] = [];
    for (const id of onWire.keys()) if (!suspects.has(id)) suspects.set(id, this.store.byId(id)!);
    for (const [id, m] of suspects) {
      if (!m) continue;
      const attempt = onWire.get(id) ?? m.attempts;
      const unresolved = m.status === 'sending' || ((m.status === 'queued' || m.status === 'retry_scheduled') && m.attempts < attempt);
      if (!unresolved) continue;
      if (m.status !== 'sending') this.journal.push({ kind: 'claim', message: m, at: now });
      const claimed = { ...m, status: 'sending', attempts: attempt };
      const places = this.settler!.places(claimed);
      if (places.length > 0) {
        const events = [{ type: 'interrupted', data: { attempt, settling: places.map((p) => p.mailbox.email) } }];
        this.journal.push({ kind: 'outcome', message: claimed, at: now, status: 'sending', next: null, error: null, sentAt: null, recipients: [], events });
        settle.push({ message: { ...claimed, updated_at: now }, places });
        this.deps.log.info({ messageId: id }, 'message interrupted mid-send by a previous stop; looking for it in readable mailboxes');
        continue;
      }
      const events = [{ type: 'interrupted', data: { attempt } }];
      this.journal.push({ kind: 'outcome', message: claimed, at: now, status: 'failed', next: null, error: interruptedError, sentAt: null, recipients: [], events });
      this.deps.log.warn({ messageId: id }, 'message interrupted mid-send by a previous stop; failed without resending');
    }
    this.commit();
    this.wireLog!.compact([], true);
    for (const { message, places } of settle) {
      const p = this.settler!.settle(message, places, message.updated_at).then((r) => this.settledInterrupted(message, r));
      this.settling.add(p);
      void p.finally(() => this.settling.delete(p));
    }
  }

  /** Record what settle.ts concluded; a resent message is queued again with the same Message-ID. */
  private settledInterrupted(m: MessageRow, r: Settlement): void {
    if (this.stopped || r.kind === 'stopped') return;
    const outcome = settlementOutcome(m, r, this.deps.clock.now());
    this.journal.push(outcome);
    this.commit();
    this.deps.log.info({ messageId: m.id, settlement: r.kind }, 'interrupted message settled');
    if (outcome.status === 'queued') this.kick(m.mailbox_id);
  }

  private commit(): void {
    if (this.journalTimer) clearTimeout(this.journalTimer);
    this.journalTimer = null;
    if (this.journal.length === 0) return;
    const ops = this.journal;
    this.journal = [];
    for (const op of this.store.commit(ops)) {
      if (op.kind === 'claim') this.emit(op.message, 'sending', 'sending');
      else this.emit(op.message, op.status, op.events[0]?.type ?? op.status);
    }
    this.wireLog?.compact(this.outstanding());
  }

  private log(op: Claim | Outcome): void {
    this.journal.push(op);
    if (!this.journalTimer) {
      this.journalTimer = setTimeout(() => this.commit(), this.commitDelayMs);
      this.journalTimer.unref?.();
    }
  }

  /** Wire-log entries still in doubt after a commit: messages on the wire right now. */
  private *outstanding(): Generator<{ id: string; attempt: number }> {
    for (const lane of this.lanes.values()) for (const h of lane.wire) yield { id: h.row.id, attempt: h.row.attempts };
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
    this.deps.metrics.dispatchScanned();
    this.timer = setTimeout(() => this.kick(), this.pollMs);
    this.timer.unref?.();
  }

  private lane(id: string): Lane {
    let lane = this.lanes.get(id);
    if (!lane) this.lanes.set(id, (lane = { wire: new Set(), ahead: null, due: [] }));
    return lane;
  }

  /** The next due message not already held by this lane, from a small read-ahead of ids. */
  private nextDue(lane: Lane, mailboxId: string, now: number): MessageRow | undefined {
    for (let refills = 0; refills < 2; refills++) {
      while (lane.due.length > 0) {
        const id = lane.due.shift()!;
        if (this.holds(lane, id)) continue;
        const m = this.store.waitingById(id);
        if (m && (m.next_attempt_at ?? 0) <= now) return m;
      }
      const held = lane.wire.size + (lane.ahead ? 1 : 0) + this.journal.length;
      lane.due = this.store.dueIds(mailboxId, now, held + DUE_READ_AHEAD);
      if (lane.due.length === 0) return undefined;
    }
    return undefined;
  }

  private holds(lane: Lane, id: string): boolean {
    if (lane.ahead?.row.id === id) return true;
    for (const h of lane.wire) if (h.row.id === id) return true;
    // Claims not committed yet still read as queued in SQLite.
    for (const op of this.journal) if (op.kind === 'claim' && op.message.id === id) return true;
    return false;
  }

  /** How many more messages today's quota allows (Infinity without a limit). */
  private quotaLeft(mb: MailboxRow, lane: Lane, now: number): number {
    if (mb.daily_limit == null) return Infinity;
    if ((this.quotaUntil.get(mb.id) ?? 0) > now) return 0;
    const dayStart = startOfDayInZone(now, mb.time_zone);
    // Only accepted messages carry sent_at: a failed send never uses up the quota.
    let unrecorded = 0;
    for (const op of this.journal) if (op.kind === 'outcome' && op.message.mailbox_id === mb.id && op.sentAt != null) unrecorded++;
    const used = this.store.sentSince(mb.id, dayStart) + unrecorded + lane.wire.size + (lane.ahead ? 1 : 0);
    const left = mb.daily_limit - used;
    if (left <= 0) this.quotaUntil.set(mb.id, startOfDayInZone(dayStart + DAY_MS + 3_600_000, mb.time_zone));
    return left;
  }

  private fill(mb: MailboxRow): void {
    if (this.stopped || mb.status !== 'active' || mb.deleted_at != null) return;
    const lane = this.lane(mb.id);
    const now = this.deps.clock.now();
    let left = this.quotaLeft(mb, lane, now);
    // Free connections: straight onto the wire.
    while (lane.wire.size < this.connections && left > 0) {
      const row = this.nextDue(lane, mb.id, now);
      if (!row) return;
      left--;
      lane.wire.add(this.putOnWire(this.hand(mb, row)));
    }
    // All connections busy: hand the next message to the pool ahead of time.
    if (!lane.ahead && left > 0) {
      const row = this.nextDue(lane, mb.id, now);
      if (row) lane.ahead = this.hand(mb, row);
    }
  }

  /** From here on the message may reach a server: log it before nodemailer can transmit it. */
  private putOnWire(h: Handed): Handed {
    const now = this.deps.clock.now();
    this.lastWireAt = performance.now();
    this.wireLog!.onWire(h.row.id, h.row.attempts + 1);
    this.log({ kind: 'claim', message: h.row, at: now });
    h.row = { ...h.row, status: 'sending', attempts: h.row.attempts + 1, updated_at: now };
    h.onWire = true;
    h.startedAt = performance.now();
    return h;
  }

  private hand(mb: MailboxRow, row: MessageRow): Handed {
    const recipients = this.store.recipients(row.id);
    const pending = recipients.filter((r) => r.status === 'pending');
    const content = this.store.content(row.id);
    // Mail from a domain with a DKIM key is signed by nodemailer on its way out.
    const domain = row.from_addr.slice(row.from_addr.lastIndexOf('@') + 1);
    const done: Promise<Result> = Promise.all([this.deps.transports.get(mb), this.deps.dkim.signing(mb.workspace_id, domain)])
      .then(([transport, dkim]) =>
        transport.sendMail({
          ...mailOptions(row, mb.display_name, recipients, content, new Date(this.deps.clock.now())),
          // The envelope lists exactly the recipients still owed the message (Bcc included).
          envelope: { from: row.from_addr, to: pending.map((r) => r.address) },
          ...(dkim ? { dkim } : {}),
        }),
      )
      .then(
        (info): Result => ({ ok: true, info: info as SentInfo }),
        (err: unknown): Result => ({ ok: false, err }),
      );
    const h: Handed = { row, recipients: pending, done, onWire: false, startedAt: performance.now() };
    const settled = done.then((r) => this.settled(mb, h, r));
    this.running.add(settled);
    void settled.finally(() => this.running.delete(settled));
    return h;
  }

  /** Runs as a microtask of nodemailer's callback, before its pool can start another message. */
  private settled(mb: MailboxRow, h: Handed, r: Result): void {
    const lane = this.lane(mb.id);
    if (!h.onWire) {
      if (lane.ahead === h) lane.ahead = null;
      if (!r.ok) return; // withdrawn (its pool was closed) before it was ever on the wire: still queued
      // Defensive: nodemailer sent it before we logged it. Record the truth rather than lose it.
      this.deps.log.warn({ messageId: h.row.id }, 'message was sent before being logged on the wire');
      this.putOnWire(h);
    }
    lane.wire.delete(h);
    const fresh = this.store.mailbox(mb.id) ?? mb;
    const failure = r.ok ? null : failureOf(r.err);
    // A mailbox that just proved unusable (auth, TLS) sends nothing more until it is fixed.
    const usable = !this.stopped && fresh.status === 'active' && fresh.deleted_at == null && !(failure?.mailboxProblem && failure.kind === 'permanent');
    // 1. The message waiting in the pool goes on the wire next: log it first.
    const next = lane.ahead;
    if (next) {
      lane.ahead = null;
      if (usable) lane.wire.add(this.putOnWire(next));
      // Closing the pool withdraws it before nodemailer's release could start it (a microtask away).
      else this.deps.transports.close(mb.id);
    }
    // 2. This message's outcome (group-committed with the claims around it).
    this.deps.metrics.observeSend(performance.now() - h.startedAt, r.ok ? 'sent' : 'error');
    const now = this.deps.clock.now();
    const decision = r.ok
      ? decideSent(h.row, h.recipients, r.info, now)
      : decideFailed(h.row, h.recipients, r.err, failure ?? failureOf(r.err), this.opts.backoffMinutes, now);
    this.log(decision.outcome);
    applyEffects(this.deps, fresh, decision);
    // 3. Keep the lane full.
    if (usable) this.fill(fresh);
  }

  private emit(m: MessageRow, status: string, event: string): void {
    this.deps.bus.emit(m.workspace_id, 'message.updated', { id: m.id, mailboxId: m.mailbox_id, status: status as never, event });
  }
}
