import { sql, type Kysely, type Migration } from 'kysely';

// FROZEN once shipped: never edit; add a new dated file to the registry instead.
// Alerts: one row per occurrence of a condition (open until resolved). At most one open alert per
// (workspace, key), so a check that raises the same condition every hour adds nothing.

export const alerts: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('alerts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('mailbox_id', 'text')
      .addColumn('domain', 'text')
      .addColumn('ip', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('raised_at', 'integer', (c) => c.notNull())
      .addColumn('resolved_at', 'integer')
      .addColumn('acknowledged_at', 'integer')
      .execute();
    await sql`CREATE UNIQUE INDEX alerts_open_key ON alerts (workspace_id, key) WHERE state = 'open'`.execute(db);
    // Listing newest first (ids are time-ordered).
    await sql`CREATE INDEX alerts_list ON alerts (workspace_id, state, id)`.execute(db);
  },
};
