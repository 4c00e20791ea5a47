import { sql, type Kysely, type Migration } from 'kysely';

// FROZEN: this migration has shipped. Never edit it; add a new dated file to the registry instead.

export const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('workspaces')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('slug', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull().unique())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('last_used_at', 'integer')
      .addColumn('revoked_at', 'integer')
      .execute();
    await db.schema.createIndex('api_tokens_workspace').on('api_tokens').column('workspace_id').execute();

    await db.schema
      .createTable('mailboxes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text')
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('smtp_host', 'text', (c) => c.notNull())
      .addColumn('smtp_port', 'integer', (c) => c.notNull())
      .addColumn('smtp_security', 'text', (c) => c.notNull())
      .addColumn('smtp_user', 'text', (c) => c.notNull())
      .addColumn('smtp_secret_ref', 'text', (c) => c.notNull())
      .addColumn('imap_host', 'text')
      .addColumn('imap_port', 'integer')
      .addColumn('imap_security', 'text')
      .addColumn('imap_user', 'text')
      .addColumn('imap_secret_ref', 'text')
      .addColumn('allow_insecure', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('daily_limit', 'integer')
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .addColumn('deleted_at', 'integer')
      .execute();
    // One live mailbox per address per workspace; a deleted one may be connected again.
    await sql`CREATE UNIQUE INDEX mailboxes_workspace_email ON mailboxes (workspace_id, email) WHERE deleted_at IS NULL`.execute(db);

    await db.schema
      .createTable('messages')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('mailbox_id', 'text', (c) => c.notNull().references('mailboxes.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('from_addr', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('idempotency_key', 'text')
      .addColumn('request_hash', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .addColumn('sent_at', 'integer')
      .execute();
    await sql`CREATE UNIQUE INDEX messages_idempotency ON messages (workspace_id, idempotency_key) WHERE idempotency_key IS NOT NULL`.execute(db);
    // The dispatcher's lookup: only rows that are waiting to go out are in this index.
    await sql`CREATE INDEX messages_due ON messages (mailbox_id, next_attempt_at) WHERE status IN ('queued', 'retry_scheduled')`.execute(db);
    await db.schema.createIndex('messages_status').on('messages').columns(['status']).execute();
    await db.schema.createIndex('messages_mailbox_sent').on('messages').columns(['mailbox_id', 'sent_at']).execute();
    await db.schema.createIndex('messages_workspace_created').on('messages').columns(['workspace_id', 'created_at', 'id']).execute();
    await db.schema.createIndex('messages_message_id').on('messages').column('message_id').execute();

    // Bodies live apart from the hot queue row: every status change rewrites a messages row, and a
    // 2 KB body inline would make each of those rewrites (and each page of the queue) 3x heavier.
    await db.schema
      .createTable('message_contents')
      .addColumn('message_id', 'text', (c) => c.primaryKey().references('messages.id').onDelete('cascade'))
      .addColumn('text_body', 'text')
      .addColumn('html_body', 'text')
      .execute();

    await db.schema
      .createTable('message_recipients')
      .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('response_code', 'integer')
      .addColumn('enhanced_status', 'text')
      .addColumn('response', 'text')
      .addPrimaryKeyConstraint('message_recipients_pk', ['message_id', 'kind', 'address'])
      .execute();
    await db.schema.createIndex('message_recipients_address').on('message_recipients').column('address').execute();

    await db.schema
      .createTable('message_events')
      // A plain rowid key: ids still only grow (rows are never deleted), without AUTOINCREMENT's
      // extra sqlite_sequence write on every insert.
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id'))
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('at', 'integer', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('message_events_message').on('message_events').columns(['message_id', 'id']).execute();
    // Append-only is a property of the table, not a promise of the code.
    await sql`CREATE TRIGGER message_events_no_update BEFORE UPDATE ON message_events
      BEGIN SELECT RAISE(ABORT, 'message_events is append-only'); END`.execute(db);
    await sql`CREATE TRIGGER message_events_no_delete BEFORE DELETE ON message_events
      BEGIN SELECT RAISE(ABORT, 'message_events is append-only'); END`.execute(db);

    await db.schema
      .createTable('suppressions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('detail', 'text')
      .addColumn('message_id', 'text')
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addUniqueConstraint('suppressions_workspace_address', ['workspace_id', 'address'])
      .execute();
  },
};
