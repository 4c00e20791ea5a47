// A domain that does not exist (NXDOMAIN) has no records at all: every check that would say "no
// SPF record", "no DMARC record", "no DKIM key"... says instead that the domain does not exist,
// with one code (domain.nxdomain) and status fail, so the report points at the real problem.
import { statusRank, type AuthProblem, type CheckStatus } from '../../../../shared/domain/auth-check';
import type { AskedName } from './dns';

/** The "no record" problems the domain's non-existence explains. */
const NO_RECORD = new Set(['spf.missing', 'dkim.key_missing', 'dkim.pending', 'dkim.no_selector', 'dmarc.missing', 'mx.nxdomain', 'mx.missing', 'mta_sts.none', 'tls_rpt.none', 'bimi.none']);

/** The domain's own name answered NXDOMAIN (to the SPF TXT or the MX question). */
export const domainMissing = (domain: string, asked: readonly AskedName[]): boolean =>
  asked.some((q) => q.name === domain && !q.answer.ok && q.answer.failure === 'nxdomain');

export const nxdomainProblem = (domain: string, what: string): AuthProblem => ({
  code: 'domain.nxdomain',
  severity: 'error',
  message: `${domain} does not exist in DNS (NXDOMAIN), so it can have no ${what}: check the spelling, or create the domain at its DNS host`,
});

interface Checkable {
  status: CheckStatus;
  summary: string;
  problems: AuthProblem[];
}

/** Replace a check's "no record" problems by the one that explains them; other findings stay. */
export function explainMissing<T extends Checkable>(c: T, domain: string, what: string): T {
  if (!c.problems.some((p) => NO_RECORD.has(p.code))) return c;
  const rest = c.problems.filter((p) => !NO_RECORD.has(p.code));
  return { ...c, status: statusRank[c.status] > statusRank.fail ? c.status : 'fail', summary: `${domain} does not exist`, problems: [nxdomainProblem(domain, what), ...rest] };
}
