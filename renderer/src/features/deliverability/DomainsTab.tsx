// Every sending domain (the mailboxes' domains and any domain checked): its latest DNS check per
// record with "Check now", and its bulk-sender compliance. A domain's name opens its full report.
import { useEffect, useState, type FormEvent } from 'react';
import { authCheckNames, normalizeDomain, type AuthDomainSummary } from '../../../../shared/domain/auth-check';
import type { DomainCompliance } from '../../../../shared/domain/health';
import { hrefOf, useRouter } from '../../app/router';
import { Can } from '../../app/Can';
import { Pill } from '../../components/Pill';
import { EmptyState, ErrorBox, Loading } from '../../components/status';
import { checkLabels } from '../../lib/deliverability';
import { VerdictBadge } from '../../components/VerdictBadge';
import { formatDateTime, formatRelative } from '../../lib/format';
import { useDomains } from './domains-store';
import { CompliancePanel } from './CompliancePanel';
import { plural } from '../../../../shared/plural';

export function CheckPills({ summary }: { summary: AuthDomainSummary }): React.JSX.Element | null {
  const { checks, verdicts } = summary;
  if (!checks || !verdicts) return null;
  return (
    <ul className="check-pills" aria-label={`Checks of ${summary.domain}`}>
      {authCheckNames.map((n) => (
        <li key={n} data-check={n} data-status={checks[n]}>
          <span>{checkLabels[n]}</span> <VerdictBadge verdict={verdicts[n]} />
        </li>
      ))}
    </ul>
  );
}

export function CheckNowButton({ domain, label = 'Check now' }: { domain: string; label?: string }): React.JSX.Element {
  const running = useDomains((s) => s.running[domain] ?? false);
  const check = useDomains((s) => s.check);
  return (
    <button type="button" className="primary" onClick={() => void check(domain)} disabled={running} aria-label={`${label}: ${domain}`}>
      {running ? 'Checking…' : label}
    </button>
  );
}

function DomainCard({ summary, compliance }: { summary: AuthDomainSummary; compliance: DomainCompliance | undefined }): React.JSX.Element {
  const error = useDomains((s) => (s.actionError?.domain === summary.domain ? s.actionError.error : null));
  const d = summary;
  const headingId = `domain-${d.domain.replace(/[^a-z0-9]/gi, '-')}`;
  return (
    <section className="card domain-card" data-domain={d.domain} data-status={d.status ?? 'unchecked'} aria-labelledby={headingId}>
      <div className="page-header">
        <div>
          <h2 id={headingId}>
            <a href={hrefOf({ name: 'deliverability', tab: 'domains', domain: d.domain })}>{d.domain}</a>{' '}
            {d.verdict ? (
              <VerdictBadge verdict={d.verdict} testId="domain-verdict" />
            ) : (
              <Pill tone="neutral" status="unchecked">
                Not checked yet
              </Pill>
            )}
          </h2>
          <p className="muted">
            {d.mailboxes === 0 ? 'No mailbox of this workspace' : plural(d.mailboxes, 'mailbox', 'mailboxes')}
            {d.checkedAt ? (
              <>
                {' · checked '}
                <time dateTime={d.checkedAt} title={formatDateTime(d.checkedAt)}>
                  {formatRelative(d.checkedAt)}
                </time>
              </>
            ) : (
              ' · SPF, DKIM, DMARC, MX, PTR, MTA-STS, TLS-RPT and BIMI are checked once a day, or now'
            )}
          </p>
        </div>
        <Can call="checks.domain">
          <CheckNowButton domain={d.domain} />
        </Can>
      </div>
      {error && <ErrorBox error={error} />}
      <CheckPills summary={d} />
      {compliance ? <CompliancePanel c={compliance} /> : d.mailboxes > 0 && <p className="muted">The bulk-sender rules show once the domain has mailboxes.</p>}
    </section>
  );
}

/** Any domain, e.g. a client's second domain before its mailboxes are added. */
function CheckDomainForm(): React.JSX.Element {
  const check = useDomains((s) => s.check);
  const go = useRouter((s) => s.go);
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const domain = normalizeDomain(value);
    if (!domain) return setProblem('Enter a domain name such as example.com (internationalised names in their xn-- form)');
    setProblem(null);
    setBusy(true);
    const ok = await check(domain);
    setBusy(false);
    if (ok) {
      setValue('');
      go({ name: 'deliverability', tab: 'domains', domain });
    }
  };
  const error = useDomains((s) => (s.actionError && s.actionError.domain === normalizeDomain(value) ? s.actionError.error : null));
  return (
    <form className="card form" onSubmit={(e) => void submit(e)} aria-label="Check another domain">
      <div className="row">
        <div className="field grow">
          <label htmlFor="check-domain">Check another domain</label>
          <input
            id="check-domain"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            placeholder="example.com"
            autoComplete="off"
            spellCheck={false}
            maxLength={253}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? 'check-domain-err' : undefined}
          />
          {problem && (
            <span className="field-error" id="check-domain-err">
              {problem}
            </span>
          )}
        </div>
        <button type="submit" disabled={busy || value.trim() === ''}>
          {busy ? 'Checking…' : 'Check'}
        </button>
      </div>
      {error && <ErrorBox error={error} />}
    </form>
  );
}

export function DomainsTab(): React.JSX.Element {
  const domains = useDomains((s) => s.domains);
  const compliance = useDomains((s) => s.compliance);
  const load = useDomains((s) => s.load);
  useEffect(() => void load(), [load]);

  if (!domains.data) return domains.error ? <ErrorBox error={domains.error} onRetry={() => void load()} /> : <Loading />;
  return (
    <>
      {domains.error && <ErrorBox error={domains.error} onRetry={() => void load()} />}
      {compliance.error && <ErrorBox error={compliance.error} onRetry={() => void load()} />}
      {domains.data.length === 0 ? (
        <EmptyState title="No sending domains yet" action={<a href={hrefOf({ name: 'mailboxes' })}>Add a mailbox</a>}>
          The domain of every mailbox you add is listed here with its SPF, DKIM and DMARC checks and the bulk-sender rules. You can also check any domain below.
        </EmptyState>
      ) : (
        <div data-testid="domains">
          {domains.data.map((d) => (
            <DomainCard key={d.domain} summary={d} compliance={compliance.data?.find((c) => c.domain === d.domain)} />
          ))}
        </div>
      )}
      <Can call="checks.domain">
        <CheckDomainForm />
      </Can>
    </>
  );
}
