// Each check's verdict, with every DNS question it rests on as evidence. A lookup that failed
// (timeout, SERVFAIL, refused) proves nothing about the record: unknown, never a failure. A broken
// record, a requirement not met or a domain that does not exist is bad; an optional record not
// published is not applicable; nothing to check against (no sending IP, no selector) is unknown.
import type { AuthCheckName, AuthProblem, CheckStatus } from '../../../../shared/domain/auth-check';
import { verdictOf, worstState, type Evidence, type Verdict, type VerdictState } from '../../../../shared/domain/verdict';
import type { AskedName } from './dns';

export interface CheckFacts {
  status: CheckStatus;
  summary: string;
  problems: AuthProblem[];
}

/** What the report knows that tells which questions belong to which check. */
export interface EvidenceScope {
  domain: string;
  /** Domains of the SPF tree (the domain and its includes / redirects). */
  spfDomains: string[];
  mxHosts: string[];
  ptrNames: string[];
}

const belongs: Record<AuthCheckName, (q: AskedName, s: EvidenceScope) => boolean> = {
  spf: (q, s) => q.type === 'TXT' && s.spfDomains.includes(q.name),
  dkim: (q) => q.type === 'TXT' && q.name.includes('._domainkey.'),
  dmarc: (q) => q.type === 'TXT' && (q.name.startsWith('_dmarc.') || q.name.includes('._report._dmarc.')),
  mx: (q, s) => (q.type === 'MX' && q.name === s.domain) || ((q.type === 'A' || q.type === 'AAAA') && (q.name === s.domain || s.mxHosts.includes(q.name))),
  ptr: (q, s) => q.type === 'PTR' || ((q.type === 'A' || q.type === 'AAAA') && s.ptrNames.includes(q.name)),
  mtaSts: (q, s) => q.type === 'TXT' && q.name === `_mta-sts.${s.domain}`,
  tlsRpt: (q, s) => q.type === 'TXT' && q.name === `_smtp._tls.${s.domain}`,
  bimi: (q) => q.type === 'TXT' && q.name.includes('._bimi.'),
};

const clip = (s: string) => (s.length > 160 ? `${s.slice(0, 157)}…` : s);

export function answerText(q: AskedName): string {
  const a = q.answer;
  if (a.ok) return a.values.map((v) => clip(typeof v === 'string' ? v : JSON.stringify(v))).join(' | ');
  if (a.failure === 'nxdomain') return 'no such name (NXDOMAIN)';
  if (a.failure === 'nodata') return `no ${q.type} record (NODATA)`;
  return `no answer: ${a.code} (${a.message})`;
}

/** A failed lookup or a temporary SPF evaluation error: the record was never seen. */
const unanswered = (p: AuthProblem) => p.code.startsWith('dns.') || p.code === 'spf.ip_temperror';
const NOTHING_TO_CHECK = new Set(['ptr.no_ip', 'dkim.no_selector']);

export function stateOf(c: CheckFacts): VerdictState {
  if (c.problems.some((p) => p.code === 'domain.nxdomain')) return 'bad';
  switch (c.status) {
    case 'pass':
      return 'good';
    case 'warn':
      return 'warning';
    case 'fail':
      return 'bad';
    case 'error': {
      const errors = c.problems.filter((p) => p.severity === 'error');
      return errors.length > 0 && errors.every(unanswered) ? 'unknown' : 'bad';
    }
    case 'none':
      return c.problems.some((p) => NOTHING_TO_CHECK.has(p.code)) ? 'unknown' : 'na';
  }
}

const labels: Record<VerdictState, string> = { good: 'Pass', warning: 'Warning', bad: 'Fail', unknown: 'Unknown', na: 'Not published' };

export function checkVerdict(name: AuthCheckName, c: CheckFacts, asked: readonly AskedName[], scope: EvidenceScope, at: string): Verdict {
  const state = stateOf(c);
  const worst = c.problems.find((p) => p.severity === 'error') ?? c.problems.find((p) => p.severity === 'warning');
  const label = c.problems.some((p) => p.code === 'domain.nxdomain') ? 'No such domain' : state === 'bad' && c.status === 'error' ? 'Broken' : labels[state];
  const evidence: Evidence[] = asked.filter((q) => belongs[name](q, scope)).map((q) => ({ asked: `${q.type} ${q.name}`, answered: answerText(q), at }));
  return verdictOf(state, label, worst && state !== 'good' ? worst.message : c.summary, evidence);
}

const SUGGESTING: ReadonlySet<AuthCheckName> = new Set(['spf', 'dkim', 'dmarc']);

/** A report stored before checks carried verdicts: give each one from its status (no evidence was kept). */
export function withVerdicts<R extends { domain: string; checkedAt: string; checks: Record<AuthCheckName, CheckFacts & { verdict?: Verdict }> }>(report: R): R {
  const scope: EvidenceScope = { domain: report.domain, spfDomains: [], mxHosts: [], ptrNames: [] };
  const checks = { ...report.checks };
  for (const name of Object.keys(checks) as AuthCheckName[]) {
    const c = checks[name];
    // Suggestions were not stored either: the next check makes them.
    if (!c.verdict) checks[name] = { ...(SUGGESTING.has(name) ? { suggestion: null } : {}), ...c, verdict: checkVerdict(name, c, [], scope, report.checkedAt) } as typeof c;
  }
  return { ...report, checks };
}

const domainLabels: Record<VerdictState, string> = { good: 'Pass', warning: 'Warning', bad: 'Fail', unknown: 'Unknown', na: 'Nothing to check' };

/** A domain at a glance: its worst check. A check without an answer keeps the domain from reading as a pass. */
export function domainVerdict(verdicts: Record<AuthCheckName, Verdict>): Verdict {
  const entries = Object.entries(verdicts) as [AuthCheckName, Verdict][];
  const state = worstState(entries.map(([, v]) => v.state));
  const named = (s: VerdictState) => entries.filter(([, v]) => v.state === s).map(([n]) => n.toUpperCase());
  const parts = [
    named('bad').length ? `failing: ${named('bad').join(', ')}` : '',
    named('warning').length ? `warnings: ${named('warning').join(', ')}` : '',
    named('unknown').length ? `no answer: ${named('unknown').join(', ')}` : '',
  ].filter(Boolean);
  const detail = parts.length ? parts.join('; ') : `${named('good').length} of ${entries.length} checks pass; the rest are not published`;
  return verdictOf(state, domainLabels[state], detail);
}
