// DNS authentication checks as a service: run a domain check with what Kiln knows about the
// domain (selectors and identifiers given or learned from headers), store the latest report and
// a history row, alert on changes, tell the UI; a daily schedule checks every mailbox domain.
import { authCheckNames, type AuthDomainSummary, type AuthHistoryPoint, type AuthReport, type CheckStatusMap, type LearnedHeaders, type MailboxChecks } from '../../../../shared/domain/auth-check';
import { KilnError } from '../../../../shared/errors';
import type { Db } from '../../db/connection';
import type { Clock } from '../../clock';
import type { EventBus } from '../../events/bus';
import type { Logger } from '../../log';
import type { DnsResolver } from '../resolver';
import type { AlertService } from '../../alerts/service';
import type { DkimService } from '../../dkim/service';
import type { DmarcService } from '../../dmarc/service';
import { iso } from '../../util/time';
import { parseJson } from '../../util/json';
import { domainOf } from '../../mail/address';
import { alertFor, alertKey, statusesOf, transitions } from './alerts';
import { parseDkimKey, selectorsFromHeaders, type SelectorInput } from './dkim';
import { runDomainCheck, type DomainCheckInput } from './domain-check';
import { addressDomain, fieldsNamed } from './headers';
import type { MtaStsPolicyFetcher } from './mta-sts';
import { sendingIpFromReceived } from './received';
import { entryProtocol } from './transport';
import { authCheckRepository, type FactKind } from './repository';
import type { KnownSenders } from './suggest';
import { domainVerdict, withVerdicts } from './verdicts';

export interface AuthCheckOptions {
  /** Deadline per DNS query (default 5 s). */
  timeoutMs?: number;
  fetchMtaStsPolicy?: MtaStsPolicyFetcher;
  /** A domain is checked again by the schedule once its last check is this old (default 24 h). */
  intervalMs?: number;
  /** How often the schedule looks for due domains (default hourly). */
  tickMs?: number;
}

export interface RunInput {
  ip?: string;
  selectors?: string[];
  envelopeDomain?: string;
  dkimDomains?: string[];
}

const MAX_SELECTORS = 10;
const DAY = 86_400_000;

/** What the domain authentication checks use. */
export interface AuthCheckServiceNeeds {
  db: Db;
  clock: Clock;
  bus: EventBus;
  log: Logger;
  dns: DnsResolver;
  alerts: Pick<AlertService, 'raise' | 'resolve'>;
  dkim: Pick<DkimService, 'list'>;
  dmarc: Pick<DmarcService, 'getSettings'>;
}

export function authCheckService(deps: AuthCheckServiceNeeds, opts: AuthCheckOptions = {}) {
  const repo = authCheckRepository(deps.db.kysely);
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const intervalMs = opts.intervalMs ?? DAY;
  /** Runs of one (workspace, domain) queue behind each other: alert transitions compare in order. */
  const queues = new Map<string, Promise<unknown>>();
  const inFlight = new Set<Promise<unknown>>();
  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<number> = Promise.resolve(0);
  let stopped = false;

  async function inputFor(ws: string, domain: string, given: RunInput): Promise<DomainCheckInput> {
    const facts = await repo.facts(ws, domain);
    const selectors: SelectorInput[] = [];
    const add = (selector: string, source: SelectorInput['source'], expectedKey: string | null = null) => {
      const same = selectors.find((s) => s.selector === selector);
      if (same) same.expectedKey ??= expectedKey;
      else if (selectors.length < MAX_SELECTORS) selectors.push({ selector, source, expectedKey });
    };
    for (const s of given.selectors ?? []) add(s, 'given');
    for (const key of await deps.dkim.list(ws)) if (key.domain === domain) add(key.selector, key.status === 'active' ? 'signing' : 'pending', parseDkimKey(key.dnsValue).publicKey);
    for (const f of facts) if (f.kind === 'selector') add(f.value, f.source === 'headers' ? 'headers' : 'known');
    const latest = (kind: FactKind) => facts.find((f) => f.kind === kind)?.value ?? null;
    const dkimDomains = given.dkimDomains ?? [...new Set(facts.filter((f) => f.kind === 'dkim_domain').map((f) => f.value))].slice(0, 5);
    const ips = [...new Set([...(given.ip ? [given.ip] : []), ...facts.filter((f) => f.kind === 'ip').map((f) => f.value)])].slice(0, 5);
    return { domain, ip: given.ip ?? latest('ip'), selectors, envelopeDomain: given.envelopeDomain ?? latest('envelope_domain'), dkimDomains, known: await knownSenders(ws, domain, ips) };
  }

  /** What the suggested records are built from: sending IPs, the providers of the domain's mailboxes, the DMARC reports mailbox. */
  async function knownSenders(ws: string, domain: string, ips: string[]): Promise<KnownSenders> {
    const mailboxes = await repo.domainMailboxes(ws, domain);
    const reportsId = (await deps.dmarc.getSettings(ws)).mailboxId;
    const reports = reportsId ? await repo.mailbox(ws, reportsId) : undefined;
    return { ips, providers: mailboxes.map((m) => m.provider as KnownSenders['providers'][number]), reportsAddress: reports?.email ?? null };
  }

  async function runNow(ws: string, domain: string, given: RunInput): Promise<AuthReport> {
    // Selectors and the sending IP given are remembered: the daily check uses them too.
    const remembered = [
      ...(given.selectors ?? []).map((value) => ({ kind: 'selector' as const, value, source: 'given' as const })),
      ...(given.ip ? [{ kind: 'ip' as const, value: given.ip, source: 'given' as const }] : []),
    ];
    await repo.remember(ws, domain, remembered, deps.clock.now());
    const input = await inputFor(ws, domain, given);
    const report = await runDomainCheck(deps.dns, input, { timeoutMs, fetchMtaStsPolicy: opts.fetchMtaStsPolicy }, deps.clock.now());
    const prev = await repo.latest(ws, domain);
    const prevStatuses = prev ? statusesOf(parseJson<AuthReport>(prev.report) ?? report) : null;
    const statuses = statusesOf(report);
    const at = Date.parse(report.checkedAt);
    await repo.store(ws, report, statuses, at);
    const { raise, resolve } = transitions(prevStatuses, statuses);
    for (const check of raise) deps.alerts.raise(ws, alertFor(report, check));
    for (const check of resolve) deps.alerts.resolve(ws, alertKey(domain, check));
    deps.bus.emit(ws, 'checks.updated', { domain, status: report.status, checkedAt: report.checkedAt, checks: statuses });
    deps.log.info({ workspaceId: ws, domain, status: report.status, checks: statuses }, 'auth check done');
    return report;
  }

  function run(ws: string, domain: string, given: RunInput = {}): Promise<AuthReport> {
    if (stopped) return Promise.reject(new KilnError('SHUTTING_DOWN', 'Kiln is shutting down'));
    const key = `${ws} ${domain}`;
    const next = (queues.get(key) ?? Promise.resolve()).catch(() => undefined).then(() => runNow(ws, domain, given));
    queues.set(key, next);
    inFlight.add(next);
    void next.finally(() => {
      inFlight.delete(next);
      if (queues.get(key) === next) queues.delete(key);
    }).catch(() => undefined);
    return next;
  }

  async function latest(ws: string, domain: string): Promise<AuthReport | null> {
    const r = await repo.latest(ws, domain);
    const report = r ? parseJson<AuthReport>(r.report) : null;
    return report ? withVerdicts(report) : null;
  }

  /** Check every mailbox domain whose last check is older than the interval; one at a time. */
  async function checkDue(): Promise<number> {
    let n = 0;
    for (const { workspaceId, domain } of await repo.allMailboxDomains()) {
      if (stopped) break;
      const at = await repo.checkedAt(workspaceId, domain);
      if (at !== null && deps.clock.now() - at < intervalMs) continue;
      try {
        await run(workspaceId, domain);
        n++;
      } catch (err) {
        deps.log.warn({ err, workspaceId, domain }, 'scheduled auth check failed');
      }
    }
    return n;
  }

  /**
   * Learn from the raw headers of a message Kiln received: DKIM selectors (filed under their d=
   * domain, where the key lives), the signing and envelope domains and the sending IP (filed
   * under the From domain). The feedback loop or a user pasting headers feeds this.
   */
  async function learnHeaders(ws: string, raw: string, mailboxId?: string): Promise<LearnedHeaders> {
    if (mailboxId && !(await repo.mailbox(ws, mailboxId))) throw new KilnError('NOT_FOUND', `No mailbox ${mailboxId} in this workspace`);
    const from = fieldsNamed(raw, 'from')[0];
    const domain = from ? addressDomain(from.value) : null;
    const selectors = selectorsFromHeaders(raw);
    const rp = fieldsNamed(raw, 'return-path')[0];
    const envelopeDomain = rp ? addressDomain(rp.value) : null;
    const sending = sendingIpFromReceived(raw);
    const transport = entryProtocol(raw);
    const now = deps.clock.now();
    for (const s of selectors) await repo.remember(ws, s.domain, [{ kind: 'selector', value: s.selector, source: 'headers', mailboxId }], now);
    if (domain) {
      await repo.remember(
        ws,
        domain,
        [
          ...selectors.map((s) => ({ kind: 'dkim_domain' as const, value: s.domain, source: 'headers' as const, mailboxId })),
          ...(envelopeDomain ? [{ kind: 'envelope_domain' as const, value: envelopeDomain, source: 'headers' as const, mailboxId }] : []),
          ...(sending ? [{ kind: 'ip' as const, value: sending.ip, source: 'headers' as const, mailboxId }] : []),
          ...(transport && mailboxId ? [{ kind: 'transport' as const, value: transport, source: 'headers' as const, mailboxId }] : []),
        ],
        now,
      );
    }
    return { domain, selectors, envelopeDomain, sendingIp: sending?.ip ?? null };
  }

  /** Passes never overlap: a tick that finds one running waits for it. */
  function tick(): Promise<number> {
    ticking = ticking.catch(() => 0).then(checkDue);
    return ticking;
  }

  return {
    run,
    latest,

    async latestOrThrow(ws: string, domain: string): Promise<AuthReport> {
      const r = await latest(ws, domain);
      if (!r) throw new KilnError('NOT_FOUND', `${domain} has not been checked in this workspace`);
      return r;
    },

    async domains(ws: string): Promise<AuthDomainSummary[]> {
      const counts = await repo.mailboxDomains(ws);
      const rows = await repo.latestAll(ws);
      const out = new Map<string, AuthDomainSummary>();
      for (const [domain, mailboxes] of counts) out.set(domain, { domain, status: null, checkedAt: null, checks: null, verdicts: null, verdict: null, mailboxes });
      for (const r of rows) {
        const stored = parseJson<AuthReport>(r.report);
        const report = stored ? withVerdicts(stored) : null;
        const verdicts = report ? (Object.fromEntries(authCheckNames.map((n) => [n, report.checks[n].verdict])) as AuthDomainSummary['verdicts']) : null;
        out.set(r.domain, {
          domain: r.domain,
          status: report?.status ?? null,
          checkedAt: iso(r.checked_at),
          checks: report ? statusesOf(report) : null,
          verdicts,
          verdict: verdicts ? domainVerdict(verdicts) : null,
          mailboxes: counts.get(r.domain) ?? 0,
        });
      }
      return [...out.values()].sort((a, b) => a.domain.localeCompare(b.domain));
    },

    async history(ws: string, domain: string, days: number): Promise<AuthHistoryPoint[]> {
      const rows = await repo.history(ws, domain, deps.clock.now() - days * DAY);
      return rows.flatMap((r) => {
        const checks = parseJson<CheckStatusMap>(r.checks);
        return checks ? [{ checkedAt: iso(r.checked_at), status: r.status as AuthHistoryPoint['status'], checks }] : [];
      });
    },

    async mailbox(ws: string, id: string): Promise<MailboxChecks> {
      const mb = await repo.mailbox(ws, id);
      if (!mb) throw new KilnError('NOT_FOUND', `No mailbox ${id} in this workspace`);
      const domain = domainOf(mb.email);
      const ip = await repo.mailboxIp(ws, id);
      return { mailboxId: id, domain, sendingIp: ip?.value ?? null, sendingIpSeenAt: ip ? iso(ip.last_seen_at) : null, report: await latest(ws, domain) };
    },

    learnHeaders,

    /** One pass of the schedule (tests call it after moving their clock). */
    checkDue: tick,

    /**
     * A copy of a Kiln mailbox's own mail as a receiving server stored it (the feedback loop reads
     * these, e.g. placement-test copies): learn its selectors and sending IP for that mailbox.
     */
    async learnFromSource(ws: string, senderMailboxId: string, source: Buffer): Promise<LearnedHeaders> {
      const head = source.subarray(0, Math.min(source.length, 256 * 1024)).toString('latin1');
      return learnHeaders(ws, head, senderMailboxId);
    },

    /** Start the daily schedule: every tick (hourly) checks the domains that are due. */
    startSchedule(): void {
      if (timer || stopped) return;
      timer = setInterval(() => void tick().catch((err: unknown) => deps.log.error({ err }, 'auth check schedule failed')), opts.tickMs ?? 3_600_000);
      timer.unref?.();
    },

    /** Stop the schedule and wait for running checks (core close). */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await Promise.allSettled([ticking, ...inFlight]);
    },
  };
}
export type AuthCheckService = ReturnType<typeof authCheckService>;
