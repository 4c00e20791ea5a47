// Blocklist rows: settings (the DQS key only as a secret-store ref), the latest result per
// (workspace, target, zone), scans and their status changes. Every query is scoped by workspace.
import type { Kysely } from 'kysely';
import type { BlocklistKind } from '../../../../shared/domain/blocklist';
import type { BlocklistResultRow, BlocklistScanRow, Database } from '../../db/schema';
import { parseJson } from '../../util/json';

export interface StoredConfig {
  /** Zones (built-in or custom) turned off. */
  disabledZones: string[];
  customZones: Array<{ name: string; label?: string; kind: BlocklistKind; ipv6: boolean }>;
  extraTargets: string[];
  excludedTargets: string[];
  resolveSmtpHosts: boolean;
}

export const defaultConfig = (): StoredConfig => ({ disabledZones: [], customZones: [], extraTargets: [], excludedTargets: [], resolveSmtpHosts: true });

export type NewResultRow = Omit<BlocklistResultRow, 'workspace_id'>;
export interface NewChange {
  target: string;
  zone: string;
  from_status: string | null;
  to_status: string;
  codes: string;
}

/** Scan history kept per workspace (4 scans a day: about half a year). */
const KEEP_SCANS = 720;

export function blocklistRepository(db: Kysely<Database>) {
  return {
    async settings(workspaceId: string): Promise<{ config: StoredConfig; dqsSecretRef: string | null }> {
      const row = await db.selectFrom('blocklist_settings').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
      const stored = parseJson<Partial<StoredConfig>>(row?.config ?? null) ?? {};
      return { config: { ...defaultConfig(), ...stored }, dqsSecretRef: row?.dqs_secret_ref ?? null };
    },

    async saveSettings(workspaceId: string, config: StoredConfig, dqsSecretRef: string | null, now: number): Promise<void> {
      const values = { workspace_id: workspaceId, config: JSON.stringify(config), dqs_secret_ref: dqsSecretRef, updated_at: now };
      await db
        .insertInto('blocklist_settings')
        .values(values)
        .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ config: values.config, dqs_secret_ref: dqsSecretRef, updated_at: now }))
        .execute();
    },

    results: (workspaceId: string): Promise<BlocklistResultRow[]> =>
      db.selectFrom('blocklist_results').selectAll().where('workspace_id', '=', workspaceId).orderBy('target').orderBy('zone').execute(),

    /** The mailboxes a scan derives targets from. */
    mailboxes: (workspaceId: string) =>
      db
        .selectFrom('mailboxes')
        .select(['id', 'email', 'provider', 'smtp_host'])
        .where('workspace_id', '=', workspaceId)
        .where('deleted_at', 'is', null)
        .orderBy('created_at')
        .execute(),

    workspaceIds: async (): Promise<string[]> => (await db.selectFrom('workspaces').select('id').orderBy('created_at').execute()).map((r) => r.id),

    latestScan: (workspaceId: string): Promise<BlocklistScanRow | undefined> =>
      db.selectFrom('blocklist_scans').selectAll().where('workspace_id', '=', workspaceId).orderBy('id', 'desc').limit(1).executeTakeFirst(),

    async scans(workspaceId: string, limit: number, cursor?: string) {
      let q = db.selectFrom('blocklist_scans').selectAll().where('workspace_id', '=', workspaceId);
      if (cursor) q = q.where('id', '<', cursor);
      const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
      const page = rows.slice(0, limit);
      const changes = page.length
        ? await db.selectFrom('blocklist_changes').selectAll().where('scan_id', 'in', page.map((r) => r.id)).orderBy('id').execute()
        : [];
      return { page, changes, nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
    },

    /** One scan's outcome in one transaction: results upserted, stale ones removed, the scan and its changes recorded. */
    async recordScan(workspaceId: string, scan: BlocklistScanRow, rows: NewResultRow[], stale: Array<{ target: string; zone: string }>, changes: NewChange[]): Promise<void> {
      await db.transaction().execute(async (tx) => {
        for (const s of stale) {
          await tx.deleteFrom('blocklist_results').where('workspace_id', '=', workspaceId).where('target', '=', s.target).where('zone', '=', s.zone).execute();
        }
        for (const r of rows) {
          const values = { ...r, workspace_id: workspaceId };
          const { target: _t, zone: _z, ...update } = r;
          await tx
            .insertInto('blocklist_results')
            .values(values)
            .onConflict((oc) => oc.columns(['workspace_id', 'target', 'zone']).doUpdateSet(update))
            .execute();
        }
        await tx.insertInto('blocklist_scans').values(scan).execute();
        for (const c of changes) await tx.insertInto('blocklist_changes').values({ ...c, scan_id: scan.id, workspace_id: workspaceId, at: scan.finished_at }).execute();
        // Bounded history: the oldest scans (and their changes, by cascade) go.
        const old = await tx.selectFrom('blocklist_scans').select('id').where('workspace_id', '=', workspaceId).orderBy('id', 'desc').offset(KEEP_SCANS).limit(1).executeTakeFirst();
        if (old) await tx.deleteFrom('blocklist_scans').where('workspace_id', '=', workspaceId).where('id', '<=', old.id).execute();
      });
    },
  };
}
export type BlocklistRepository = ReturnType<typeof blocklistRepository>;
