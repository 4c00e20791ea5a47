// What the health score is computed from: placements and outcomes of all Kiln mail from the
// figures module (the numbers every screen shows), the domain's latest DNS check, blocklist
// results and placement tests.
import type { MailboxRow } from '../db/schema';
import type { Db } from '../db/connection';
import type { PlacementTestService } from '../placement-tests/service';
import { figuresOf } from '../figures';
import { providerOf } from '../providers';
import { parseJson } from '../util/json';
import { domainOf } from '../mail/address';
import type { AuthResult, HealthInputs, PlacementSample } from './score';
import { stateOf, type CheckFacts } from '../checks/auth/verdicts';
import type { VerdictState } from '../../../shared/domain/verdict';

const DAY = 86_400_000;
export const WINDOW_DAYS = 14;

/** What gathering a mailbox's health inputs uses. */
export interface HealthInputNeeds {
  db: Db;
  placementTests: Pick<PlacementTestService, 'get'>;
}

export function healthInputs(deps: HealthInputNeeds) {
  const sqlite = deps.db.sqlite;
  const figures = figuresOf(sqlite);
  const authSt = sqlite.prepare('SELECT report FROM auth_checks WHERE workspace_id = ? AND domain = ?').pluck();
  const scannedSt = sqlite.prepare('SELECT 1 FROM blocklist_results WHERE workspace_id = ? LIMIT 1').pluck();
  const blocklistSt = sqlite.prepare(
    `SELECT status, codes, error_code, checked_at FROM blocklist_results
      WHERE workspace_id = ? AND (target_kind = 'ip' OR target = ?)`,
  );
  const latestTestSt = sqlite.prepare('SELECT id, created_at FROM placement_tests WHERE mailbox_id = ? AND created_at >= ? ORDER BY created_at DESC LIMIT 1');

  return async function inputsFor(mb: MailboxRow, now: number): Promise<HealthInputs> {
    const since = now - WINDOW_DAYS * DAY;
    // Placements read (missing mail is not a placement), as every screen counts them.
    const placements: PlacementSample[] = figures.mail
      .placementSamples(mb.id, since)
      .filter((r) => r.placement !== 'missing')
      .map((r) => ({
        ageDays: Math.max(0, Math.floor((now - r.sentAt) / DAY)),
        provider: providerOf(r.recipient),
        placement: r.placement === 'inbox' || r.placement === 'spam' ? r.placement : 'other',
      }));

    const report = parseJson<{ checks?: Record<string, CheckFacts & { verdict?: { state: VerdictState } }> }>((authSt.get(mb.workspace_id, domainOf(mb.email)) as string | undefined) ?? null);
    // The check's own verdict: a lookup that failed is unknown (left out of the score), not a failure.
    const st = (k: string): AuthResult => {
      const c = report?.checks?.[k];
      return c ? { status: c.status, state: c.verdict?.state ?? stateOf(c) } : { status: 'none', state: 'unknown' };
    };
    const auth = report?.checks ? { spf: st('spf'), dkim: st('dkim'), dmarc: st('dmarc'), ptr: st('ptr') } : null;

    let blocklists: HealthInputs['blocklists'] = null;
    if (scannedSt.get(mb.workspace_id)) {
      const b = { listed: 0, policyListed: 0, asked: 0, answered: 0, checkedAt: null as number | null, errors: [] as string[] };
      const rows = blocklistSt.all(mb.workspace_id, domainOf(mb.email)) as Array<{ status: string; codes: string; error_code: string | null; checked_at: number }>;
      for (const r of rows) {
        b.asked++;
        b.checkedAt = Math.max(b.checkedAt ?? 0, r.checked_at);
        // An error (timeout, refused resolver, unverified list) is no answer: neither listed nor clear.
        if (r.status === 'error') {
          if (r.error_code && !b.errors.includes(r.error_code)) b.errors.push(r.error_code);
          continue;
        }
        b.answered++;
        if (r.status !== 'listed') continue;
        const codes = parseJson<Array<{ policy?: boolean }>>(r.codes) ?? [];
        // A policy listing (Spamhaus PBL: "this range should not send directly") weighs less.
        if (codes.length > 0 && codes.every((c) => c.policy)) b.policyListed++;
        else b.listed++;
      }
      blocklists = b;
    }

    const outcomes = figures.mail.outcomes(mb.id, since);

    let placementTest: HealthInputs['placementTest'] = null;
    const latest = latestTestSt.get(mb.id, now - 30 * DAY) as { id: string; created_at: number } | undefined;
    if (latest) {
      const t = await deps.placementTests.get(mb.workspace_id, latest.id);
      if (t.inboxRate !== null && t.status === 'complete') placementTest = { inboxRate: t.inboxRate, ageDays: Math.floor((now - latest.created_at) / DAY) };
    }

    return { placements, auth, blocklists, sent: outcomes.sent, bounced: outcomes.bounced, complained: outcomes.complained, placementTest };
  };
}
