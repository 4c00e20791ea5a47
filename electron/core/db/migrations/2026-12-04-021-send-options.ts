import { sql, type Kysely, type Migration } from 'kysely';

// FROZEN once shipped: never edit; add a new dated file to the registry instead.
// What messages.send can carry beyond the bodies: a Reply-To, allow-listed extra headers (JSON
// object) and tags (JSON array, returned with the message). Tags are also rows of message_tags so
// the list's tag filter is an index probe per scanned message, like the placement filter.

export const sendOptions: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`ALTER TABLE messages ADD COLUMN reply_to TEXT`.execute(db);
    await sql`ALTER TABLE messages ADD COLUMN extra_headers TEXT`.execute(db);
    await sql`ALTER TABLE messages ADD COLUMN tags TEXT`.execute(db);
    await sql`CREATE TABLE message_tags (
      message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
      tag TEXT NOT NULL,
      PRIMARY KEY (message_id, tag)
    ) WITHOUT ROWID`.execute(db);
  },
};
