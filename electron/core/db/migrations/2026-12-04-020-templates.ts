import { sql, type Kysely, type Migration } from 'kysely';

// FROZEN once shipped: never edit; add a new dated file to the registry instead.
// Message templates per workspace. Every edit of the content adds an immutable version, and a
// message sent from a template records which version it used (its rendered bytes are in
// message_contents, so retries never re-render).

export const templates: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('templates')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('latest_version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .execute();
    await sql`CREATE UNIQUE INDEX templates_name ON templates (workspace_id, name)`.execute(db);
    await db.schema
      .createTable('template_versions')
      .addColumn('template_id', 'text', (c) => c.notNull().references('templates.id').onDelete('cascade'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('text_body', 'text')
      .addColumn('html_body', 'text')
      // JSON [{ name, required, sample? }]
      .addColumn('variables', 'text', (c) => c.notNull())
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('template_versions_pk', ['template_id', 'version'])
      .execute();
    // No foreign key: the record of what a message used outlives a deleted template.
    await db.schema.alterTable('messages').addColumn('template_id', 'text').execute();
    await db.schema.alterTable('messages').addColumn('template_version', 'integer').execute();
    // Serves the delete check "does a waiting message use this template".
    await sql`CREATE INDEX messages_template ON messages (template_id, status) WHERE template_id IS NOT NULL`.execute(db);
  },
};
