import type BetterSqlite3 from 'better-sqlite3';
import type { MailboxRow, MessageRow, RecipientRow } from '../db/schema';
import type { SendError } from '../../../shared/domain/message';

// The dispatcher's hot path, as prepared statements run synchronously: leasing a message and
// recording its outcome happen in the same event-loop turn as the SMTP completion, so the
// connection is never idle waiting for bookkeeping and two leases can never race.
// (On PostgreSQL the lease becomes `... FOR UPDATE SKIP LOCKED` in the same shape.)

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

const WAITING = `status IN ('queued', 'retry_scheduled')`;

export function queueStore(sqlite: BetterSqlite3.Database) {
  const s = {
    dueMailboxes: sqlite.prepare(
      `SELECT * FROM mailboxes b WHERE b.status = 'active' AND b.deleted_at IS NULL
         AND EXISTS (SELECT 1 FROM messages m WHERE m.mailbox_id = b.id AND m.${WAITING} AND m.next_attempt_at <= @now)`,
    ),
    mailbox: sqlite.prepare(`SELECT * FROM mailboxes WHERE id = ?`),
    lease: sqlite.prepare(
      `UPDATE messages SET status = 'sending', attempts = attempts + 1, updated_at = @now
        WHERE id IN (SELECT id FROM messages WHERE mailbox_id = @mailbox AND ${WAITING} AND next_attempt_at <= @now
                     ORDER BY next_attempt_at LIMIT @n)
        RETURNING *`,
    ),
    peek: sqlite.prepare(
      `SELECT * FROM messages WHERE mailbox_id = @mailbox AND ${WAITING} AND next_attempt_at <= @now ORDER BY next_attempt_at LIMIT 1`,
    ),
    markSending: sqlite.prepare(
      `UPDATE messages SET status = 'sending', attempts = attempts + 1, updated_at = @now WHERE id = @id AND ${WAITING} RETURNING *`,
    ),
    recipients: sqlite.prepare(`SELECT * FROM message_recipients WHERE message_id = ?`),
    sentToday: sqlite.prepare(`SELECT count(*) AS n FROM messages WHERE mailbox_id = ? AND sent_at >= ?`),
    event: sqlite.prepare(`INSERT INTO message_events (message_id, workspace_id, at, type, data) VALUES (?, ?, ?, ?, ?)`),
    setRecipient: sqlite.prepare(
      `UPDATE message_recipients SET status = @status, response_code = @responseCode, enhanced_status = @enhancedStatus, response = @response
        WHERE message_id = @id AND kind = @kind AND address = @address`,
    ),
    finish: sqlite.prepare(
      `UPDATE messages SET status = @status, next_attempt_at = @next, last_error = @error, sent_at = COALESCE(@sentAt, sent_at), updated_at = @now
        WHERE id = @id AND status = 'sending'`,
    ),
    interrupted: sqlite.prepare(`SELECT * FROM messages WHERE status = 'sending'`),
    countWaiting: sqlite.prepare(
      `SELECT sum(status = 'queued') AS queued, sum(status = 'retry_scheduled') AS retry, sum(status = 'sending') AS sending
         FROM messages WHERE status IN ('queued', 'retry_scheduled', 'sending')`,
    ),
  };

  const addEvents = (m: MessageRow, at: number, events: QueueEvent[]) => {
    for (const e of events) s.event.run(m.id, m.workspace_id, at, e.type, JSON.stringify(e.data));
  };

  return {
    dueMailboxes: (now: number) => s.dueMailboxes.all({ now }) as MailboxRow[],
    mailbox: (id: string) => s.mailbox.get(id) as MailboxRow | undefined,
    recipients: (messageId: string) => s.recipients.all(messageId) as RecipientRow[],
    sentSince: (mailboxId: string, since: number) => (s.sentToday.get(mailboxId, since) as { n: number }).n,
    waiting: () => {
      const r = s.countWaiting.get() as { queued: number | null; retry: number | null; sending: number | null };
      return { queued: r.queued ?? 0, retryScheduled: r.retry ?? 0, sending: r.sending ?? 0 };
    },

    /** Claim up to n due messages of one mailbox; each gets a `sending` event with its attempt number. */
    lease: sqlite.transaction((mailboxId: string, n: number, now: number): MessageRow[] => {
      const rows = s.lease.all({ mailbox: mailboxId, n, now }) as MessageRow[];
      for (const m of rows) addEvents(m, now, [{ type: 'sending', data: { attempt: m.attempts } }]);
      return rows;
    }),

    /** The next due message of a mailbox, left as it is (for handing to SMTP ahead of time). */
    peek: (mailboxId: string, now: number) => s.peek.get({ mailbox: mailboxId, now }) as MessageRow | undefined,

    /** Claim one message that was peeked; undefined if it is no longer waiting (retried, deleted...). */
    markSending: sqlite.transaction((id: string, now: number): MessageRow | undefined => {
      const m = s.markSending.get({ id, now }) as MessageRow | undefined;
      if (m) addEvents(m, now, [{ type: 'sending', data: { attempt: m.attempts } }]);
      return m;
    }),

    /** Record an attempt's outcome; a row that is no longer `sending` is left alone. */
    finish: sqlite.transaction(
      (
        m: MessageRow,
        now: number,
        o: { status: string; next: number | null; error: SendError | null; sentAt: number | null; recipients: RecipientOutcome[]; events: QueueEvent[] },
      ): boolean => {
        const changed = s.finish.run({
          id: m.id,
          status: o.status,
          next: o.next,
          error: o.error ? JSON.stringify(o.error) : null,
          sentAt: o.sentAt,
          now,
        }).changes;
        if (changed === 0) return false;
        for (const r of o.recipients) s.setRecipient.run({ id: m.id, ...r });
        addEvents(m, now, o.events);
        return true;
      },
    ),

    /** Messages caught mid-send by a crash: their SMTP outcome is unknown. */
    interrupted: () => s.interrupted.all() as MessageRow[],
  };
}
export type QueueStore = ReturnType<typeof queueStore>;
