// One domain's DNS authentication report: every check with its status, summary and problems, the
// SPF include tree, the bulk-sender rules, recent runs; "Check now" with an optional sending IP
// and DKIM selectors (remembered for later checks).
import { useEffect, useState, type FormEvent } from 'react';
import { authCheckNames, type AuthReport } from '../../../../shared/domain/auth-check';
import { verdictOf, worstState, type Verdict } from '../../../../shared/domain/verdict';
import { hrefOf } from '../../app/router';
import { Can } from '../../app/Can';
import { Pill } from '../../components/Pill';
import { VerdictBadge } from '../../components/VerdictBadge';
import { EmptyState, ErrorBox, Loading } from '../../components/status';
import { checkLabels, checkTone, checkWord } from '../../lib/deliverability';
import { formatDateTime, formatRelative } from '../../lib/format';
import { useDomains } from './domains-store';
import { CheckCard } from './CheckCard';
import { CompliancePanel } from './CompliancePanel';

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const looksLikeIp = (s: string) => IPV4.test(s) || (s.includes(':') && /^[0-9a-f:.]+$/i.test(s));

/** "Check now", with what DNS alone cannot tell: the IP the domain's mail leaves from, and its DKIM selectors. */
function CheckForm({ domain }: { domain: string }): React.JSX.Element {
  const check = useDomains((s) => s.check);
  const running = useDomains((s) => s.running[domain] ?? false);
  const [ip, setIp] = useState('');
  const [selectors, setSelectors] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const list = selectors.split(/[\s,]+/).filter(Boolean);
    if (ip.trim() && !looksLikeIp(ip.trim())) return setProblem('Enter an IPv4 or IPv6 address, or leave it empty');
    setProblem(null);
    void check(domain, { ...(ip.trim() ? { ip: ip.trim() } : {}), ...(list.length ? { selectors: list } : {}) });
  };
  return (
    <form className="form" onSubmit={submit} aria-label={`Check ${domain}`}>
      <div className="row">
        <div className="field">
          <label htmlFor="check-ip">Sending IP (optional)</label>
          <input
            id="check-ip"
            value={ip}
            onChange={(e) => setIp(e.target.value)}
            placeholder="192.0.2.10"
            autoComplete="off"
            spellCheck={false}
            maxLength={45}
            aria-invalid={problem ? true : undefined}
            aria-describedby="check-ip-hint"
          />
        </div>
        <div className="field grow">
          <label htmlFor="check-selectors">DKIM selectors (optional)</label>
          <input id="check-selectors" value={selectors} onChange={(e) => setSelectors(e.target.value)} placeholder="e.g. google, s1" autoComplete="off" spellCheck={false} maxLength={500} />
        </div>
        <button type="submit" className="primary" disabled={running}>
          {running ? 'Checking…' : 'Check now'}
        </button>
      </div>
      {problem ? (
        <span className="field-error" id="check-ip-hint">
          {problem}
        </span>
      ) : (
        <p className="hint" id="check-ip-hint">
          Kiln remembers the IP and selectors for the daily check, and also learns them from mail it receives from the domain.
        </p>
      )}
    </form>
  );
}

const overallWords = { good: 'Pass', warning: 'Warnings', bad: 'Problems', unknown: 'Unknown', na: 'Nothing to check' } as const;

/** The report as a whole: its worst check, where a lookup that failed (unknown) is never a pass. */
function overall(r: AuthReport): Verdict {
  const state = worstState(authCheckNames.map((n) => r.checks[n].verdict.state));
  const which = authCheckNames.filter((n) => r.checks[n].verdict.state === state).map((n) => checkLabels[n]);
  return verdictOf(state, overallWords[state], state === 'good' ? 'Every check passed.' : `${which.join(', ')}: see below.`);
}

function History(): React.JSX.Element | null {
  const history = useDomains((s) => s.history.data);
  if (!history || history.length < 2) return null;
  const recent = history.slice(-10).reverse();
  return (
    <section className="card" aria-labelledby="history-h">
      <h3 id="history-h">Recent checks</h3>
      <div className="table-wrap">
        <table aria-labelledby="history-h">
          <thead>
            <tr>
              <th scope="col">When</th>
              {authCheckNames.map((n) => (
                <th scope="col" key={n}>
                  {checkLabels[n]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {recent.map((h) => (
              <tr key={h.checkedAt}>
                <td className="nowrap">{formatDateTime(h.checkedAt)}</td>
                {authCheckNames.map((n) => (
                  <td key={n}>
                    <Pill tone={checkTone(h.checks[n])}>{checkWord(h.checks[n])}</Pill>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function DomainDetail({ domain }: { domain: string }): React.JSX.Element {
  const openDomain = useDomains((s) => s.openDomain);
  const closeDomain = useDomains((s) => s.closeDomain);
  const report = useDomains((s) => s.report);
  const compliance = useDomains((s) => s.compliance.data?.find((c) => c.domain === domain));
  const error = useDomains((s) => (s.actionError?.domain === domain ? s.actionError.error : null));
  useEffect(() => {
    void openDomain(domain);
    return closeDomain;
  }, [openDomain, closeDomain, domain]);

  const r = report.data;
  return (
    <div className="domain-detail" data-domain={domain}>
      <p>
        <a href={hrefOf({ name: 'deliverability', tab: 'domains' })}>← All domains</a>
      </p>
      <div className="page-header">
        <h2>
          {domain}{' '}
          {r && <VerdictBadge verdict={overall(r)} testId="domain-verdict" />}
        </h2>
        {r && (
          <p className="muted">
            Checked <time dateTime={r.checkedAt} title={formatDateTime(r.checkedAt)}>{formatRelative(r.checkedAt)}</time>
            {r.ip ? ` with sending IP ${r.ip}` : ' without a sending IP (PTR is not checked)'}
          </p>
        )}
      </div>
      <Can call="checks.domain">
        <section className="card" aria-label="Run a check">
          <CheckForm domain={domain} />
          {error && <ErrorBox error={error} />}
        </section>
      </Can>
      {report.error && <ErrorBox error={report.error} onRetry={() => void openDomain(domain)} />}
      {(report.status === 'loading' || report.status === 'idle') && !r && <Loading label={`Loading the report of ${domain}…`} />}
      {report.status === 'ready' && !r && (
        <EmptyState title={`${domain} has not been checked yet`}>
          Check now reads its SPF (with the include tree), DKIM, DMARC, MX, PTR, MTA-STS, TLS-RPT and BIMI records through Kiln&apos;s resolver.
        </EmptyState>
      )}
      {r && (
        <div className="check-cards" data-testid="domain-report">
          {authCheckNames.map((n) => (
            <CheckCard key={n} name={n} report={r} />
          ))}
        </div>
      )}
      {compliance && (
        <section className="card">
          <CompliancePanel c={compliance} />
        </section>
      )}
      <History />
    </div>
  );
}
