// The health score, as a pure function of what Kiln measured. Weights follow what the field's
// best tools weigh: where Kiln mail lands dominates, recent days and the big
// providers count more; authentication setup, blocklists, bounces/complaints and the latest
// placement test complete it. A part without enough data is left out and the rest re-weighted,
// so a new mailbox is not punished for what nobody has measured yet.
import { scoreState, type HealthComponent, type HealthScore } from '../../../shared/domain/health';
import type { Provider } from '../../../shared/domain/mailbox';
import { daysAgo, plural } from '../../../shared/plural';
import { verdictOf, type Evidence, type VerdictState } from '../../../shared/domain/verdict';

export interface PlacementSample {
  /** Days since it was sent (0 = today). */
  ageDays: number;
  provider: Provider;
  placement: 'inbox' | 'spam' | 'other' | 'missing';
}

export type AuthStatus = 'pass' | 'warn' | 'fail' | 'error' | 'none';
/** A check's status and its verdict: only a verdict backed by an answer counts toward the score. */
export interface AuthResult {
  status: AuthStatus;
  state: VerdictState;
}

export interface HealthInputs {
  placements: PlacementSample[];
  /** Latest DNS authentication check of the mailbox's domain; null when never checked. */
  auth: { spf: AuthResult; dkim: AuthResult; dmarc: AuthResult; ptr: AuthResult } | null;
  /**
   * The latest blocklist answers about the mailbox's domain and the workspace's IPs; null when
   * never scanned. `asked` queries, of which `answered` gave a verdict (listed or not): a list
   * that did not answer (timeout, refused resolver) says nothing either way.
   */
  blocklists: { listed: number; policyListed: number; asked: number; answered: number; checkedAt: number | null; errors: string[] } | null;
  /** Over the same window as the placements. */
  sent: number;
  bounced: number;
  complained: number;
  /** The latest placement test from this mailbox within 30 days. */
  placementTest: { inboxRate: number; ageDays: number } | null;
}

const WEIGHTS = { placement: 45, authentication: 20, blocklists: 15, bounces: 10, placementTest: 10 } as const;
/** Recent days count more: a day's weight halves in about four days. */
const DECAY = 0.85;
const PROVIDER_WEIGHT: Record<Provider, number> = { gmail: 2, outlook: 2, yahoo: 1.5, zoho: 1, custom: 1 };
const MIN_PLACEMENTS = 5;
const MIN_SENT = 20;

type Part = Omit<HealthComponent, 'weight' | 'verdict'> & { evidence?: Evidence[] };

const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;
const clamp = (x: number) => Math.max(0, Math.min(100, x));

function placementPart(samples: PlacementSample[]): Part {
  const label = 'Inbox placement of Kiln mail';
  if (samples.length < MIN_PLACEMENTS) return { part: 'placement', label, score: null, detail: `${plural(samples.length, 'placement', 'placements')} in 14 days: not enough yet (${MIN_PLACEMENTS} needed)` };
  let weight = 0;
  let good = 0;
  let inbox = 0;
  for (const s of samples) {
    const w = DECAY ** s.ageDays * PROVIDER_WEIGHT[s.provider];
    weight += w;
    // A promotions/other tab is delivered but not the primary inbox: half credit.
    good += w * (s.placement === 'inbox' ? 1 : s.placement === 'other' ? 0.5 : 0);
    if (s.placement === 'inbox') inbox++;
  }
  return { part: 'placement', label, score: clamp((good / weight) * 100), detail: `${inbox} of ${samples.length} placements in the inbox over 14 days (recent days, Gmail and Microsoft weigh more)` };
}

function authPart(auth: HealthInputs['auth']): Part {
  const label = 'Authentication (SPF, DKIM, DMARC, PTR)';
  if (!auth) return { part: 'authentication', label, score: null, detail: 'The domain has not been checked yet' };
  const keys = ['spf', 'dkim', 'dmarc', 'ptr'] as const;
  const words = keys.map((k) => `${k.toUpperCase()} ${auth[k].status}`).join(', ');
  // A check nobody could answer (a lookup that failed, no sending IP known) or one that does not
  // apply is left out and the rest re-weighted: unknown is never scored, neither good nor bad.
  const counted = keys.filter((k) => auth[k].state !== 'unknown' && auth[k].state !== 'na');
  const left = keys.filter((k) => !counted.includes(k)).map((k) => k.toUpperCase());
  if (counted.length === 0) return { part: 'authentication', label, score: null, detail: `${words}: no check has an answer yet` };
  const credit: Record<VerdictState, number> = { good: 1, warning: 0.5, bad: 0, unknown: 0, na: 0 };
  const weight = { spf: 30, dkim: 30, dmarc: 30, ptr: 10 } as const;
  const total = counted.reduce((a, k) => a + weight[k], 0);
  const score = (100 * counted.reduce((a, k) => a + weight[k] * credit[auth[k].state], 0)) / total;
  return { part: 'authentication', label, score, detail: left.length ? `${words} (${left.join(', ')} not counted: no answer or not applicable)` : words };
}

function blocklistPart(b: HealthInputs['blocklists']): Part {
  const label = 'Blocklists';
  if (!b) return { part: 'blocklists', label, score: null, detail: 'Not scanned yet' };
  const at = b.checkedAt === null ? null : new Date(b.checkedAt).toISOString();
  const why = b.errors.length > 0 ? ` (${b.errors.join(', ')})` : '';
  const found = b.listed + b.policyListed;
  const evidence = [{ asked: `${b.asked} blocklist queries about the domain and the sending IPs`, answered: `${b.answered} answered, ${found} listed${why}`, at }];
  const part = (score: number | null, detail: string): Part => ({ part: 'blocklists', label, score, detail, evidence });
  if (b.asked === 0) return part(null, 'The scan checks nothing of this mailbox (a shared domain such as gmail.com, and no own sending IP)');
  const silent = b.asked - b.answered;
  const queries = (n: number) => plural(n, 'query', 'queries');
  const gap = silent > 0 ? `; ${silent} of ${queries(b.asked)} got no answer${why}` : '';
  // A list that did not answer may list it: "not listed" needs every answer, a listing only one.
  if (found === 0 && b.answered === 0) return part(null, `No list answered any of the ${queries(b.asked)}${why}: whether it is listed is unknown`);
  if (found === 0 && silent > 0) return part(null, `Not listed where lists answered (${b.answered} of ${queries(b.asked)})${gap}: left out until every list answers`);
  if (found === 0) return part(100, `Not listed: every list answered all ${queries(b.asked)}`);
  const listings = `${plural(b.listed, 'listing', 'listings')}${b.policyListed ? `, ${plural(b.policyListed, 'policy listing', 'policy listings')} (e.g. PBL)` : ''}`;
  return part(clamp(100 - 50 * b.listed - 10 * b.policyListed), `${listings}${gap}`);
}

function bouncePart(i: HealthInputs): Part {
  const label = 'Bounces and complaints';
  if (i.sent < MIN_SENT) return { part: 'bounces', label, score: null, detail: `${i.sent} sent in 14 days: not enough yet (${MIN_SENT} needed)` };
  const b = i.bounced / i.sent;
  const c = i.complained / i.sent;
  // 5 % bounces or 0.3 % complaints (the bulk-sender line) take the part to zero.
  const score = 100 * Math.max(0, 1 - b / 0.05) * Math.max(0, 1 - c / 0.003);
  return { part: 'bounces', label, score, detail: `${pct(b)} bounced, ${pct(c)} complaints of ${i.sent} sent` };
}

function testPart(t: HealthInputs['placementTest']): Part {
  const label = 'Latest placement test';
  if (!t) return { part: 'placementTest', label, score: null, detail: 'No placement test in 30 days' };
  return { part: 'placementTest', label, score: clamp(t.inboxRate * 100), detail: `${pct(t.inboxRate)} inbox, ${daysAgo(t.ageDays)}` };
}

const stateWords = { good: 'Good', warning: 'Fair', bad: 'Poor', unknown: 'No data', na: 'Not applicable' } as const;

/** A part's verdict follows its score; a part without a score is unknown, whatever it would have said. */
function partVerdict(score: number | null, detail: string, evidence: Evidence[] = []): HealthComponent['verdict'] {
  const state = scoreState(score);
  return verdictOf(state, stateWords[state], detail, evidence);
}

export function healthScoreOf(i: HealthInputs): HealthScore {
  const parts = [placementPart(i.placements), authPart(i.auth), blocklistPart(i.blocklists), bouncePart(i), testPart(i.placementTest)];
  const components: HealthComponent[] = parts.map(({ evidence, ...p }) => {
    const score = p.score === null ? null : Math.round(p.score);
    return { ...p, score, weight: WEIGHTS[p.part], verdict: partVerdict(score, p.detail, evidence) };
  });
  const known = components.filter((c) => c.score !== null);
  const total = known.reduce((a, c) => a + c.weight, 0);
  const score = total === 0 ? null : Math.round(known.reduce((a, c) => a + c.weight * c.score!, 0) / total);
  return { score, components };
}
