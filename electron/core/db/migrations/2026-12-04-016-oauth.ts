import { type Kysely, type Migration } from 'kysely';

// FROZEN once shipped: never edit; add a new dated file to the registry instead.
// OAuth2 sign-in: how each mailbox authenticates, and the workspace's own app registrations.
// Secrets (refresh tokens, client secrets) stay in the secret store: rows hold only their refs.

export const oauth: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('mailboxes').addColumn('auth_kind', 'text', (c) => c.notNull().defaultTo('password')).execute();
    await db.schema.alterTable('mailboxes').addColumn('oauth_provider', 'text').execute();
    await db.schema.alterTable('mailboxes').addColumn('oauth_app_id', 'text').execute();
    await db.schema.alterTable('mailboxes').addColumn('oauth_secret_ref', 'text').execute();
    /** JSON array of the scopes granted. */
    await db.schema.alterTable('mailboxes').addColumn('oauth_scopes', 'text').execute();

    await db.schema
      .createTable('oauth_apps')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('client_secret_ref', 'text')
      .addColumn('tenant', 'text')
      .addColumn('issuer', 'text')
      .addColumn('authorization_endpoint', 'text')
      .addColumn('token_endpoint', 'text')
      .addColumn('scopes', 'text')
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('oauth_apps_workspace').on('oauth_apps').columns(['workspace_id', 'provider']).execute();
  },
};
