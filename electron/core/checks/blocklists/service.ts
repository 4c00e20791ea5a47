// Blocklist scans: every (target, zone) pair asked through deps.dns with bounded concurrency, the
// latest state kept per pair, and alerts on change only. The first look at a pair is silent; later
// a new listing raises `blocklist.listed` and a delisting resolves it. An error (timeout, blocked
// resolver, unverified zone) neither raises nor resolves a listing: an outage is not a delisting.
// A zone that fails for every target two scans running raises `check.error` until it answers again.
import type { BlocklistHistoryItem, BlocklistOverview, BlocklistSettings, BlocklistSettingsPatch, BlocklistStatus } from '../../../../shared/domain/blocklist';
import { KilnError } from '../../../../shared/errors';
import type { BlocklistScanRow } from '../../db/schema';
import type { Db } from '../../db/connection';
import type { Clock } from '../../clock';
import type { EventBus } from '../../events/bus';
import type { Logger } from '../../log';
import type { DnsResolver } from '../resolver';
import type { SecretStore } from '../../secrets/secret-store';
import type { AlertService } from '../../alerts/service';
import { newId } from '../../util/ids';
import { lookup, mapLimit, type Lookup } from './query';
import { blocklistRepository, type NewChange, type NewResultRow } from './repository';
import { allZones, toSettings, updateSettings } from './settings';
import { collectTargets, type Target } from './targets';
import { codesOf, toOverview, toScan } from './view';
import { zoneFits, type Verdict, type ZoneDef } from './zones';

/** Queries in flight per scan: enough to finish in seconds, few enough not to flood a resolver. */
export const SCAN_CONCURRENCY = 8;
/** Consecutive failed scans of a whole zone before `check.error` is raised. */
const ERROR_SCANS_TO_ALERT = 2;

export const listingKey = (zone: string, target: string) => `blocklist:${zone}:${target}`;
export const zoneErrorKey = (zone: string) => `blocklist-error:${zone}`;
const pairKey = (target: string, zone: string) => `${target}|${zone}`;

/** What blocklist scans use. */
export interface BlocklistServiceNeeds {
  db: Db;
  clock: Clock;
  bus: EventBus;
  log: Logger;
  dns: DnsResolver;
  secrets: SecretStore;
  alerts: Pick<AlertService, 'raise' | 'resolve'>;
}

export function blocklistService(deps: BlocklistServiceNeeds) {
  const repo = blocklistRepository(deps.db.kysely);
  const running = new Map<string, Promise<BlocklistOverview>>();
  let closed = false;

  async function zoneOrder(workspaceId: string) {
    const { config } = await repo.settings(workspaceId);
    return new Map(allZones(config).map(({ zone }, index) => [zone.name, { label: zone.label, index }]));
  }

  async function dqsKey(workspaceId: string, ref: string | null): Promise<string | null> {
    if (!ref) return null;
    const key = await deps.secrets.get(ref);
    if (key === null) deps.log.warn({ workspaceId }, 'the Spamhaus DQS key is missing from the secret store; asking the public mirrors');
    return key;
  }

  /** A zone whose test entry did not come back listed cannot vouch for "not listed". */
  function unverified(test: Lookup | undefined): Verdict | null {
    if (!test || test.verdict.status === 'listed') return null;
    if (test.verdict.status === 'error') return { ...test.verdict, message: `its test entry failed too (${test.verdict.message}), so "not listed" cannot be trusted` };
    return { status: 'error', codes: [], error: 'UNVERIFIED', message: `${test.zone.name} did not list its test entry ${test.target}: its "not listed" answers cannot be trusted (refused resolver, or the zone moved)` };
  }

  async function runScan(workspaceId: string, trigger: 'manual' | 'schedule'): Promise<BlocklistOverview> {
    const startedAt = deps.clock.now();
    const { config, dqsSecretRef } = await repo.settings(workspaceId);
    const key = await dqsKey(workspaceId, dqsSecretRef);
    const zones = allZones(config).filter((z) => z.enabled).map((z) => z.zone);
    const targets = await collectTargets(await repo.mailboxes(workspaceId), config, deps.dns, (host, code) =>
      deps.log.warn({ workspaceId, host, code }, 'could not resolve an SMTP host for blocklist checks'),
    );
    const pairs: Array<{ target: Target; zone: ZoneDef }> = targets.flatMap((target) => zones.filter((zone) => zoneFits(zone, target.value)).map((zone) => ({ target, zone })));
    const tested = zones.filter((z) => z.testPoint && pairs.some((p) => p.zone === z));
    const jobs = [...pairs.map((p) => ({ zone: p.zone, target: p.target.value })), ...tested.map((z) => ({ zone: z, target: z.testPoint! }))];
    const lookups = await mapLimit(jobs, SCAN_CONCURRENCY, (j) => lookup(deps.dns, j.zone, j.target, j.zone.dqs ? key : null));
    const tests = new Map(lookups.slice(pairs.length).map((l) => [l.zone.name, l]));

    const now = deps.clock.now();
    const scanId = newId('bls');
    const prev = new Map((await repo.results(workspaceId)).map((r) => [pairKey(r.target, r.zone), r]));
    const rows: NewResultRow[] = [];
    const changes: NewChange[] = [];
    const raise: Array<{ row: NewResultRow; zone: ZoneDef }> = [];
    const resolve: string[] = [];
    pairs.forEach(({ target, zone }, i) => {
      const l = lookups[i]!;
      const bad = l.verdict.status === 'clear' ? unverified(tests.get(zone.name)) : null;
      const v = bad ?? l.verdict;
      const p = prev.get(pairKey(target.value, zone.name));
      const row: NewResultRow = {
        target: target.value,
        zone: zone.name,
        target_kind: target.kind,
        sources: JSON.stringify(target.sources),
        status: v.status,
        codes: JSON.stringify(v.codes),
        error_code: v.status === 'error' ? v.error : null,
        error_message: v.status === 'error' ? v.message : null,
        query: l.query,
        checked_at: now,
        changed_at: p && p.status === v.status ? p.changed_at : now,
        listed_since: v.status === 'listed' ? (p?.listed_since ?? now) : v.status === 'error' ? (p?.listed_since ?? null) : null,
        last_verdict: v.status === 'error' ? (p?.last_verdict ?? null) : v.status,
        error_streak: v.status === 'error' ? (p?.error_streak ?? 0) + 1 : 0,
        scan_id: scanId,
      };
      rows.push(row);
      if (!p || p.status !== v.status) changes.push({ target: row.target, zone: row.zone, from_status: p?.status ?? null, to_status: v.status, codes: row.codes });
      // Alert on change only: the first verdict on a pair is its baseline.
      if (v.status === 'listed' && p?.last_verdict === 'clear') raise.push({ row, zone });
      if (v.status === 'clear' && p?.last_verdict === 'listed') resolve.push(listingKey(zone.name, target.value));
    });
    const kept = new Set(rows.map((r) => pairKey(r.target, r.zone)));
    const stale = [...prev.values()].filter((r) => !kept.has(pairKey(r.target, r.zone)));

    const counts = { listed: 0, clear: 0, error: 0 };
    for (const r of rows) counts[r.status as keyof typeof counts] += 1;
    const scan: BlocklistScanRow = {
      id: scanId,
      workspace_id: workspaceId,
      trigger,
      started_at: startedAt,
      finished_at: now,
      targets: targets.length,
      queries: jobs.length,
      listed: counts.listed,
      clear: counts.clear,
      errors: counts.error,
      changes: changes.length,
      dqs: key ? 1 : 0,
    };
    await repo.recordScan(workspaceId, scan, rows, stale, changes);

    for (const { row, zone } of raise) raiseListing(workspaceId, row, zone);
    for (const k of resolve) deps.alerts.resolve(workspaceId, k);
    // A target or zone no longer checked cannot stay listed in the alerts.
    for (const r of stale) deps.alerts.resolve(workspaceId, listingKey(r.zone, r.target));
    zoneErrors(workspaceId, zones, rows, new Set(stale.map((r) => r.zone)));

    deps.log.info({ workspaceId, scanId, trigger, targets: targets.length, queries: jobs.length, ...counts, changes: changes.length, dqs: key !== null }, 'blocklist scan finished');
    const overview = toOverview(await repo.results(workspaceId), scan, await zoneOrder(workspaceId));
    deps.bus.emit(workspaceId, 'blocklists.updated', { scan: toScan(scan), summary: overview.summary });
    return overview;
  }

  function raiseListing(workspaceId: string, row: NewResultRow, zone: ZoneDef) {
    const codes = codesOf(row.codes);
    const policyOnly = codes.every((c) => c.policy);
    deps.alerts.raise(workspaceId, {
      kind: 'blocklist.listed',
      severity: policyOnly ? 'warning' : 'critical',
      key: listingKey(zone.name, row.target),
      title: `${row.target} is listed on ${zone.label}`,
      detail: codes.map((c) => `${c.code}: ${c.meaning}`).join('; '),
      ip: row.target_kind === 'ip' ? row.target : null,
      domain: row.target_kind === 'domain' ? row.target : null,
    });
  }

  function zoneErrors(workspaceId: string, zones: ZoneDef[], rows: NewResultRow[], gone: Set<string>) {
    for (const zone of zones) {
      const mine = rows.filter((r) => r.zone === zone.name);
      if (mine.length === 0) continue;
      const failing = mine.every((r) => r.status === 'error' && r.error_streak >= ERROR_SCANS_TO_ALERT);
      if (failing) {
        const reasons = [...new Set(mine.map((r) => r.error_message))].join('; ');
        deps.alerts.raise(workspaceId, { kind: 'check.error', severity: 'warning', key: zoneErrorKey(zone.name), title: `${zone.label} cannot be checked`, detail: reasons });
      } else if (mine.some((r) => r.status !== 'error')) {
        deps.alerts.resolve(workspaceId, zoneErrorKey(zone.name));
      }
    }
    for (const name of gone) if (!zones.some((z) => z.name === name)) deps.alerts.resolve(workspaceId, zoneErrorKey(name));
  }

  return {
    /** Scan now; a scan already running for the workspace is joined, not doubled. */
    scan(workspaceId: string, trigger: 'manual' | 'schedule' = 'manual'): Promise<BlocklistOverview> {
      if (closed) return Promise.reject(new KilnError('SHUTTING_DOWN', 'Kiln is shutting down'));
      let p = running.get(workspaceId);
      if (!p) {
        p = runScan(workspaceId, trigger).finally(() => running.delete(workspaceId));
        running.set(workspaceId, p);
      }
      return p;
    },

    async overview(workspaceId: string): Promise<BlocklistOverview> {
      return toOverview(await repo.results(workspaceId), await repo.latestScan(workspaceId), await zoneOrder(workspaceId));
    },

    async history(workspaceId: string, q: { limit: number; cursor?: string }): Promise<{ items: BlocklistHistoryItem[]; nextCursor: string | null }> {
      const { page, changes, nextCursor } = await repo.scans(workspaceId, q.limit, q.cursor);
      const items = page.map((s) => ({
        ...toScan(s),
        changeList: changes
          .filter((c) => c.scan_id === s.id)
          .map((c) => ({ target: c.target, zone: c.zone, from: c.from_status as BlocklistStatus | null, to: c.to_status as BlocklistStatus, codes: codesOf(c.codes) })),
      }));
      return { items, nextCursor };
    },

    async settings(workspaceId: string): Promise<BlocklistSettings> {
      const { config, dqsSecretRef } = await repo.settings(workspaceId);
      return toSettings(config, dqsSecretRef !== null);
    },

    updateSettings: (workspaceId: string, patch: BlocklistSettingsPatch) => updateSettings(deps, repo, workspaceId, patch),

    /** When the workspace was last scanned (ms), or null. */
    lastScanAt: async (workspaceId: string): Promise<number | null> => (await repo.latestScan(workspaceId))?.started_at ?? null,
    workspaceIds: () => repo.workspaceIds(),

    /** Refuse new scans and wait for running ones (core close). */
    async stop(): Promise<void> {
      closed = true;
      await Promise.allSettled([...running.values()]);
    },
  };
}
export type BlocklistService = ReturnType<typeof blocklistService>;
