import { type Kysely, type Migration } from 'kysely';

// FROZEN once shipped: never edit; add a new dated file to the registry instead.
// One health score per mailbox per day (the day's latest computation), with its parts as JSON.

export const healthScores: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('health_scores')
      .addColumn('mailbox_id', 'text', (c) => c.notNull())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('score', 'integer')
      .addColumn('components', 'text', (c) => c.notNull())
      .addColumn('computed_at', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('health_scores_pk', ['mailbox_id', 'day'])
      .execute();
  },
};
