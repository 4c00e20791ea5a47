import type BetterSqlite3 from 'better-sqlite3';
import type { MailboxRow, MessageRow } from '../db/schema';
import type { Db } from '../db/connection';
import type { Clock } from '../clock';
import type { EventBus } from '../events/bus';
import type { Logger } from '../log';
import type { MailboxService } from '../mailboxes/service';
import { classifyMessage, type BounceInfo, type Classification } from './classify';
import { newId } from '../util/ids';
import { messageByRef } from './recognise';
import type { FeedbackStore } from './store';
import { outcomeRecorder } from './outcomes';
import { plural } from '../../../shared/plural';

/** Soft bounces to one address within the window before it is suppressed. */
export interface BounceRules {
  softLimit: number;
  softWindowMs: number;
}
export const defaultBounceRules: BounceRules = { softLimit: 3, softWindowMs: 7 * 86_400_000 };

const MAX_REPORT_BYTES = 25 * 1024 * 1024;

/** What recording returned mail uses. */
export interface ReportRecorderNeeds {
  db: Db;
  clock: Clock;
  bus: EventBus;
  log: Logger;
  mailboxes: Pick<MailboxService, 'flag'>;
}

/**
 * Records what a delivery report, complaint or automatic reply says about a message Kiln sent,
 * found through the token or the Message-ID in the returned part. Each report applies once (its
 * own Message-ID is kept with the event), so a folder resync does not count it twice.
 */
export function reportRecorder(deps: ReportRecorderNeeds, store: FeedbackStore, rules: BounceRules) {
  const sqlite = deps.db.sqlite;
  const s = statements(sqlite);
  const byRef = messageByRef(sqlite);
  const outcomes = outcomeRecorder(sqlite);

  function original(c: Classification): MessageRow | undefined {
    return (c.ref ? byRef(c.ref) : undefined) ?? (c.originalMessageId ? (s.byMessageId.get(c.originalMessageId) as MessageRow | undefined) : undefined);
  }

  const apply = sqlite.transaction((m: MessageRow, c: Classification, reportId: string, now: number): string | null => {
    if (s.seen.get(m.id, reportId)) return null;
    const event = (type: string, data: object) => store.event(m, type, { report: reportId, ...data }, now);
    const suppress = (address: string, reason: string, detail: string | null) =>
      s.suppress.run({ id: newId('sup'), workspace: m.workspace_id, address, reason, detail, message: m.id, now });
    // One recipient's failure or delay, as a DSN block or a non-standard bounce reports it.
    const bounce = (b: BounceInfo): string => {
      const recipient = b.recipient?.toLowerCase() ?? null;
      const data = { recipient, status: b.status, diagnostic: b.diagnostic, type: b.type, source: b.source };
      const outcome = (state: 'bounced' | 'deferred') => outcomes.record({ messageId: m.id, recipient, state, status: b.status, diagnostic: b.diagnostic, now });
      if (b.type === 'hard') {
        event('bounced', data);
        outcome('bounced');
        if (recipient) suppress(recipient, 'hard_bounce', `${b.status ?? ''} ${b.diagnostic ?? ''}`.trim() || null);
        return 'bounced';
      }
      if (b.type === 'sender') {
        // The sender's authentication or reputation failed: never the recipient's fault, so no
        // suppression; but the message did not get through to them, and says so.
        event('sender_rejected', data);
        outcome('bounced');
        return 'sender_rejected';
      }
      event('soft_bounce', data);
      outcome('deferred');
      if (recipient) {
        const n = (s.softCount.get(m.workspace_id, recipient, now - rules.softWindowMs) as { n: number }).n;
        if (n >= rules.softLimit) suppress(recipient, 'soft_bounces', `${plural(n, 'soft bounce', 'soft bounces')} within ${plural(Math.round(rules.softWindowMs / 86_400_000), 'day', 'days')}`);
      }
      return 'soft_bounce';
    };
    if (c.kind === 'bounce' && c.bounce) {
      // Every recipient the report names; what it means for the message is its first one.
      const [first] = [c.bounce, ...(c.otherBounces ?? [])].map(bounce);
      outcomes.settleBounced(m.id, now);
      return first!;
    }
    if (c.kind === 'complaint' && c.complaint) {
      const data = { recipient: c.complaint.recipient, feedbackType: c.complaint.feedbackType };
      if (c.complaint.feedbackType === 'not-spam') {
        event('not_spam', data);
        return 'not_spam';
      }
      event('complained', data);
      outcomes.record({ messageId: m.id, recipient: c.complaint.recipient, state: 'complained', status: null, diagnostic: c.complaint.feedbackType, now });
      s.status.run({ id: m.id, status: 'complained', now });
      const who = c.complaint.recipient?.toLowerCase();
      if (who) suppress(who, 'complaint', c.complaint.feedbackType);
      return 'complained';
    }
    if (c.kind === 'auto-reply') {
      event('auto_reply', {});
      return 'auto_reply';
    }
    return null;
  });

  return {
    /** Download, classify and record one report; returns what it meant for the original, if anything. */
    async handle(source: Buffer, mailbox: MailboxRow, fallbackId: string): Promise<{ message: MessageRow; outcome: string; classification: Classification } | null> {
      const c = await classifyMessage(source, { maxBytes: MAX_REPORT_BYTES });
      if (c.kind !== 'bounce' && c.kind !== 'complaint' && c.kind !== 'auto-reply') return null;
      const m = original(c);
      if (!m) return null;
      const reportId = reportMessageId(source) ?? fallbackId;
      const outcome = apply(m, c, reportId, deps.clock.now());
      if (!outcome) return null;
      if (outcome === 'sender_rejected' && c.bounce) {
        const sender = s.mailbox.get(m.mailbox_id) as MailboxRow | undefined;
        if (sender) await deps.mailboxes.flag(sender, { protocol: 'smtp', stage: 'send', code: `DSN_${c.bounce.status ?? 'POLICY'}`, message: c.bounce.diagnostic ?? 'rejected by the receiving server' });
      }
      deps.bus.emit(m.workspace_id, 'message.updated', { id: m.id, mailboxId: m.mailbox_id, status: (s.current.get(m.id) as { status: string }).status as never, event: outcome });
      deps.log.info({ messageId: m.id, outcome, via: mailbox.id }, 'report recorded');
      return { message: m, outcome, classification: c };
    },
  };
}
export type ReportRecorder = ReturnType<typeof reportRecorder>;

function reportMessageId(source: Buffer): string | null {
  const head = source.subarray(0, Math.min(source.length, 64 * 1024)).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const m = /^message-id:[ \t]*(<[^>\r\n]{1,250}>)/im.exec(end === -1 ? head : head.slice(0, end));
  return m?.[1] ?? null;
}

function statements(sqlite: BetterSqlite3.Database) {
  return {
    byMessageId: sqlite.prepare('SELECT * FROM messages WHERE message_id = ? ORDER BY created_at DESC LIMIT 1'),
    current: sqlite.prepare('SELECT status FROM messages WHERE id = ?'),
    mailbox: sqlite.prepare('SELECT * FROM mailboxes WHERE id = ?'),
    seen: sqlite.prepare(`SELECT 1 FROM message_events WHERE message_id = ? AND json_extract(data, '$.report') = ?`),
    // A complaint outranks "sent" and "bounced"; it never rewrites a failed or queued message.
    status: sqlite.prepare(`UPDATE messages SET status = @status, updated_at = @now WHERE id = @id AND status IN ('sent', 'bounced')`),
    suppress: sqlite.prepare(
      `INSERT INTO suppressions (id, workspace_id, address, reason, detail, message_id, created_at)
       VALUES (@id, @workspace, @address, @reason, @detail, @message, @now) ON CONFLICT DO NOTHING`,
    ),
    softCount: sqlite.prepare(
      `SELECT count(*) AS n FROM message_events e JOIN messages m ON m.id = e.message_id
        WHERE m.workspace_id = ? AND e.type = 'soft_bounce' AND json_extract(e.data, '$.recipient') = ? AND e.at > ?`,
    ),
  };
}
