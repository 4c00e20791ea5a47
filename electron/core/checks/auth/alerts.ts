// Alerts on change only: the first check of a domain is silent; afterwards a check that goes from
// pass/warn to fail/error raises `auth.failing` (key auth:<domain>:<check>), and one that is no
// longer failing resolves it. A check that starts out failing, or comes from none (nothing was
// checkable before: no IP, no selector), is a first look at that record and stays silent too.
import { authCheckNames, type AuthCheckName, type AuthReport, type CheckStatus, type CheckStatusMap } from '../../../../shared/domain/auth-check';
import type { AlertInput } from '../../../../shared/domain/alert';

const failing = (s: CheckStatus) => s === 'fail' || s === 'error';
const healthy = (s: CheckStatus) => s === 'pass' || s === 'warn';

export const alertKey = (domain: string, check: AuthCheckName) => `auth:${domain}:${check}`;

/** Status per check; a stored report from another Kiln version may lack a check: none. */
export function statusesOf(report: AuthReport): CheckStatusMap {
  const checks = report.checks as Partial<AuthReport['checks']> | undefined;
  return Object.fromEntries(authCheckNames.map((n) => [n, checks?.[n]?.status ?? 'none'])) as CheckStatusMap;
}

export function transitions(prev: CheckStatusMap | null, next: CheckStatusMap): { raise: AuthCheckName[]; resolve: AuthCheckName[] } {
  if (!prev) return { raise: [], resolve: [] };
  const raise = authCheckNames.filter((n) => failing(next[n]) && prev[n] !== undefined && healthy(prev[n]));
  const resolve = authCheckNames.filter((n) => !failing(next[n]));
  return { raise, resolve };
}

const LABEL: Record<AuthCheckName, string> = { spf: 'SPF', dkim: 'DKIM', dmarc: 'DMARC', mx: 'MX', ptr: 'PTR', mtaSts: 'MTA-STS', tlsRpt: 'TLS-RPT', bimi: 'BIMI' };

export function alertFor(report: AuthReport, check: AuthCheckName): AlertInput {
  const c = report.checks[check];
  const errors = c.problems.filter((p) => p.severity === 'error');
  // A lookup that timed out may be the network, not the record: tell it apart from a broken record.
  const transient = errors.length > 0 && errors.every((p) => p.code.startsWith('dns.'));
  return {
    kind: 'auth.failing',
    severity: transient ? 'warning' : 'critical',
    key: alertKey(report.domain, check),
    title: `${LABEL[check]} ${c.status === 'fail' ? 'fails' : 'is broken'} for ${report.domain}`,
    detail: errors.map((p) => `${p.code}: ${p.message}`).join('\n') || c.summary,
    domain: report.domain,
    ip: check === 'ptr' ? report.ip : null,
  };
}
