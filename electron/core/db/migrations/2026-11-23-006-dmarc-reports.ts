import { sql, type Kysely, type Migration } from 'kysely';

// FROZEN once shipped: never edit; add a new dated file to the registry instead.
// DMARC aggregate reports: one row per report (unique per workspace, reporter and report id, so a
// report read twice is stored once), one row per record (a source IP and its results), and each
// workspace's reports-mailbox settings with the IMAP read position.

export const dmarcReports: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('dmarc_reports')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('org_name', 'text', (c) => c.notNull())
      .addColumn('org_email', 'text')
      .addColumn('report_id', 'text', (c) => c.notNull())
      .addColumn('policy_domain', 'text', (c) => c.notNull())
      .addColumn('begin_at', 'integer', (c) => c.notNull())
      .addColumn('end_at', 'integer', (c) => c.notNull())
      .addColumn('policy', 'text', (c) => c.notNull())
      .addColumn('errors', 'text', (c) => c.notNull())
      .addColumn('generator', 'text')
      .addColumn('schema_version', 'text', (c) => c.notNull())
      .addColumn('record_count', 'integer', (c) => c.notNull())
      .addColumn('message_count', 'integer', (c) => c.notNull())
      .addColumn('pass_count', 'integer', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('source_ref', 'text')
      .addColumn('received_at', 'integer', (c) => c.notNull())
      .execute();
    await sql`CREATE UNIQUE INDEX dmarc_reports_identity ON dmarc_reports (workspace_id, org_name, report_id)`.execute(db);
    // Listing newest first (ids are time-ordered) and by domain.
    await sql`CREATE INDEX dmarc_reports_list ON dmarc_reports (workspace_id, id)`.execute(db);
    await sql`CREATE INDEX dmarc_reports_domain ON dmarc_reports (workspace_id, policy_domain, begin_at)`.execute(db);

    await db.schema
      .createTable('dmarc_records')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('report_id', 'text', (c) => c.notNull().references('dmarc_reports.id').onDelete('cascade'))
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      // Copied from the report so the summary reads one table.
      .addColumn('begin_at', 'integer', (c) => c.notNull())
      .addColumn('source_ip', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('disposition', 'text', (c) => c.notNull())
      .addColumn('dkim', 'text', (c) => c.notNull())
      .addColumn('spf', 'text', (c) => c.notNull())
      .addColumn('dkim_aligned', 'integer', (c) => c.notNull())
      .addColumn('spf_aligned', 'integer', (c) => c.notNull())
      .addColumn('dmarc_pass', 'integer', (c) => c.notNull())
      .addColumn('header_from', 'text', (c) => c.notNull())
      .addColumn('envelope_from', 'text')
      .addColumn('envelope_to', 'text')
      .addColumn('reasons', 'text', (c) => c.notNull())
      .addColumn('auth_dkim', 'text', (c) => c.notNull())
      .addColumn('auth_spf', 'text', (c) => c.notNull())
      .execute();
    await sql`CREATE INDEX dmarc_records_report ON dmarc_records (report_id)`.execute(db);
    await sql`CREATE INDEX dmarc_records_window ON dmarc_records (workspace_id, begin_at)`.execute(db);

    await db.schema
      .createTable('dmarc_settings')
      .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id').onDelete('cascade'))
      .addColumn('mailbox_id', 'text')
      .addColumn('folder', 'text', (c) => c.notNull())
      .addColumn('processed_folder', 'text', (c) => c.notNull())
      .addColumn('failed_folder', 'text', (c) => c.notNull())
      .addColumn('schedule', 'integer', (c) => c.notNull())
      .addColumn('interval_minutes', 'integer', (c) => c.notNull())
      .addColumn('next_run_at', 'integer')
      .addColumn('last_run_at', 'integer')
      .addColumn('last_result', 'text')
      // Where the last run stopped in the folder (reset when the mailbox or folder changes).
      .addColumn('uidvalidity', 'text')
      .addColumn('last_uid', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .execute();
  },
};
