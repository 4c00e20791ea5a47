// Gathers a client report: every number is read from the module that computes it for the rest of
// Kiln (figures, the stored health scores, checks, blocklists, DMARC summary, alerts, placement
// tests); this file only selects the range and adds counts up. Null stays null (unknown).
import type { Report, ReportMailbox } from '../../../shared/domain/report';
import type { Alert } from '../../../shared/domain/alert';
import { verdictOf } from '../../../shared/domain/verdict';
import { scoreState } from '../../../shared/domain/health';
import { addDays, zonedTime } from '../../../shared/warmup/calendar';
import { KilnError } from '../../../shared/errors';
import type { Db } from '../db/connection';
import type { Clock } from '../clock';
import type { MailboxRow } from '../db/schema';
import type { HealthService } from '../health/service';
import type { AuthCheckService } from '../checks/auth/service';
import type { BlocklistService } from '../checks/blocklists/service';
import { dmarcSummary } from '../dmarc/summary';
import type { AlertService } from '../alerts/service';
import type { PlacementTestService } from '../placement-tests/service';
import { figuresOf, inboxShareOf, noOutcomes, noPlacements, type OutcomeCounts, type PlacementCounts } from '../figures';
import { workspaceRepository } from '../workspaces/repository';
import { iso } from '../util/time';
import type { ReportSettings } from '../../../shared/domain/report';

const DAY = 86_400_000;
const MAX_DAYS = 366;
const PAGES = 40;

export interface ReportDataNeeds {
  db: Db;
  clock: Clock;
  health: Pick<HealthService, 'storedRange'>;
  authChecks: Pick<AuthCheckService, 'domains'>;
  blocklists: Pick<BlocklistService, 'overview' | 'history'>;
  alerts: Pick<AlertService, 'list'>;
  placementTests: Pick<PlacementTestService, 'list'>;
}

const addOutcomes = (a: OutcomeCounts, b: OutcomeCounts): OutcomeCounts => ({ sent: a.sent + b.sent, delivered: a.delivered + b.delivered, bounced: a.bounced + b.bounced, complained: a.complained + b.complained });
const addPlacements = (a: PlacementCounts, b: PlacementCounts): PlacementCounts => ({ inbox: a.inbox + b.inbox, spam: a.spam + b.spam, other: a.other + b.other, missing: a.missing + b.missing });

/** Every page of a cursor-paged list, newest first, until `older` says the rest is before the range. */
async function pages<T>(read: (cursor?: string) => Promise<{ items: T[]; nextCursor: string | null }>, older: (item: T) => boolean): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < PAGES; i++) {
    const p = await read(cursor);
    out.push(...p.items);
    if (!p.nextCursor || p.items.some(older)) break;
    cursor = p.nextCursor;
  }
  return out;
}

export function reportData(deps: ReportDataNeeds) {
  const sqlite = deps.db.sqlite;
  const figures = figuresOf(sqlite);
  const workspaces = workspaceRepository(deps.db.kysely);
  const mailboxesSt = sqlite.prepare('SELECT * FROM mailboxes WHERE workspace_id = ? AND deleted_at IS NULL ORDER BY email');

  return async function build(workspaceId: string, range: { from: string; to: string }, settings: ReportSettings): Promise<Report> {
    const ws = await workspaces.byId(workspaceId);
    if (!ws) throw new KilnError('NOT_FOUND', `No workspace ${workspaceId}`);
    const tz = settings.timeZone;
    const since = zonedTime(range.from, '00:00', tz);
    const until = zonedTime(addDays(range.to, 1), '00:00', tz);
    if (until - since > MAX_DAYS * DAY) throw new KilnError('VALIDATION_FAILED', `A report covers at most ${MAX_DAYS} days`, { fields: [{ path: 'from', message: 'range too long' }] });

    const mailboxes: ReportMailbox[] = (mailboxesSt.all(workspaceId) as MailboxRow[]).map((mb) => {
      const history = deps.health.storedRange(workspaceId, mb.id, range.from, range.to);
      const placements = figures.mail.placements(mb.id, since, until);
      const share = inboxShareOf(placements);
      const latest = history.at(-1) ?? null;
      const state = scoreState(latest?.score ?? null);
      return {
        id: mb.id,
        email: mb.email,
        provider: mb.provider,
        health: latest,
        healthHistory: history,
        days: figures.days.mailbox(mb.id, range.from, range.to),
        outcomes: figures.mail.outcomes(mb.id, since, until),
        placements,
        inboxShare: share,
        verdict: verdictOf(
          state,
          latest?.score == null ? 'Unknown' : `Health ${latest.score}`,
          latest ? `Health score stored for ${latest.day}` : 'No health score was stored in this range',
          latest ? [{ asked: `health score of ${mb.email}`, answered: String(latest.score ?? 'not measurable'), at: null }] : [],
        ),
      };
    });

    const outcomes = mailboxes.reduce((a, m) => addOutcomes(a, m.outcomes), noOutcomes());
    const placements = mailboxes.reduce((a, m) => addPlacements(a, m.placements), noPlacements());
    const warmup = mailboxes.flatMap((m) => m.days).reduce((a, d) => ({ target: a.target + d.target, sent: a.sent + d.sent }), { target: 0, sent: 0 });

    const inRange = (at: string | null) => at !== null && Date.parse(at) >= since && Date.parse(at) < until;
    const alerts = (await pages<Alert>((cursor) => deps.alerts.list(workspaceId, { state: 'all', limit: 500, cursor }), (a) => Date.parse(a.raisedAt) < since - 365 * DAY)).filter(
      (a) => inRange(a.raisedAt) || inRange(a.resolvedAt),
    ).sort((a, b) => a.raisedAt.localeCompare(b.raisedAt));
    const scans = (await pages((cursor) => deps.blocklists.history(workspaceId, { limit: 200, cursor }), (s) => Date.parse(s.startedAt) < since)).filter((s) => inRange(s.startedAt));
    const tests = (await pages((cursor) => deps.placementTests.list(workspaceId, { limit: 100, cursor }), (t) => Date.parse(t.createdAt) < since)).filter((t) => inRange(t.createdAt));
    // DMARC reports are counted by UTC day (the reporters' ranges): the window ending on `to`.
    const days = Math.round((Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`)) / DAY) + 1;
    const dmarc = await dmarcSummary(deps.db.kysely, workspaceId, { days }, Date.parse(`${range.to}T12:00:00Z`));

    return {
      workspace: { id: ws.id, name: ws.name },
      from: range.from,
      to: range.to,
      timeZone: tz,
      generatedAt: iso(deps.clock.now()),
      consultant: { name: settings.consultantName, logoDataUrl: settings.logoDataUrl },
      headline: {
        mailboxes: mailboxes.length,
        outcomes,
        placements,
        inboxShare: inboxShareOf(placements),
        warmup,
        alertsRaised: alerts.filter((a) => inRange(a.raisedAt)).length,
        alertsResolved: alerts.filter((a) => inRange(a.resolvedAt)).length,
        dmarcPassPct: dmarc.totals.passPct,
      },
      mailboxes,
      placementByProvider: [...figures.mail.placementsByProvider(workspaceId, since, until)].map(([provider, c]) => ({ provider, ...c, inboxShare: inboxShareOf(c) })),
      placementTests: tests.map((t) => ({ id: t.id, from: t.from, createdAt: t.createdAt, status: t.status, inboxRate: t.inboxRate, total: t.totals.total, inbox: t.totals.inbox, spam: t.totals.spam, missing: t.totals.missing })),
      authentication: await deps.authChecks.domains(workspaceId),
      blocklists: {
        current: (await deps.blocklists.overview(workspaceId)).summary,
        scans: scans.length,
        changes: scans.flatMap((s) => s.changeList.map((c) => ({ at: s.startedAt, target: c.target, zone: c.zone, from: c.from, to: c.to }))),
      },
      dmarc,
      alerts,
    };
  };
}
