import { sql, type Kysely, type Migration } from 'kysely';

// FROZEN once shipped: never edit; add a new dated file to the registry instead.
// A DKIM key signs only once its TXT record is seen in DNS with the same public key: until then it
// is pending. Keys made before this are pending too, and the first DNS check activates the
// published ones (signing with an unpublished key only makes signatures fail).

export const dkimKeyStatus: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`ALTER TABLE dkim_keys ADD COLUMN status TEXT NOT NULL DEFAULT 'pending'`.execute(db);
    await sql`ALTER TABLE dkim_keys ADD COLUMN activated_at INTEGER`.execute(db);
    await sql`ALTER TABLE dkim_keys ADD COLUMN checked_at INTEGER`.execute(db);
    /** JSON: what the latest check asked and what answered (the verdict's evidence). */
    await sql`ALTER TABLE dkim_keys ADD COLUMN last_check TEXT`.execute(db);
  },
};
