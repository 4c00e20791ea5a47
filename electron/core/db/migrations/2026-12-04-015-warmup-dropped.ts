import { type Kysely, type Migration } from 'kysely';

// FROZEN once shipped: never edit; add a new dated file to the registry instead.
// A day's planned warmup mail that was dropped instead of sent (held by a pause that outlasted the send
// window, a recipient suppressed before its turn...): how many, and the latest reason, shown on the day plan.

export const warmupDropped: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('warmup_days').addColumn('dropped', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('warmup_days').addColumn('dropped_reason', 'text').execute();
  },
};
