// Stored rows -> API shapes (grouped by target, with summary counts).
import type {
  BlocklistCode,
  BlocklistErrorCode,
  BlocklistOverview,
  BlocklistResult,
  BlocklistScan,
  BlocklistStatus,
  BlocklistTarget,
  TargetSource,
} from '../../../../shared/domain/blocklist';
import type { BlocklistResultRow, BlocklistScanRow } from '../../db/schema';
import { parseJson } from '../../util/json';
import { iso, isoOrNull } from '../../util/time';
import { resultVerdict, targetVerdict } from './verdict';

export const toScan = (r: BlocklistScanRow): BlocklistScan => ({
  id: r.id,
  trigger: r.trigger === 'schedule' ? 'schedule' : 'manual',
  startedAt: iso(r.started_at),
  finishedAt: iso(r.finished_at),
  targets: r.targets,
  queries: r.queries,
  listed: r.listed,
  clear: r.clear,
  errors: r.errors,
  changes: r.changes,
  dqs: r.dqs === 1,
});

export const codesOf = (json: string): BlocklistCode[] => parseJson<BlocklistCode[]>(json) ?? [];

function toResult(r: BlocklistResultRow, label: string): BlocklistResult {
  const facts = {
    zone: r.zone,
    label,
    status: r.status as BlocklistStatus,
    codes: codesOf(r.codes),
    error: r.error_code ? { code: r.error_code as BlocklistErrorCode, message: r.error_message ?? '' } : null,
    query: r.query,
    checkedAt: iso(r.checked_at),
    changedAt: iso(r.changed_at),
    listedSince: isoOrNull(r.listed_since),
  };
  return { ...facts, verdict: resultVerdict(facts) };
}

/** `zoneOrder` gives each zone's label and position (registry order, then custom zones). */
export function toOverview(rows: readonly BlocklistResultRow[], lastScan: BlocklistScanRow | undefined, zoneOrder: ReadonlyMap<string, { label: string; index: number }>): BlocklistOverview {
  const targets = new Map<string, BlocklistTarget>();
  const counts = { listed: 0, clear: 0, error: 0 };
  for (const r of rows) {
    let t = targets.get(r.target);
    if (!t) {
      t = { value: r.target, kind: r.target_kind === 'ip' ? 'ip' : 'domain', sources: parseJson<TargetSource[]>(r.sources) ?? [], results: [], verdict: targetVerdict([]) };
      targets.set(r.target, t);
    }
    t.results.push(toResult(r, zoneOrder.get(r.zone)?.label ?? r.zone));
    counts[r.status as BlocklistStatus] += 1;
  }
  const pos = (zone: string) => zoneOrder.get(zone)?.index ?? Number.MAX_SAFE_INTEGER;
  for (const t of targets.values()) {
    t.results.sort((a, b) => pos(a.zone) - pos(b.zone) || a.zone.localeCompare(b.zone));
    t.verdict = targetVerdict(t.results);
  }
  const list = [...targets.values()];
  return {
    lastScan: lastScan ? toScan(lastScan) : null,
    summary: {
      targets: list.length,
      zones: new Set(rows.map((r) => r.zone)).size,
      ...counts,
      listedTargets: list.filter((t) => t.results.some((r) => r.status === 'listed')).length,
      unknownTargets: list.filter((t) => t.verdict.state === 'unknown').length,
    },
    targets: list,
  };
}
