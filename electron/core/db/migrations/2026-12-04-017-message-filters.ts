import { sql, type Kysely, type Migration } from 'kysely';

// FROZEN once shipped: never edit; add a new dated file to the registry instead.
// The message list's server-side filters walk these indexes newest first (keyset paging on
// created_at, id), so a filtered page reads about as many rows as it shows.

export const messageFilters: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`CREATE INDEX messages_workspace_status_created ON messages (workspace_id, status, created_at, id)`.execute(db);
    await sql`CREATE INDEX messages_workspace_kind_created ON messages (workspace_id, kind, created_at, id)`.execute(db);
    await sql`CREATE INDEX messages_mailbox_created ON messages (mailbox_id, created_at, id)`.execute(db);
    // One mailbox's failed mail is the common question: without this, a mailbox with none reads every failed row.
    await sql`CREATE INDEX messages_mailbox_status_created ON messages (mailbox_id, status, created_at, id)`.execute(db);
    // The placement filter's EXISTS probe per message, answered from the index alone.
    await sql`CREATE INDEX message_placements_message_placement ON message_placements (message_id, placement)`.execute(db);
  },
};
