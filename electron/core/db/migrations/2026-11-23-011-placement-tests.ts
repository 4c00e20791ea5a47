import { sql, type Kysely, type Migration } from 'kysely';

// FROZEN once shipped: never edit; add a new dated file to the registry instead.
// Inbox placement tests: a test, and per seed the message sent to it and how the received copy
// authenticated. Where each copy landed is the feedback loop's message_placements row.

export const placementTests: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('placement_tests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('mailbox_id', 'text', (c) => c.notNull())
      .addColumn('from_addr', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('deadline_at', 'integer', (c) => c.notNull())
      .addColumn('completed_at', 'integer')
      .execute();
    await sql`CREATE INDEX placement_tests_list ON placement_tests (workspace_id, id)`.execute(db);
    await db.schema
      .createTable('placement_test_seeds')
      .addColumn('test_id', 'text', (c) => c.notNull().references('placement_tests.id').onDelete('cascade'))
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('readable', 'integer', (c) => c.notNull())
      .addColumn('message_id', 'text')
      .addColumn('error', 'text')
      .addColumn('auth', 'text')
      .addPrimaryKeyConstraint('placement_test_seeds_pk', ['test_id', 'address'])
      .execute();
    await sql`CREATE INDEX placement_test_seeds_message ON placement_test_seeds (message_id)`.execute(db);
  },
};
