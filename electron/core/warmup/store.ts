import type BetterSqlite3 from 'better-sqlite3';
import type { MailboxRow, MessageRow, PoolRecipientRow, WarmupDayRow, WarmupSettingsRow } from '../db/schema';
import { figuresOf } from '../figures';

// The warmup engine's statements, run synchronously: planning a day for thousands of mailboxes is
// a few grouped reads and one write transaction.

export type SenderRow = WarmupSettingsRow & { m: MailboxRow };

/** A planned message as written by the planner (content is rendered when it falls due). */
export interface PlannedMessage {
  id: string;
  workspace_id: string;
  mailbox_id: string;
  kind: 'warmup' | 'reply';
  message_id: string;
  from_addr: string;
  to: string;
  at: number;
  plan_day: string;
  in_reply_to: string | null;
  references: string | null;
}

export interface DayCounts {
  accepted: number;
  pending: number;
  failed: number;
  replies: number;
}

const PENDING = `('planned', 'queued', 'sending', 'retry_scheduled')`;

export function warmupStore(sqlite: BetterSqlite3.Database) {
  const figures = figuresOf(sqlite);
  const s = {
    settings: sqlite.prepare('SELECT * FROM warmup_settings WHERE mailbox_id = ?'),
    insertSettings: sqlite.prepare(
      `INSERT INTO warmup_settings (mailbox_id, workspace_id, enabled, pool, ramp, loop, progress, updated_at)
       VALUES (@mailbox_id, @workspace_id, @enabled, @pool, @ramp, @loop, 0, @updated_at) ON CONFLICT DO NOTHING`,
    ),
    saveSettings: sqlite.prepare(
      `UPDATE warmup_settings SET enabled = @enabled, pool = @pool, ramp = @ramp, loop = @loop, progress = @progress, paused_at = @paused_at,
         resumed_at = @resumed_at, state = @state, state_code = @state_code, state_reason = @state_reason, state_until = @state_until, updated_at = @updated_at
       WHERE mailbox_id = @mailbox_id`,
    ),
    senders: sqlite.prepare(
      `SELECT w.*, b.id AS b_id FROM warmup_settings w JOIN mailboxes b ON b.id = w.mailbox_id
        WHERE w.enabled = 1 AND b.deleted_at IS NULL`,
    ),
    mailboxes: sqlite.prepare('SELECT * FROM mailboxes WHERE deleted_at IS NULL'),
    mailbox: sqlite.prepare('SELECT * FROM mailboxes WHERE id = ? AND deleted_at IS NULL'),
    poolMailboxes: sqlite.prepare(
      `SELECT b.* FROM warmup_settings w JOIN mailboxes b ON b.id = w.mailbox_id
        WHERE w.pool = 1 AND b.deleted_at IS NULL AND b.imap_host IS NOT NULL AND b.status != 'error'`,
    ),
    externals: sqlite.prepare('SELECT * FROM pool_recipients'),
    day: sqlite.prepare('SELECT * FROM warmup_days WHERE mailbox_id = ? AND day = ?'),
    daysOf: sqlite.prepare('SELECT * FROM warmup_days WHERE day = ?'),
    insertDay: sqlite.prepare(
      `INSERT INTO warmup_days (mailbox_id, day, workspace_id, sending_day, target, volume, state, reason, advanced, planned_at, updated_at)
       VALUES (@mailbox_id, @day, @workspace_id, @sending_day, @target, @volume, @state, @reason, @advanced, @planned_at, @updated_at)
       ON CONFLICT DO NOTHING`,
    ),
    updateDay: sqlite.prepare(
      `UPDATE warmup_days SET target = @target, state = @state, reason = @reason, advanced = @advanced, updated_at = @updated_at
        WHERE mailbox_id = @mailbox_id AND day = @day`,
    ),
    setProgress: sqlite.prepare('UPDATE warmup_settings SET progress = progress + ?, updated_at = ? WHERE mailbox_id = ?'),
    setState: sqlite.prepare(
      `UPDATE warmup_settings SET state = @state, state_code = @code, state_reason = @reason, state_until = @until
        WHERE mailbox_id = @mailbox AND (state IS NOT @state OR state_code IS NOT @code OR state_reason IS NOT @reason OR state_until IS NOT @until)`,
    ),
    event: sqlite.prepare('INSERT INTO message_events (message_id, workspace_id, at, type, data) VALUES (?, ?, ?, ?, ?)'),
    // Per sender and plan day: what was accepted, what is still on its way, what failed.
    counts: sqlite.prepare(
      `SELECT mailbox_id AS mailbox, plan_day AS day,
              sum(kind = 'warmup' AND sent_at IS NOT NULL) AS accepted,
              sum(kind = 'warmup' AND status IN ${PENDING}) AS pending,
              sum(kind = 'warmup' AND status = 'failed') AS failed,
              sum(kind = 'reply') AS replies
         FROM messages WHERE plan_day IN (SELECT value FROM json_each(?)) GROUP BY mailbox_id, plan_day`,
    ),
    countsOne: sqlite.prepare(
      `SELECT sum(kind = 'warmup' AND sent_at IS NOT NULL) AS accepted, sum(kind = 'warmup' AND status IN ${PENDING}) AS pending,
              sum(kind = 'warmup' AND status = 'failed') AS failed, sum(kind = 'reply') AS replies
         FROM messages WHERE plan_day = ? AND mailbox_id = ?`,
    ),
    // Inbound warmup mail per recipient address for the given plan days.
    received: sqlite.prepare(
      `SELECT r.address AS address, count(*) AS n FROM messages m JOIN message_recipients r ON r.message_id = m.id
        WHERE m.plan_day IN (SELECT value FROM json_each(?)) AND m.kind = 'warmup' GROUP BY r.address`,
    ),
    pairHistory: sqlite.prepare(
      `SELECT m.mailbox_id AS sender, r.address AS address, m.plan_day AS day FROM messages m JOIN message_recipients r ON r.message_id = m.id
        WHERE m.plan_day >= ? AND m.plan_day < ? AND m.kind = 'warmup'`,
    ),
    surplus: sqlite.prepare(
      `SELECT id FROM messages WHERE mailbox_id = ? AND plan_day = ? AND kind = 'warmup' AND status = 'planned' ORDER BY next_attempt_at DESC LIMIT ?`,
    ),
    deletePlanned: sqlite.prepare(`DELETE FROM messages WHERE id = ? AND status = 'planned'`),
    // Held mail is not due: a paused mailbox's, and a paused warmup's (by hand or by the loop) warmup mail.
    due: sqlite.prepare(
      `SELECT m.* FROM messages m JOIN mailboxes b ON b.id = m.mailbox_id LEFT JOIN warmup_settings w ON w.mailbox_id = m.mailbox_id
        WHERE m.status = 'planned' AND m.next_attempt_at <= ? AND b.status = 'active' AND b.deleted_at IS NULL
          AND (m.kind != 'warmup' OR (w.paused_at IS NULL AND w.state IS NOT 'paused'))
        ORDER BY m.next_attempt_at LIMIT ?`,
    ),
    held: sqlite.prepare(
      `SELECT id FROM messages WHERE mailbox_id = ? AND plan_day = ? AND kind = 'warmup' AND status = 'planned' ORDER BY next_attempt_at, id`,
    ),
    heldDays: sqlite.prepare(`SELECT * FROM warmup_days WHERE mailbox_id = ? AND state = 'paused' AND day < ? ORDER BY day`),
    noteDropped: sqlite.prepare(
      `UPDATE warmup_days SET dropped = dropped + @n, dropped_reason = @reason, updated_at = @now WHERE mailbox_id = @mailbox AND day = @day`,
    ),
    recipient: sqlite.prepare(`SELECT address FROM message_recipients WHERE message_id = ? LIMIT 1`),
    defer: sqlite.prepare(`UPDATE messages SET next_attempt_at = ?, updated_at = ? WHERE id = ? AND status = 'planned'`),
    // The recognition token is issued on release, not at planning: fewer index writes in the day's big plan.
    promote: sqlite.prepare(`UPDATE messages SET status = 'queued', subject = @subject, ref = @ref, next_attempt_at = @now, updated_at = @now WHERE id = @id AND status = 'planned'`),
    content: sqlite.prepare(`INSERT OR REPLACE INTO message_contents (message_id, text_body, html_body) VALUES (?, ?, NULL)`),
    messageByMessageId: sqlite.prepare('SELECT * FROM messages WHERE message_id = ? LIMIT 1'),
    contentOf: sqlite.prepare('SELECT text_body FROM message_contents WHERE message_id = ?'),
    // Recently released warmup and reply mail, to rebuild the rate limiter after a restart.
    released: sqlite.prepare(
      `SELECT m.mailbox_id AS mailbox, r.address AS address, m.updated_at AS at FROM messages m JOIN message_recipients r ON r.message_id = m.id
        WHERE m.kind IN ('warmup', 'reply') AND m.status != 'planned' AND m.updated_at >= ?`,
    ),
  };

  const CHUNK = 100;
  const multiCache = new Map<number, { messages: BetterSqlite3.Statement; recipients: BetterSqlite3.Statement }>();
  const multi = (n: number) => {
    let st = multiCache.get(n);
    if (!st) {
      st = {
        messages: sqlite.prepare(
          `INSERT INTO messages (id, workspace_id, mailbox_id, kind, status, message_id, from_addr, subject, attempts, next_attempt_at,
             created_at, updated_at, ref, in_reply_to, "references", plan_day) VALUES ` +
            Array(n).fill(`(?, ?, ?, ?, 'planned', ?, ?, '', 0, ?, ?, ?, NULL, ?, ?, ?)`).join(', '),
        ),
        recipients: sqlite.prepare(`INSERT INTO message_recipients (message_id, kind, address, status) VALUES ` + Array(n).fill(`(?, 'to', ?, 'pending')`).join(', ')),
      };
      multiCache.set(n, st);
    }
    return st;
  };

  type Counts = { accepted: number | null; pending: number | null; failed: number | null; replies: number | null };
  const counts = (r: Counts | undefined): DayCounts => ({ accepted: r?.accepted ?? 0, pending: r?.pending ?? 0, failed: r?.failed ?? 0, replies: r?.replies ?? 0 });

  return {
    settings: (mailboxId: string) => s.settings.get(mailboxId) as WarmupSettingsRow | undefined,
    insertSettings: (row: Pick<WarmupSettingsRow, 'mailbox_id' | 'workspace_id' | 'enabled' | 'pool' | 'ramp' | 'loop' | 'updated_at'>) => s.insertSettings.run(row),
    saveSettings: (row: WarmupSettingsRow) => s.saveSettings.run(row),
    /** Mailboxes with warmup on, with their mailbox rows. */
    senders(): SenderRow[] {
      const rows = s.senders.all() as WarmupSettingsRow[];
      const byId = new Map((s.mailboxes.all() as MailboxRow[]).map((m) => [m.id, m]));
      return rows.flatMap((w) => {
        const m = byId.get(w.mailbox_id);
        return m ? [{ ...w, m }] : [];
      });
    },
    /** One mailbox with warmup on, or undefined. */
    sender(mailboxId: string): SenderRow | undefined {
      const w = s.settings.get(mailboxId) as WarmupSettingsRow | undefined;
      const m = w?.enabled === 1 ? (s.mailbox.get(mailboxId) as MailboxRow | undefined) : undefined;
      return w && m ? { ...w, m } : undefined;
    },
    poolMailboxes: () => s.poolMailboxes.all() as MailboxRow[],
    externals: () => s.externals.all() as PoolRecipientRow[],
    day: (mailboxId: string, day: string) => s.day.get(mailboxId, day) as WarmupDayRow | undefined,
    daysOf: (day: string) => s.daysOf.all(day) as WarmupDayRow[],
    /** False when the day was already planned (by an earlier run): planning is idempotent. */
    insertDay: (row: Omit<WarmupDayRow, 'dropped' | 'dropped_reason'>) => s.insertDay.run(row).changes === 1,
    updateDay: (row: Pick<WarmupDayRow, 'mailbox_id' | 'day' | 'target' | 'state' | 'reason' | 'advanced' | 'updated_at'>) => s.updateDay.run(row),
    addProgress: (mailboxId: string, delta: number, now: number) => s.setProgress.run(delta, now, mailboxId),
    /** Record the loop's decision; true when it changed. */
    setState: (v: { mailbox: string; state: string; code: string | null; reason: string | null; until: number | null }) => s.setState.run(v).changes === 1,
    /**
     * Writes planned messages and their recipients, buffered: multi-row INSERTs of up to CHUNK rows
     * cut the per-statement cost that dominates a 400,000-message day. Call flush() before the
     * transaction ends. A message's event log starts when it is released (`queued`).
     */
    plannedWriter(now: number) {
      const buf: PlannedMessage[] = [];
      const flush = () => {
        if (buf.length === 0) return;
        const n = buf.length;
        const m: unknown[] = [];
        const r: unknown[] = [];
        for (const p of buf) {
          m.push(p.id, p.workspace_id, p.mailbox_id, p.kind, p.message_id, p.from_addr, p.at, now, now, p.in_reply_to, p.references, p.plan_day);
          r.push(p.id, p.to);
        }
        multi(n).messages.run(m);
        multi(n).recipients.run(r);
        buf.length = 0;
      };
      return {
        add(p: PlannedMessage) {
          buf.push(p);
          if (buf.length >= CHUNK) flush();
        },
        flush,
      };
    },
    counts(days: string[]): Map<string, DayCounts> {
      const out = new Map<string, DayCounts>();
      for (const r of s.counts.all(JSON.stringify(days)) as (Counts & { mailbox: string; day: string })[]) out.set(`${r.mailbox}|${r.day}`, counts(r));
      return out;
    },
    countsOne: (mailboxId: string, day: string) => counts(s.countsOne.get(day, mailboxId) as Counts | undefined),
    received(days: string[]): Map<string, number> {
      return new Map((s.received.all(JSON.stringify(days)) as { address: string; n: number }[]).map((r) => [r.address, r.n]));
    },
    pairHistory: (fromDay: string, toDay: string) => s.pairHistory.all(fromDay, toDay) as { sender: string; address: string; day: string }[],
    // The closed loop reads the same figures every screen shows (all Kiln mail; docs/FIGURES.md).
    spamSince: (since: number) => figures.mail.spamSeen(since),
    rates: (since: number) => figures.mail.loopOutcomes(since),
    spamOf: (mailbox: string, since: number) => figures.mail.spamSeenOf(mailbox, since),
    ratesOf: (mailbox: string, since: number) => figures.mail.loopOutcomesOf(mailbox, since),
    /** Drop up to n of a day's not-yet-due warmup messages, latest first (never anything already queued). */
    dropPlanned(mailboxId: string, day: string, n: number): number {
      let dropped = 0;
      for (const id of s.surplus.pluck().all(mailboxId, day, n) as string[]) dropped += s.deletePlanned.run(id).changes;
      return dropped;
    },
    deletePlanned: (id: string) => s.deletePlanned.run(id).changes === 1,
    /** A day's warmup mail still planned (held while paused), earliest first. */
    held: (mailboxId: string, day: string) => s.held.pluck().all(mailboxId, day) as string[],
    /** A mailbox's days before `today` that ended while paused. */
    heldDays: (mailboxId: string, today: string) => s.heldDays.all(mailboxId, today) as WarmupDayRow[],
    /** Count planned mail dropped from a day, with the reason the day plan shows. */
    noteDropped: (mailbox: string, day: string, n: number, reason: string, now: number) => s.noteDropped.run({ mailbox, day, n, reason, now }),
    due: (now: number, limit: number) => s.due.all(now, limit) as MessageRow[],
    recipientOf: (messageId: string) => (s.recipient.pluck().get(messageId) as string | undefined) ?? null,
    defer: (id: string, at: number, now: number) => s.defer.run(at, now, id),
    /** Planned → queued with its rendered content, as one change; false if it was no longer planned. */
    promote(m: MessageRow, subject: string, text: string, ref: string, now: number): boolean {
      if (s.promote.run({ id: m.id, subject, ref, now }).changes === 0) return false;
      s.content.run(m.id, text);
      s.event.run(m.id, m.workspace_id, now, 'queued', JSON.stringify({ kind: m.kind }));
      return true;
    },
    messageByMessageId: (messageId: string) => s.messageByMessageId.get(messageId) as MessageRow | undefined,
    textOf: (id: string) => ((s.contentOf.pluck().get(id) as string | null | undefined) ?? ''),
    released: (since: number) => s.released.all(since) as { mailbox: string; address: string; at: number }[],
    transaction: <T>(fn: () => T): T => sqlite.transaction(fn)(),
  };
}
export type WarmupStore = ReturnType<typeof warmupStore>;
