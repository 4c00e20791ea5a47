// Placements and outcomes of all Kiln mail a mailbox sent, per mailbox and workspace-wide (one
// grouped read whatever the number of mailboxes), over a window of send times.
import type BetterSqlite3 from 'better-sqlite3';
import { PLACEMENT_SUMS, outcomeSums, noOutcomes, noPlacements, type OutcomeCounts, type PlacementCounts } from './select';

const WEEK = 7 * 86_400_000;

export interface PlacementSampleRow {
  placement: string;
  recipient: string;
  sentAt: number;
}

export function mailFigures(sqlite: BetterSqlite3.Database) {
  const s = {
    // The created_at bound lets the (workspace_id, created_at) index skip the workspace's history:
    // mail goes out within hours of being created, so a week of slack loses nothing real.
    wsPlacements: sqlite.prepare(
      `SELECT m.mailbox_id AS mailbox, ${PLACEMENT_SUMS}
         FROM messages m JOIN message_placements p ON p.message_id = m.id
        WHERE m.workspace_id = @ws AND m.created_at >= @since - @slack AND m.sent_at >= @since AND m.sent_at < @until GROUP BY m.mailbox_id`,
    ),
    // By the receiving mailbox's provider (placements are read at Kiln mailboxes only).
    wsByProvider: sqlite.prepare(
      `SELECT r.provider AS provider, ${PLACEMENT_SUMS}
         FROM messages m JOIN message_placements p ON p.message_id = m.id JOIN mailboxes r ON r.id = p.mailbox_id
        WHERE m.workspace_id = @ws AND m.created_at >= @since - @slack AND m.sent_at >= @since AND m.sent_at < @until GROUP BY r.provider ORDER BY r.provider`,
    ),
    placements: sqlite.prepare(
      `SELECT ${PLACEMENT_SUMS} FROM messages m JOIN message_placements p ON p.message_id = m.id
        WHERE m.mailbox_id = @mailbox AND m.sent_at >= @since AND m.sent_at < @until`,
    ),
    samples: sqlite.prepare(
      `SELECT p.placement, p.recipient, m.sent_at AS sentAt FROM messages m JOIN message_placements p ON p.message_id = m.id
        WHERE m.mailbox_id = ? AND m.sent_at >= ?`,
    ),
    outcomes: sqlite.prepare(`SELECT ${outcomeSums()} FROM messages m WHERE m.mailbox_id = @mailbox AND m.sent_at >= @since AND m.sent_at < @until`),
    // The closed loop's inputs, across every workspace (warmup crosses them through the pool).
    spamSeen: sqlite.prepare(
      `SELECT m.mailbox_id AS mailbox, p.seen_at AS at FROM message_placements p JOIN messages m ON m.id = p.message_id
        WHERE p.placement = 'spam' AND p.seen_at >= ? AND m.sent_at IS NOT NULL`,
    ),
    spamSeenOne: sqlite.prepare(
      `SELECT m.mailbox_id AS mailbox, p.seen_at AS at FROM message_placements p JOIN messages m ON m.id = p.message_id
        WHERE p.placement = 'spam' AND p.seen_at >= ? AND m.sent_at IS NOT NULL AND m.mailbox_id = ?`,
    ),
    loopOutcomes: sqlite.prepare(
      `SELECT m.mailbox_id AS mailbox, ${outcomeSums()}
         FROM messages m JOIN warmup_settings w ON w.mailbox_id = m.mailbox_id
        WHERE m.sent_at >= max(@since, coalesce(w.resumed_at, 0)) GROUP BY m.mailbox_id`,
    ),
    loopOutcomesOne: sqlite.prepare(
      `SELECT m.mailbox_id AS mailbox, ${outcomeSums()}
         FROM messages m JOIN warmup_settings w ON w.mailbox_id = m.mailbox_id
        WHERE m.mailbox_id = @mailbox AND m.sent_at >= max(@since, coalesce(w.resumed_at, 0)) GROUP BY m.mailbox_id`,
    ),
  };
  const window = (since: number, until = Number.MAX_SAFE_INTEGER) => ({ since, until });

  return {
    /** Where each mailbox's mail sent in [since, until) landed; mailboxes with none are absent. */
    placementsByMailbox(workspaceId: string, since: number, until?: number): Map<string, PlacementCounts> {
      const rows = s.wsPlacements.all({ ws: workspaceId, slack: WEEK, ...window(since, until) }) as (PlacementCounts & { mailbox: string })[];
      return new Map(rows.map(({ mailbox, ...c }) => [mailbox, c]));
    },
    /** Where the workspace's mail sent in [since, until) landed, per receiving provider; providers with none are absent. */
    placementsByProvider(workspaceId: string, since: number, until?: number): Map<string, PlacementCounts> {
      const rows = s.wsByProvider.all({ ws: workspaceId, slack: WEEK, ...window(since, until) }) as (PlacementCounts & { provider: string })[];
      return new Map(rows.map(({ provider, ...c }) => [provider, c]));
    },
    placements: (mailboxId: string, since: number, until?: number): PlacementCounts =>
      (s.placements.get({ mailbox: mailboxId, ...window(since, until) }) as PlacementCounts | undefined) ?? noPlacements(),
    /** Each placement (missing included) of the mail sent since `since`, for scores that weigh them one by one. */
    placementSamples: (mailboxId: string, since: number) => s.samples.all(mailboxId, since) as PlacementSampleRow[],
    outcomes: (mailboxId: string, since: number, until?: number): OutcomeCounts =>
      (s.outcomes.get({ mailbox: mailboxId, ...window(since, until) }) as OutcomeCounts | undefined) ?? noOutcomes(),
    /** Spam placements seen since `since`, with when each was seen (the loop's spam signal). */
    spamSeen: (since: number) => s.spamSeen.all(since) as { mailbox: string; at: number }[],
    /** Outcomes per warming mailbox since `since`, or since its last resume if later (the loop's rates). */
    loopOutcomes: (since: number) => s.loopOutcomes.all({ since }) as (OutcomeCounts & { mailbox: string })[],
    /** spamSeen and loopOutcomes of one mailbox (its pause or resume, without reading the fleet's). */
    spamSeenOf: (mailbox: string, since: number) => s.spamSeenOne.all(since, mailbox) as { mailbox: string; at: number }[],
    loopOutcomesOf: (mailbox: string, since: number) => s.loopOutcomesOne.all({ mailbox, since }) as (OutcomeCounts & { mailbox: string })[],
  };
}
export type MailFigures = ReturnType<typeof mailFigures>;
