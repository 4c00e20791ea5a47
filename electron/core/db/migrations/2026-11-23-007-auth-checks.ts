import { sql, type Kysely, type Migration } from 'kysely';

// FROZEN once shipped: never edit; add a new dated file to the registry instead.
// DNS authentication checks: the latest report per (workspace, domain), a small history row per
// run for charts, and what Kiln learned about a domain's mail (DKIM selectors, signing and
// envelope domains, the sending IP of a mailbox) to check with next time.

export const authChecks: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('auth_checks')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('domain', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('ip', 'text')
      .addColumn('checked_at', 'integer', (c) => c.notNull())
      /** JSON AuthReport. */
      .addColumn('report', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('auth_checks_pk', ['workspace_id', 'domain'])
      .execute();

    await db.schema
      .createTable('auth_check_history')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('domain', 'text', (c) => c.notNull())
      .addColumn('checked_at', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      /** JSON: status per check ({ spf: 'pass', ... }). */
      .addColumn('checks', 'text', (c) => c.notNull())
      .execute();
    await sql`CREATE INDEX auth_check_history_domain ON auth_check_history (workspace_id, domain, checked_at)`.execute(db);

    await db.schema
      .createTable('auth_facts')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('domain', 'text', (c) => c.notNull())
      /** selector | dkim_domain | envelope_domain | ip */
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      /** The mailbox whose mail showed it ('' when none, e.g. a selector given by hand). */
      .addColumn('mailbox_id', 'text', (c) => c.notNull().defaultTo(''))
      /** given | headers */
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('first_seen_at', 'integer', (c) => c.notNull())
      .addColumn('last_seen_at', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('auth_facts_pk', ['workspace_id', 'domain', 'kind', 'value', 'mailbox_id'])
      .execute();
    await sql`CREATE INDEX auth_facts_mailbox ON auth_facts (workspace_id, mailbox_id, kind, last_seen_at)`.execute(db);
  },
};
