import { sql, type Kysely, type Migration } from 'kysely';

// FROZEN once shipped: never edit; add a new dated file to the registry instead.
// Webhooks: registered receivers of alert events, and one row per delivery (durable: a restart
// resumes pending ones). The signing secret lives in the secret store; only its ref is here.

export const webhooks: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('webhooks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      // Comma-separated event types.
      .addColumn('events', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('secret_ref', 'text', (c) => c.notNull())
      .addColumn('previous_secret_ref', 'text')
      .addColumn('previous_secret_until', 'integer')
      .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('failing_since', 'integer')
      .addColumn('disabled_reason', 'text')
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .execute();
    await sql`CREATE INDEX webhooks_workspace ON webhooks (workspace_id, created_at)`.execute(db);

    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('webhook_id', 'text', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
      .addColumn('event_type', 'text', (c) => c.notNull())
      // The exact JSON sent on every attempt (signatures are computed over it).
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'integer')
      .addColumn('last_status_code', 'integer')
      .addColumn('last_error', 'text')
      // JSON array of { at, statusCode, error, durationMs }: bounded by the retry schedule.
      .addColumn('attempt_log', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .addColumn('delivered_at', 'integer')
      .execute();
    // The worker's scan: pending deliveries by due time.
    await sql`CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`.execute(db);
    // Listing a webhook's deliveries newest first (ids are time-ordered).
    await sql`CREATE INDEX webhook_deliveries_list ON webhook_deliveries (webhook_id, id)`.execute(db);
  },
};
