import type BetterSqlite3 from 'better-sqlite3';
import type { RecipientOutcomeState } from '../../../shared/domain/message';

// Per-recipient outcomes after the SMTP handoff, and the message status they imply. A stronger
// outcome replaces a weaker one, never the reverse: a late "delayed" DSN does not undo a bounce,
// and a complaint outranks everything (the message was delivered, then reported).
const RANK: Record<RecipientOutcomeState, number> = { deferred: 1, delivered: 2, bounced: 3, complained: 4 };
const RANK_SQL = `CASE outcome WHEN 'deferred' THEN 1 WHEN 'delivered' THEN 2 WHEN 'bounced' THEN 3 WHEN 'complained' THEN 4 ELSE 0 END`;

export interface OutcomeReport {
  messageId: string;
  /** The recipient the report names, if any. */
  recipient: string | null;
  state: RecipientOutcomeState;
  status: string | null;
  diagnostic: string | null;
  now: number;
}

export function outcomeRecorder(sqlite: BetterSqlite3.Database) {
  const s = {
    addresses: sqlite.prepare('SELECT DISTINCT lower(address) FROM message_recipients WHERE message_id = ?').pluck(),
    // A newer deferral refreshes the older one (the latest reason is the useful one).
    set: sqlite.prepare(
      `UPDATE message_recipients SET outcome = @state, outcome_status = @status, outcome_diagnostic = @diagnostic, outcome_at = @now
        WHERE message_id = @messageId AND lower(address) = @recipient AND (${RANK_SQL} < @rank OR (@rank = 1 AND outcome = 'deferred'))`,
    ),
    // Bounced only when nobody got it: every recipient refused at SMTP time or bounced since.
    bounced: sqlite.prepare(
      `UPDATE messages SET status = 'bounced', updated_at = @now
        WHERE id = @messageId AND status = 'sent'
          AND NOT EXISTS (SELECT 1 FROM message_recipients r WHERE r.message_id = @messageId AND r.status != 'rejected' AND r.outcome IS NOT 'bounced')`,
    ),
  };

  return {
    /**
     * Record what a report or a sighting says about one recipient. Returns the recipient it was
     * recorded for (null when the report names none and the message had several recipients).
     */
    record(r: OutcomeReport): string | null {
      const all = s.addresses.all(r.messageId) as string[];
      const named = r.recipient?.toLowerCase();
      // A report naming nobody, or an address the message was not sent to (an alias expanded on
      // the way), is about the lone recipient if there is one; with several, nobody can tell.
      const recipient = named && all.includes(named) ? named : all.length === 1 ? all[0]! : null;
      if (!recipient) return null;
      s.set.run({ messageId: r.messageId, recipient, state: r.state, status: r.status, diagnostic: r.diagnostic, now: r.now, rank: RANK[r.state] });
      return recipient;
    },
    /** Move a sent message to `bounced` if no recipient got it; true when it changed. */
    settleBounced: (messageId: string, now: number): boolean => s.bounced.run({ messageId, now }).changes > 0,
  };
}
export type OutcomeRecorder = ReturnType<typeof outcomeRecorder>;
