import { sql, type Kysely, type Migration } from 'kysely';

// FROZEN once shipped: never edit; add a new dated file to the registry instead.
// Feedback loop: a neutral per-message token to recognise Kiln's own mail, where it landed for each
// readable recipient, and how far each watched IMAP folder has been read.

export const feedback: Migration = {
  async up(db: Kysely<unknown>) {
    // Token sent in a neutral header; NULL for messages queued before this migration.
    await sql`ALTER TABLE messages ADD COLUMN ref TEXT`.execute(db);
    await sql`CREATE UNIQUE INDEX messages_ref ON messages (ref) WHERE ref IS NOT NULL`.execute(db);
    // Threading of replies Kiln sends (RFC 5322 In-Reply-To / References).
    await sql`ALTER TABLE messages ADD COLUMN in_reply_to TEXT`.execute(db);
    await sql`ALTER TABLE messages ADD COLUMN "references" TEXT`.execute(db);

    await db.schema
      .createTable('message_placements')
      .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id').onDelete('cascade'))
      .addColumn('recipient', 'text', (c) => c.notNull())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      /** The Kiln mailbox that received it (the one whose IMAP we read). */
      .addColumn('mailbox_id', 'text', (c) => c.notNull())
      .addColumn('placement', 'text', (c) => c.notNull())
      .addColumn('folder', 'text')
      .addColumn('uidvalidity', 'text')
      .addColumn('uid', 'integer')
      .addColumn('seen_at', 'integer')
      .addColumn('rescued_at', 'integer')
      .addColumn('opened_at', 'integer')
      .addColumn('flagged_at', 'integer')
      .addColumn('replied_at', 'integer')
      .addColumn('filed_at', 'integer')
      /** JSON EngagementPlan, drawn once at the first sighting so every action happens at most once. */
      .addColumn('plan', 'text')
      .addColumn('engage_after', 'integer')
      /** When Kiln deleted the filed copy after the retention period (quota-limited mailboxes). */
      .addColumn('removed_at', 'integer')
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('message_placements_pk', ['message_id', 'recipient'])
      .execute();
    await db.schema.createIndex('message_placements_mailbox').on('message_placements').columns(['mailbox_id', 'seen_at']).execute();
    await sql`CREATE INDEX message_placements_engage ON message_placements (mailbox_id, engage_after) WHERE engage_after IS NOT NULL`.execute(db);

    await db.schema
      .createTable('imap_folder_state')
      .addColumn('mailbox_id', 'text', (c) => c.notNull().references('mailboxes.id').onDelete('cascade'))
      .addColumn('folder', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('uidvalidity', 'text', (c) => c.notNull())
      .addColumn('last_uid', 'integer', (c) => c.notNull())
      .addColumn('highest_modseq', 'text')
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('imap_folder_state_pk', ['mailbox_id', 'folder'])
      .execute();
  },
};
