import { sql, type Kysely, type Migration } from 'kysely';

// FROZEN once shipped: never edit; add a new dated file to the registry instead.
// Warmup engine: each mailbox's ramp and closed-loop state, one row per planned (mailbox, day) so
// planning is idempotent, external pool recipients, and the plan day of each warmup message.

export const warmup: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('warmup_settings')
      .addColumn('mailbox_id', 'text', (c) => c.primaryKey().references('mailboxes.id').onDelete('cascade'))
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      /** Warmup sending is on for this mailbox. */
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(0))
      /** The mailbox receives (and engages with) other members' warmup mail. */
      .addColumn('pool', 'integer', (c) => c.notNull().defaultTo(1))
      /** JSON Ramp (shared/warmup/ramp.ts). */
      .addColumn('ramp', 'text', (c) => c.notNull())
      /** JSON LoopSettings (shared/warmup/loop.ts). */
      .addColumn('loop', 'text', (c) => c.notNull())
      /** Sending days the ramp has advanced: its position. Kept across pauses and max changes. */
      .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('paused_at', 'integer')
      /** The loop ignores bounce and complaint signals older than a person's resume. */
      .addColumn('resumed_at', 'integer')
      /** The closed loop's latest decision, for the UI: state, code, reason, until. */
      .addColumn('state', 'text', (c) => c.notNull().defaultTo('warming'))
      .addColumn('state_code', 'text')
      .addColumn('state_reason', 'text')
      .addColumn('state_until', 'integer')
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('warmup_settings_workspace').on('warmup_settings').column('workspace_id').execute();

    await db.schema
      .createTable('warmup_days')
      .addColumn('mailbox_id', 'text', (c) => c.notNull().references('mailboxes.id').onDelete('cascade'))
      /** Local date (YYYY-MM-DD) in the ramp's time zone. */
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      /** Ramp position used for the day; NULL on days off. */
      .addColumn('sending_day', 'integer')
      /** Accepted warmup sends wanted that day (failed sends do not count toward it). */
      .addColumn('target', 'integer', (c) => c.notNull())
      /** The ramp's volume before the closed loop's factor. */
      .addColumn('volume', 'integer', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      /** 1 when the day advanced the ramp (0 when frozen, paused, off). */
      .addColumn('advanced', 'integer', (c) => c.notNull())
      .addColumn('planned_at', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('warmup_days_pk', ['mailbox_id', 'day'])
      .execute();

    await db.schema
      .createTable('pool_recipients')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('provider', 'text', (c) => c.notNull())
      /** Most warmup mail it takes per day (NULL: the default floor). */
      .addColumn('daily_cap', 'integer')
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .execute();
    await sql`CREATE UNIQUE INDEX pool_recipients_address ON pool_recipients (workspace_id, address)`.execute(db);

    // Per-workspace settings as JSON values (warmup limits, content provider); secrets stay in the secret store.
    await db.schema
      .createTable('workspace_settings')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('workspace_settings_pk', ['workspace_id', 'key'])
      .execute();

    /** Local plan day of warmup mail (NULL for other mail): the day's progress and stats. */
    await sql`ALTER TABLE messages ADD COLUMN plan_day TEXT`.execute(db);
    await sql`CREATE INDEX messages_plan_day ON messages (plan_day, mailbox_id) WHERE plan_day IS NOT NULL`.execute(db);
    // The closed loop looks for recent spam placements of each sender's mail.
    await sql`CREATE INDEX message_placements_spam ON message_placements (seen_at) WHERE placement = 'spam'`.execute(db);
    await sql`CREATE INDEX messages_planned ON messages (next_attempt_at) WHERE status = 'planned'`.execute(db);
  },
};
