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
    /** Mailboxes whose warmup is on and currently paused (true) or not (false). */
    warmupsPaused: (workspaceId: string, paused: boolean) => s.pausable.all(workspaceId, paused ? 1 : 0) as string[],
  };
}
export type FleetStore = ReturnType<typeof fleetStore>;
