// Where a sending domain stands against the Gmail / Yahoo / Microsoft bulk-sender rules
// SPF and DKIM pass, DMARC at least p=none and aligned, a valid PTR, TLS between
// servers, one-click unsubscribe for bulk mail, a spam rate under Gmail's limit (0.3 %, target
// 0.1 %) and Gmail's 5,000-a-day line: the numbers come from the Gmail provider record. Each rule
// is a verdict on what the checks, the received copies and the figures module measured; it never
// guesses, and unknown never turns a domain green or red.
import type { ComplianceItem, DomainCompliance } from '../../../shared/domain/health';
import { verdictOf, worstState, type Verdict, type VerdictState } from '../../../shared/domain/verdict';
import type { Db } from '../db/connection';
import type { Clock } from '../clock';
import { figuresOf, noPlacements, placementsRead, type PlacementCounts } from '../figures';
import { parseJson } from '../util/json';
import { iso } from '../util/time';
import { plural } from '../../../shared/plural';
import { domainOf } from '../mail/address';
import { tlsItem } from './compliance-tls';
import { itemOf, labelOf, statusOf } from './compliance-item';
import { exactDomainsOf, providerRecords } from '../providers';

const DAY = 86_400_000;
const gmailRules = providerRecords.gmail.bulkSender!;
const GMAIL_LINE = gmailRules.dailyVolumeLine!;
const SPAM_LIMIT = gmailRules.spamRateLimit!;
const SPAM_TARGET = gmailRules.spamRateTarget!;
const GMAIL_DOMAINS = exactDomainsOf('gmail');
const MIN_PLACEMENTS = 20;
/** 0.003 -> "0.3" (a rate as a percentage, without float noise). */
const percent = (rate: number): string => String(Math.round(rate * 100_000) / 1000);

type CheckStatus = 'pass' | 'warn' | 'fail' | 'error' | 'none';

/** What the bulk-sender compliance view uses. */
export interface ComplianceNeeds {
  db: Db;
  clock: Clock;
}

export function domainCompliance(deps: ComplianceNeeds) {
  const sqlite = deps.db.sqlite;
  const figures = figuresOf(sqlite);
  const mailboxesSt = sqlite.prepare('SELECT id, email FROM mailboxes WHERE workspace_id = ? AND deleted_at IS NULL');
  const authSt = sqlite.prepare('SELECT report, checked_at FROM auth_checks WHERE workspace_id = ? AND domain = ?');
  const gmailSt = (n: number) =>
    sqlite.prepare(
      `SELECT COUNT(*) AS n FROM messages m JOIN message_recipients r ON r.message_id = m.id
        WHERE m.mailbox_id IN (${Array(n).fill('?').join(',')}) AND m.sent_at >= ? AND r.status = 'sent'
          AND (${GMAIL_DOMAINS.map((d) => `r.address LIKE '%@${d}'`).join(' OR ')})
        GROUP BY date(m.sent_at / 1000, 'unixepoch')`,
    );

  function authItems(workspaceId: string, domain: string): ComplianceItem[] {
    const row = authSt.get(workspaceId, domain) as { report: string; checked_at: number } | undefined;
    const report = parseJson<{ checks?: Record<string, { status?: CheckStatus; summary?: string }> }>(row?.report ?? null);
    const item = (rule: 'spf' | 'dkim' | 'dmarc' | 'ptr', label: string, judge: (s: CheckStatus) => VerdictState): ComplianceItem => {
      const c = report?.checks?.[rule];
      if (!c?.status || !row) return itemOf(rule, label, 'unknown', 'Not checked yet: run the domain check', []);
      const detail = c.summary ?? c.status;
      return itemOf(rule, label, judge(c.status), detail, [{ asked: `${rule.toUpperCase()} check of ${domain}`, answered: detail, at: iso(row.checked_at) }]);
    };
    // A check that could not get an answer (error) is no verdict either way.
    const strict = (s: CheckStatus): VerdictState => (s === 'pass' ? 'good' : s === 'warn' ? 'warning' : s === 'error' ? 'unknown' : 'bad');
    return [
      item('spf', 'SPF passes', strict),
      item('dkim', 'DKIM passes', strict),
      // p=none is enough for the rule (the check warns about it): at least p=none and aligned.
      item('dmarc', 'DMARC at least p=none, aligned', (s) => (s === 'pass' || s === 'warn' ? 'good' : s === 'error' ? 'unknown' : 'bad')),
      item('ptr', 'Sending IP has a valid PTR (forward-confirmed)', (s) => (s === 'pass' ? 'good' : s === 'none' || s === 'error' ? 'unknown' : 'bad')),
    ];
  }

  function spamItem(placed: PlacementCounts): ComplianceItem {
    const label = `Spam rate under ${percent(SPAM_LIMIT)} %`;
    const read = placementsRead(placed);
    const evidence = [{ asked: 'Placements of all Kiln mail sent from this domain in the last 7 days', answered: `${placed.inbox} inbox, ${placed.spam} spam, ${placed.other} other of ${read} read`, at: null }];
    if (read < MIN_PLACEMENTS) return itemOf('spamRate', label, 'unknown', `${plural(read, 'placement', 'placements')} in 7 days: not enough to judge (${MIN_PLACEMENTS} needed)`, evidence);
    const rate = placed.spam / read;
    const state: VerdictState = rate < SPAM_TARGET ? 'good' : rate < SPAM_LIMIT ? 'warning' : 'bad';
    return itemOf('spamRate', label, state, `${Math.round(rate * 10_000) / 100} % of ${read} placements landed in spam over 7 days (target under ${percent(SPAM_TARGET)} %)`, evidence);
  }

  return function compliance(workspaceId: string): DomainCompliance[] {
    const now = deps.clock.now();
    const byDomain = new Map<string, string[]>();
    for (const m of mailboxesSt.all(workspaceId) as Array<{ id: string; email: string }>) {
      const d = domainOf(m.email);
      (byDomain.get(d) ?? byDomain.set(d, []).get(d)!).push(m.id);
    }
    const week = figures.mail.placementsByMailbox(workspaceId, now - 7 * DAY);
    return [...byDomain]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([domain, ids]) => {
        const items = authItems(workspaceId, domain);
        items.push(tlsItem(sqlite, workspaceId, domain, ids, now));
        items.push(
          itemOf(
            'oneClickUnsubscribe',
            'One-click unsubscribe on bulk mail',
            'na',
            'Kiln sends person-to-person mail (warmup, tests): your own bulk mail needs List-Unsubscribe and List-Unsubscribe-Post (RFC 8058)',
            [],
          ),
        );
        const placed = noPlacements();
        for (const id of ids) for (const [k, n] of Object.entries(week.get(id) ?? {})) placed[k as keyof PlacementCounts] += n;
        items.push(spamItem(placed));

        const peak = Math.max(0, ...(gmailSt(ids.length).all(...ids, now - 7 * DAY) as Array<{ n: number }>).map((r) => r.n));
        items.push(
          itemOf(
            'gmailVolume',
            `Daily volume to Gmail against the ${GMAIL_LINE.toLocaleString('en')} line`,
            peak >= GMAIL_LINE ? 'warning' : 'good',
            peak >= GMAIL_LINE
              ? `${plural(peak, 'message', 'messages')} to Gmail in one day: the bulk-sender rules apply to ${domain} (and keep applying)`
              : `At most ${plural(peak, 'message', 'messages')} a day to Gmail over 7 days (the rules apply from about ${GMAIL_LINE.toLocaleString('en')})`,
            [{ asked: 'Messages accepted for Gmail addresses per day, last 7 days', answered: `at most ${peak} in one day`, at: null }],
          ),
        );
        return { domain, mailboxes: ids.length, status: statusOf[worstState(items.map((i) => i.verdict.state))], verdict: overall(items), items };
      });
  };
}

function overall(items: ComplianceItem[]): Verdict {
  const state = worstState(items.map((i) => i.verdict.state));
  const open = items.filter((i) => i.verdict.state === state && state !== 'good' && state !== 'na');
  const detail = open.length ? open.map((i) => i.label).join('; ') : 'Every rule that applies is met';
  return verdictOf(state, labelOf[state], detail, []);
}
