import type BetterSqlite3 from 'better-sqlite3';

/** A live mailbox with its warmup row (null columns when warmup was never set up). */
export interface FleetSourceRow {
  id: string;
  email: string;
  display_name: string | null;
  provider: string;
  status: string;
  last_error: string | null;
  readable: number;
  time_zone: string;
  enabled: number | null;
  /** The ramp's time zone: the warmup day is counted in it. */
  ramp_tz: string | null;
  progress: number | null;
  state: string | null;
  state_code: string | null;
  state_reason: string | null;
  state_until: number | null;
  paused_at: number | null;
}

const SLACK = 7 * 24 * 3_600_000;

/** The fleet's reads: one query each for the whole workspace, never one per mailbox. */
export function fleetStore(sqlite: BetterSqlite3.Database) {
  const s = {
    mailboxes: sqlite.prepare(
      `SELECT b.id, b.email, b.display_name, b.provider, b.status, b.last_error, b.time_zone,
              (b.imap_host IS NOT NULL AND b.imap_secret_ref IS NOT NULL) AS readable,
              w.enabled, json_extract(w.ramp, '$.timeZone') AS ramp_tz, w.progress, w.state, w.state_code, w.state_reason, w.state_until, w.paused_at
         FROM mailboxes b LEFT JOIN warmup_settings w ON w.mailbox_id = b.id
        WHERE b.workspace_id = ? AND b.deleted_at IS NULL ORDER BY b.created_at, b.id`,
    ),
    // Where each sender's mail landed, for mail sent since @since ("missing" is not a placement).
    // The created_at bound lets the (workspace_id, created_at) index skip the workspace's history;
    // mail goes out within hours of being created, so a week of slack loses nothing real.
    placements: sqlite.prepare(
      `SELECT m.mailbox_id AS mailbox, sum(p.placement = 'inbox') AS inbox, sum(p.placement != 'missing') AS seen
         FROM messages m JOIN message_placements p ON p.message_id = m.id
        WHERE m.workspace_id = @ws AND m.created_at >= @since - @slack AND m.sent_at >= @since GROUP BY m.mailbox_id`,
    ),
    // Warmup rows of live mailboxes whose pause flag is (or is not) set: the targets of pause/resume all.
    pausable: sqlite
      .prepare(
        `SELECT w.mailbox_id FROM warmup_settings w JOIN mailboxes b ON b.id = w.mailbox_id
          WHERE w.workspace_id = ? AND w.enabled = 1 AND b.deleted_at IS NULL AND (w.paused_at IS NOT NULL) = ? ORDER BY b.created_at, b.id`,
      )
      .pluck(),
  };
  return {
    mailboxes: (workspaceId: string) => s.mailboxes.all(workspaceId) as FleetSourceRow[],
    /** Inbox share per sender since `since`; senders with nothing seen are absent. */
    inboxRates(workspaceId: string, since: number): Map<string, number> {
      const out = new Map<string, number>();
      for (const r of s.placements.all({ ws: workspaceId, since, slack: SLACK }) as { mailbox: string; inbox: number; seen: number }[]) {
        if (r.seen > 0) out.set(r.mailbox, r.inbox / r.seen);
      }
      return out;
    },
    /** Mailboxes whose warmup is on and currently paused (true) or not (false). */
    warmupsPaused: (workspaceId: string, paused: boolean) => s.pausable.all(workspaceId, paused ? 1 : 0) as string[],
  };
}
export type FleetStore = ReturnType<typeof fleetStore>;
