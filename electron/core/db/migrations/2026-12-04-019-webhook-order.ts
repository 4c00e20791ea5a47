import { sql, type Kysely, type Migration } from 'kysely';

// FROZEN once shipped: never edit; add a new dated file to the registry instead.
// Message and warmup events must reach a receiver in order: deliveries that share an order key
// (one webhook and one message, or one webhook and one mailbox's warmup) are sent one after
// another. Alerts carry none. The partial index serves the worker's "an earlier one is pending" test.

export const webhookOrder: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('webhook_deliveries').addColumn('order_key', 'text').execute();
    await sql`CREATE INDEX webhook_deliveries_order ON webhook_deliveries (order_key) WHERE status = 'pending' AND order_key IS NOT NULL`.execute(db);
    // The workspace-wide delivery log, newest first.
    await sql`CREATE INDEX webhook_deliveries_log ON webhook_deliveries (workspace_id, id)`.execute(db);
  },
};
