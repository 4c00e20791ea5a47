import { sql, type Kysely, type Migration } from 'kysely';

// FROZEN once shipped: never edit; add a new dated file to the registry instead.
// Seeds (placement tests) and contacts (broadcasts): one row per (workspace, kind, address).

export const recipients: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('recipients')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .execute();
    await sql`CREATE UNIQUE INDEX recipients_address ON recipients (workspace_id, kind, address)`.execute(db);
    // Listing newest first (ids are time-ordered).
    await sql`CREATE INDEX recipients_list ON recipients (workspace_id, kind, id)`.execute(db);
  },
};
