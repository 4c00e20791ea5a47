import { sql, type Kysely, type Migration } from 'kysely';

// FROZEN once shipped: never edit; add a new dated file to the registry instead.
// DKIM signing keys, one per (workspace, domain). The private key lives in the secret store
// (secret_ref); only the public key is stored here, to show what to publish.

export const dkimKeys: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('dkim_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('domain', 'text', (c) => c.notNull())
      .addColumn('selector', 'text', (c) => c.notNull())
      .addColumn('bits', 'integer', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('secret_ref', 'text', (c) => c.notNull())
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .execute();
    await sql`CREATE UNIQUE INDEX dkim_keys_domain ON dkim_keys (workspace_id, domain)`.execute(db);
  },
};
