// The mailbox's domain's latest DNS authentication check, in one line per check, with the way to
// the full report on the Deliverability screen.
import { authCheckNames } from '../../../../shared/domain/auth-check';
import { hrefOf } from '../../app/router';
import { ErrorBox, Loading } from '../../components/status';
import { VerdictBadge } from '../../components/VerdictBadge';
import { checkLabels } from '../../lib/deliverability';
import { formatDateTime, formatRelative } from '../../lib/format';
import { useHealth } from './health-store';

export function DomainChecks(): React.JSX.Element {
  const checks = useHealth((s) => s.checks);
  const reload = useHealth((s) => s.reload);
  const c = checks.data;
  if (!c) {
    return (
      <section className="card" aria-labelledby="domain-checks-h">
        <h2 id="domain-checks-h">Domain authentication</h2>
        {checks.error ? <ErrorBox error={checks.error} onRetry={() => void reload()} /> : <Loading />}
      </section>
    );
  }
  const link = hrefOf({ name: 'deliverability', tab: 'domains', domain: c.domain });
  const r = c.report;
  return (
    <section className="card" aria-labelledby="domain-checks-h" data-testid="domain-checks">
      <div className="page-header">
        <h2 id="domain-checks-h">Domain authentication: {c.domain}</h2>
        <a href={link}>{r ? 'Full report' : 'Check it now'} on the Deliverability screen</a>
      </div>
      {r ? (
        <>
          <ul className="check-pills" aria-label={`Checks of ${c.domain}`}>
            {authCheckNames.map((n) => (
              <li key={n} data-check={n} data-status={r.checks[n].status} data-verdict={r.checks[n].verdict.state}>
                <span>{checkLabels[n]}</span> <VerdictBadge verdict={r.checks[n].verdict} />
              </li>
            ))}
          </ul>
          <p className="muted">
            Checked <time dateTime={r.checkedAt} title={formatDateTime(r.checkedAt)}>{formatRelative(r.checkedAt)}</time>
            {r.ip ? `, sending IP ${r.ip}` : ', no sending IP known yet (PTR is checked once one is)'}.
          </p>
        </>
      ) : (
        <p className="muted">{c.domain} has not been checked yet: SPF, DKIM and DMARC count for a fifth of the health score.</p>
      )}
      {c.sendingIp && (
        <p className="muted">
          This mailbox&apos;s mail was last seen coming from {c.sendingIp}
          {c.sendingIpSeenAt ? ` (${formatRelative(c.sendingIpSeenAt)})` : ''}.
        </p>
      )}
    </section>
  );
}
