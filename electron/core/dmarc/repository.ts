import type { Db } from '../db/connection';
import type { DmarcRecordRow, DmarcReportRow, DmarcSettingsRow } from '../db/schema';
import type { DmarcRecord, DmarcReport, DmarcSource, ParsedDmarcReport } from '../../../shared/domain/dmarc';
import { newId } from '../util/ids';
import { iso } from '../util/time';
import { parseJson } from '../util/json';

export interface StoreMeta {
  source: DmarcSource;
  sourceRef: string | null;
  receivedAt: number;
}

export const toReport = (r: DmarcReportRow): DmarcReport => ({
  id: r.id,
  orgName: r.org_name,
  email: r.org_email,
  reportId: r.report_id,
  domain: r.policy_domain,
  begin: iso(r.begin_at),
  end: iso(r.end_at),
  schema: r.schema_version as DmarcReport['schema'],
  policy: parseJson<DmarcReport['policy']>(r.policy)!,
  errors: parseJson<string[]>(r.errors) ?? [],
  generator: r.generator,
  records: r.record_count,
  messages: r.message_count,
  dmarcPass: r.pass_count,
  source: r.source as DmarcSource,
  receivedAt: iso(r.received_at),
});

export const toRecord = (r: DmarcRecordRow): DmarcRecord => ({
  sourceIp: r.source_ip,
  count: r.count,
  disposition: r.disposition as DmarcRecord['disposition'],
  dkim: r.dkim,
  spf: r.spf,
  dkimAligned: r.dkim_aligned === 1,
  spfAligned: r.spf_aligned === 1,
  dmarcPass: r.dmarc_pass === 1,
  reasons: parseJson<DmarcRecord['reasons']>(r.reasons) ?? [],
  headerFrom: r.header_from,
  envelopeFrom: r.envelope_from,
  envelopeTo: r.envelope_to,
  authDkim: parseJson<DmarcRecord['authDkim']>(r.auth_dkim) ?? [],
  authSpf: parseJson<DmarcRecord['authSpf']>(r.auth_spf) ?? [],
});

/** Every query is scoped by workspace. */
export function dmarcRepository(db: Db) {
  const { kysely, sqlite } = db;
  // The write path uses prepared statements in one synchronous transaction: a big report (tens of
  // thousands of rows) lands whole or not at all, and nothing else interleaves with it.
  const insertReport = sqlite.prepare(
    `INSERT INTO dmarc_reports (id, workspace_id, org_name, org_email, report_id, policy_domain, begin_at, end_at, policy, errors, generator,
       schema_version, record_count, message_count, pass_count, source, source_ref, received_at)
     VALUES (@id, @workspace_id, @org_name, @org_email, @report_id, @policy_domain, @begin_at, @end_at, @policy, @errors, @generator,
       @schema_version, @record_count, @message_count, @pass_count, @source, @source_ref, @received_at)
     ON CONFLICT (workspace_id, org_name, report_id) DO NOTHING`,
  );
  const insertRecord = sqlite.prepare(
    `INSERT INTO dmarc_records (report_id, workspace_id, begin_at, source_ip, count, disposition, dkim, spf, dkim_aligned, spf_aligned, dmarc_pass,
       header_from, envelope_from, envelope_to, reasons, auth_dkim, auth_spf)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const existing = sqlite.prepare('SELECT * FROM dmarc_reports WHERE workspace_id = ? AND org_name = ? AND report_id = ?');
  // Only while the settings still name the mailbox and folder the run is reading.
  const cursor = sqlite.prepare('UPDATE dmarc_settings SET uidvalidity = ?, last_uid = ? WHERE workspace_id = ? AND mailbox_id = ? AND folder = ?');

  const store = sqlite.transaction((workspaceId: string, p: ParsedDmarcReport, meta: StoreMeta): { duplicate: boolean; row: DmarcReportRow } => {
    const id = newId('dmr');
    const beginAt = p.begin * 1000;
    const row: DmarcReportRow = {
      id,
      workspace_id: workspaceId,
      org_name: p.orgName,
      org_email: p.email,
      report_id: p.reportId,
      policy_domain: p.policy.domain,
      begin_at: beginAt,
      end_at: p.end * 1000,
      policy: JSON.stringify(p.policy),
      errors: JSON.stringify(p.errors),
      generator: p.generator,
      schema_version: p.schema,
      record_count: p.records.length,
      message_count: p.records.reduce((n, r) => n + r.count, 0),
      pass_count: p.records.reduce((n, r) => n + (r.dmarcPass ? r.count : 0), 0),
      source: meta.source,
      source_ref: meta.sourceRef,
      received_at: meta.receivedAt,
    };
    if (insertReport.run(row).changes === 0) {
      return { duplicate: true, row: existing.get(workspaceId, p.orgName, p.reportId) as DmarcReportRow };
    }
    for (const r of p.records) {
      insertRecord.run(
        id, workspaceId, beginAt, r.sourceIp, r.count, r.disposition, r.dkim, r.spf, r.dkimAligned ? 1 : 0, r.spfAligned ? 1 : 0, r.dmarcPass ? 1 : 0,
        r.headerFrom, r.envelopeFrom, r.envelopeTo, JSON.stringify(r.reasons), JSON.stringify(r.authDkim), JSON.stringify(r.authSpf),
      );
    }
    return { duplicate: false, row };
  });

  return {
    /** Store a report and its records in one transaction; a report already stored is left alone. */
    store: (workspaceId: string, p: ParsedDmarcReport, meta: StoreMeta) => store(workspaceId, p, meta),

    async list(workspaceId: string, q: { domain?: string; limit: number; cursor?: string }) {
      let query = kysely.selectFrom('dmarc_reports').selectAll().where('workspace_id', '=', workspaceId);
      if (q.domain) query = query.where('policy_domain', '=', q.domain);
      if (q.cursor) query = query.where('id', '<', q.cursor);
      const rows = await query.orderBy('id', 'desc').limit(q.limit + 1).execute();
      const page = rows.slice(0, q.limit);
      return { items: page.map(toReport), nextCursor: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null };
    },

    get: (workspaceId: string, id: string) => kysely.selectFrom('dmarc_reports').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst(),

    records: (workspaceId: string, reportId: string, limit: number) =>
      kysely.selectFrom('dmarc_records').selectAll().where('workspace_id', '=', workspaceId).where('report_id', '=', reportId).orderBy('id').limit(limit).execute(),

    saveCursor: (s: { workspace_id: string; mailbox_id: string | null; folder: string }, uidvalidity: string, lastUid: number) =>
      cursor.run(uidvalidity, lastUid, s.workspace_id, s.mailbox_id, s.folder),

    settings: (workspaceId: string) => kysely.selectFrom('dmarc_settings').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst(),

    async saveSettings(row: DmarcSettingsRow): Promise<void> {
      const { workspace_id: _w, ...rest } = row;
      await kysely.insertInto('dmarc_settings').values(row).onConflict((oc) => oc.column('workspace_id').doUpdateSet(rest)).execute();
    },

    /** Workspaces whose scheduled run is due. */
    due: (now: number) =>
      kysely
        .selectFrom('dmarc_settings')
        .select('workspace_id')
        .where('schedule', '=', 1)
        .where('mailbox_id', 'is not', null)
        .where('next_run_at', '<=', now)
        .execute(),
  };
}
export type DmarcRepository = ReturnType<typeof dmarcRepository>;
