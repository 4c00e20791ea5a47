import type BetterSqlite3 from 'better-sqlite3';
import type { ContentRow, MailboxRow, MessageRow, RecipientRow } from '../db/schema';
import type { SendError } from '../../../shared/domain/message';

// The dispatcher's hot path, as prepared statements run synchronously. Claims ("on the wire") and
// outcomes are group-committed: one transaction carries everything decided in the last few ms.
// (On PostgreSQL the claim becomes `... FOR UPDATE SKIP LOCKED` in the same shape.)

export interface RecipientOutcome {
  kind: string;
  address: string;
  status: 'accepted' | 'rejected';
  responseCode: number | null;
  enhancedStatus: string | null;
  response: string | null;
}

export interface QueueEvent {
  type: string;
  data: object;
}

/** A message that went on the wire: becomes `sending`, attempt + 1. */
export interface Claim {
  kind: 'claim';
  message: MessageRow;
  at: number;
}

/** The recorded outcome of one attempt. */
export interface Outcome {
  kind: 'outcome';
  message: MessageRow;
  at: number;
  status: string;
  next: number | null;
  error: SendError | null;
  sentAt: number | null;
  recipients: RecipientOutcome[];
  events: QueueEvent[];
}

const WAITING = `status IN ('queued', 'retry_scheduled')`;

export function queueStore(sqlite: BetterSqlite3.Database) {
  const s = {
    dueMailboxes: sqlite.prepare(
      `SELECT * FROM mailboxes b WHERE b.status = 'active' AND b.deleted_at IS NULL
         AND EXISTS (SELECT 1 FROM messages m WHERE m.mailbox_id = b.id AND m.${WAITING} AND m.next_attempt_at <= @now)`,
    ),
    mailbox: sqlite.prepare(`SELECT * FROM mailboxes WHERE id = ?`),
    peek: sqlite.prepare(
      // Ids only (the partial index covers the scan): held rows are skipped without reading bodies.
      `SELECT id FROM messages WHERE mailbox_id = @mailbox AND ${WAITING} AND next_attempt_at <= @now ORDER BY next_attempt_at LIMIT @limit`,
    ),
    byId: sqlite.prepare(`SELECT * FROM messages WHERE id = ?`),
    claim: sqlite.prepare(`UPDATE messages SET status = 'sending', attempts = attempts + 1, updated_at = @now WHERE id = @id AND ${WAITING}`),
    recipients: sqlite.prepare(`SELECT * FROM message_recipients WHERE message_id = ?`),
    content: sqlite.prepare(`SELECT * FROM message_contents WHERE message_id = ?`),
    sentSince: sqlite.prepare(`SELECT count(*) AS n FROM messages WHERE mailbox_id = ? AND sent_at >= ?`),
    event: sqlite.prepare(`INSERT INTO message_events (message_id, workspace_id, at, type, data) VALUES (?, ?, ?, ?, ?)`),
    setRecipient: sqlite.prepare(
      `UPDATE message_recipients SET status = @status, response_code = @responseCode, enhanced_status = @enhancedStatus, response = @response
        WHERE message_id = @id AND kind = @kind AND address = @address`,
    ),
    // Claim and outcome in one batch (the usual case: a send takes ms, a batch spans 20): one row write.
    claimFinish: sqlite.prepare(
      `UPDATE messages SET status = @status, attempts = attempts + 1, next_attempt_at = @next, last_error = @error, sent_at = @sentAt, updated_at = @now
        WHERE id = @id AND ${WAITING}`,
    ),
    finish: sqlite.prepare(
      `UPDATE messages SET status = @status, next_attempt_at = @next, last_error = @error, sent_at = COALESCE(@sentAt, sent_at), updated_at = @now
        WHERE id = @id AND status = 'sending'`,
    ),
    interrupted: sqlite.prepare(`SELECT * FROM messages WHERE status = 'sending'`),
    countByStatus: sqlite.prepare(`SELECT status, count(*) AS n FROM messages GROUP BY status`),
    countWaiting: sqlite.prepare(
      `SELECT sum(status = 'queued') AS queued, sum(status = 'retry_scheduled') AS retry, sum(status = 'sending') AS sending
         FROM messages WHERE status IN ('queued', 'retry_scheduled', 'sending')`,
    ),
  };

  const addEvents = (m: Pick<MessageRow, 'id' | 'workspace_id'>, at: number, events: QueueEvent[]) => {
    for (const e of events) s.event.run(m.id, m.workspace_id, at, e.type, JSON.stringify(e.data));
  };

  const outcomeParams = (o: Outcome) => ({
    id: o.message.id,
    status: o.status,
    next: o.next,
    error: o.error ? JSON.stringify(o.error) : null,
    sentAt: o.sentAt,
    now: o.at,
  });
  const recipientsAndEvents = (o: Outcome) => {
    for (const r of o.recipients) s.setRecipient.run({ id: o.message.id, ...r });
    addEvents(o.message, o.at, o.events);
  };
  const sendingEvent = (c: Claim) => addEvents(c.message, c.at, [{ type: 'sending', data: { attempt: c.message.attempts + 1 } }]);

  /** Record an outcome; false if the message is no longer `sending`. */
  const record = (o: Outcome): boolean => {
    if (s.finish.run(outcomeParams(o)).changes === 0) return false;
    recipientsAndEvents(o);
    return true;
  };

  /** Mark a claimed message `sending` (attempt + 1) with its event; false if it no longer waits. */
  const claim = (c: Claim): boolean => {
    if (s.claim.run({ id: c.message.id, now: c.at }).changes === 0) return false;
    sendingEvent(c);
    return true;
  };

  /** Claim and outcome of the same attempt, as one row write. */
  const claimAndRecord = (c: Claim, o: Outcome): boolean => {
    if (s.claimFinish.run(outcomeParams(o)).changes === 0) return false;
    sendingEvent(c);
    recipientsAndEvents(o);
    return true;
  };

  /** Apply a batch in order; returns the operations that applied. */
  const commit = (ops: (Claim | Outcome)[]): (Claim | Outcome)[] => {
    const outcomes = new Map<string, Outcome>();
    for (const op of ops) if (op.kind === 'outcome') outcomes.set(op.message.id, op);
    const merged = new Set<Outcome>();
    const applied: (Claim | Outcome)[] = [];
    for (const op of ops) {
      if (op.kind === 'claim') {
        const o = outcomes.get(op.message.id);
        if (o) {
          merged.add(o);
          if (claimAndRecord(op, o)) applied.push(op, o);
        } else if (claim(op)) applied.push(op);
      } else if (!merged.has(op) && record(op)) applied.push(op);
    }
    return applied;
  };

  return {
    dueMailboxes: (now: number) => s.dueMailboxes.all({ now }) as MailboxRow[],
    mailbox: (id: string) => s.mailbox.get(id) as MailboxRow | undefined,
    recipients: (messageId: string) => s.recipients.all(messageId) as RecipientRow[],
    content: (messageId: string) => s.content.get(messageId) as ContentRow | undefined,
    sentSince: (mailboxId: string, since: number) => (s.sentSince.get(mailboxId, since) as { n: number }).n,
    waiting: () => {
      const r = s.countWaiting.get() as { queued: number | null; retry: number | null; sending: number | null };
      return { queued: r.queued ?? 0, retryScheduled: r.retry ?? 0, sending: r.sending ?? 0 };
    },
    countByStatus: () => s.countByStatus.all() as { status: string; n: number }[],
    /** Ids of up to `limit` due messages of a mailbox, oldest first (an index-only read). */
    dueIds: (mailboxId: string, now: number, limit: number) => s.peek.pluck().all({ mailbox: mailboxId, now, limit }) as string[],
    /** The message if it is still waiting to be sent. */
    waitingById(id: string): MessageRow | undefined {
      const m = s.byId.get(id) as MessageRow | undefined;
      return m && (m.status === 'queued' || m.status === 'retry_scheduled') ? m : undefined;
    },
    byId: (id: string) => s.byId.get(id) as MessageRow | undefined,

    /** One transaction for a batch of claims and outcomes, in order; returns those that applied. */
    commit: sqlite.transaction(commit),

    /** Messages caught mid-send by a crash: their SMTP outcome is unknown. */
    interrupted: () => s.interrupted.all() as MessageRow[],
  };
}
export type QueueStore = ReturnType<typeof queueStore>;
