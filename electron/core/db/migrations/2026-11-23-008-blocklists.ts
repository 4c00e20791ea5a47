import { sql, type Kysely, type Migration } from 'kysely';

// FROZEN once shipped: never edit; add a new dated file to the registry instead.
// DNS blocklists: per-workspace settings (the Spamhaus DQS key only as a secret-store ref), the
// latest result per (workspace, target, zone), and the history of scans with their status changes.

export const blocklists: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('blocklist_settings')
      .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id').onDelete('cascade'))
      .addColumn('config', 'text', (c) => c.notNull())
      .addColumn('dqs_secret_ref', 'text')
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('blocklist_results')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('zone', 'text', (c) => c.notNull())
      .addColumn('target_kind', 'text', (c) => c.notNull())
      .addColumn('sources', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('codes', 'text', (c) => c.notNull())
      .addColumn('error_code', 'text')
      .addColumn('error_message', 'text')
      .addColumn('query', 'text', (c) => c.notNull())
      .addColumn('checked_at', 'integer', (c) => c.notNull())
      .addColumn('changed_at', 'integer', (c) => c.notNull())
      .addColumn('listed_since', 'integer')
      // The last verdict that was not an error: an outage never counts as a delisting.
      .addColumn('last_verdict', 'text')
      .addColumn('error_streak', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('scan_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('blocklist_results_pk', ['workspace_id', 'target', 'zone'])
      .execute();

    await db.schema
      .createTable('blocklist_scans')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('started_at', 'integer', (c) => c.notNull())
      .addColumn('finished_at', 'integer', (c) => c.notNull())
      .addColumn('targets', 'integer', (c) => c.notNull())
      .addColumn('queries', 'integer', (c) => c.notNull())
      .addColumn('listed', 'integer', (c) => c.notNull())
      .addColumn('clear', 'integer', (c) => c.notNull())
      .addColumn('errors', 'integer', (c) => c.notNull())
      .addColumn('changes', 'integer', (c) => c.notNull())
      .addColumn('dqs', 'integer', (c) => c.notNull())
      .execute();
    // Newest first per workspace (ids are time-ordered); the scheduler reads the latest.
    await sql`CREATE INDEX blocklist_scans_list ON blocklist_scans (workspace_id, id)`.execute(db);

    await db.schema
      .createTable('blocklist_changes')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('scan_id', 'text', (c) => c.notNull().references('blocklist_scans.id').onDelete('cascade'))
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('zone', 'text', (c) => c.notNull())
      .addColumn('from_status', 'text')
      .addColumn('to_status', 'text', (c) => c.notNull())
      .addColumn('codes', 'text', (c) => c.notNull())
      .addColumn('at', 'integer', (c) => c.notNull())
      .execute();
    await sql`CREATE INDEX blocklist_changes_scan ON blocklist_changes (scan_id)`.execute(db);
  },
};
