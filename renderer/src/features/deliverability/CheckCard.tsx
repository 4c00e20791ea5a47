// One DNS check of a domain report: its verdict (with the questions asked as evidence), summary,
// problems (each once), the record to publish when Kiln has one to suggest, what it found (per
// check), and the raw records it read.
import type { ReactNode } from 'react';
import type { AuthCheckName, AuthProblem, AuthReport, DnsRecord, DnsSuggestion } from '../../../../shared/domain/auth-check';
import { CopyField } from '../../components/CopyField';
import { Pill } from '../../components/Pill';
import { VerdictBadge } from '../../components/VerdictBadge';
import { checkAbout, checkLabels, checkTone, checkWord } from '../../lib/deliverability';
import { SpfTree } from './SpfTree';

const severityWord: Record<AuthProblem['severity'], string> = { error: 'Error', warning: 'Warning', info: 'Note' };
const severityClass: Record<AuthProblem['severity'], string> = { error: 'critical', warning: 'warning', info: 'info' };

function Records({ records }: { records: DnsRecord[] }): React.JSX.Element | null {
  if (records.length === 0) return null;
  return (
    <details className="records">
      <summary>DNS records read ({records.length})</summary>
      <ul>
        {records.map((r, i) => (
          <li key={`${i}-${r.name}-${r.type}`}>
            <code>
              {r.name} {r.type}
            </code>
            {r.values.length === 0 ? (
              <span className="muted"> no records</span>
            ) : (
              <ul>
                {r.values.map((v, j) => (
                  <li key={j}>
                    <code className="wrap">{v}</code>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </details>
  );
}

function Facts({ items }: { items: Array<[string, ReactNode]> }): React.JSX.Element | null {
  const shown = items.filter(([, v]) => v !== null && v !== undefined && v !== '');
  if (shown.length === 0) return null;
  return (
    <dl className="facts">
      {shown.map(([k, v]) => (
        <div className="fact" key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** What each check found, beyond its summary. */
function Findings({ name, report }: { name: AuthCheckName; report: AuthReport }): React.JSX.Element | null {
  const c = report.checks;
  switch (name) {
    case 'spf':
      return <SpfTree check={c.spf} />;
    case 'dkim':
      return c.dkim.selectors.length === 0 ? null : (
        <div className="table-wrap">
          <table aria-label="DKIM selectors">
            <thead>
              <tr>
                <th scope="col">Selector</th>
                <th scope="col">Known from</th>
                <th scope="col">Status</th>
                <th scope="col">Key</th>
              </tr>
            </thead>
            <tbody>
              {c.dkim.selectors.map((s) => (
                <tr key={s.selector} data-selector={s.selector} data-status={s.status}>
                  <td>
                    <code>{s.name}</code>
                  </td>
                  <td>{{ given: 'this check', signing: "Kiln's signing key", pending: "Kiln's key, not signing yet", known: 'an earlier check', headers: 'received mail' }[s.source]}</td>
                  <td>
                    <Pill tone={checkTone(s.status)}>{checkWord(s.status)}</Pill>
                  </td>
                  <td>
                    {s.keyType ? `${s.keyType.toUpperCase()}${s.bits ? ` ${s.bits}-bit` : ''}` : '—'}
                    {s.testing && ' (testing)'}
                    {s.revoked && ' (revoked)'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    case 'dmarc': {
      const p = c.dmarc.policy;
      const a = c.dmarc.alignment;
      return (
        <Facts
          items={[
            ['Found at', c.dmarc.recordDomain ? `_dmarc.${c.dmarc.recordDomain}${c.dmarc.inherited ? ' (the organisational domain’s)' : ''}` : null],
            ['Policy', p ? `p=${p.p ?? '—'}${p.sp ? `, sp=${p.sp}` : ''}${p.pct !== null ? `, pct=${p.pct}` : ''}${p.t === 'y' ? ' (testing)' : ''}` : null],
            ['Alignment', p ? `DKIM ${p.adkim === 's' ? 'strict' : 'relaxed'}, SPF ${p.aspf === 's' ? 'strict' : 'relaxed'}` : null],
            ['Aggregate reports to', c.dmarc.rua.length ? c.dmarc.rua.map((u) => `${u.uri}${u.external ? (u.authorized ? ' (authorised)' : ' (not authorised by that domain)') : ''}`).join(', ') : null],
            ['Aligned identifiers', a ? `${a.aligned ? 'yes' : 'none'}: SPF ${a.spf ? `${a.spf.domain} ${a.spf.aligned ? 'aligned' : 'not aligned'}` : 'unknown'}; DKIM ${a.dkim.map((d) => `${d.domain} ${d.aligned ? 'aligned' : 'not aligned'}`).join(', ') || 'unknown'}` : null],
          ]}
        />
      );
    }
    case 'mx':
      return c.mx.hosts.length === 0 ? null : (
        <ul className="plain">
          {c.mx.hosts.map((h) => (
            <li key={h.exchange}>
              <code>
                {h.priority} {h.exchange}
              </code>{' '}
              <span className="muted">{h.addresses.join(', ') || 'no address'}</span>
            </li>
          ))}
        </ul>
      );
    case 'ptr':
      return (
        <Facts
          items={[
            ['Sending IP', c.ptr.ip],
            ['Names (PTR)', c.ptr.names.join(', ')],
            ['Forward-confirmed', c.ptr.ip ? (c.ptr.confirmed ?? 'no') : null],
          ]}
        />
      );
    case 'mtaSts':
      return <Facts items={[['Policy', c.mtaSts.policy ? `mode ${c.mtaSts.policy.mode}, MX ${c.mtaSts.policy.mx.join(', ')}` : null]]} />;
    case 'tlsRpt':
      return <Facts items={[['Reports to', c.tlsRpt.rua.join(', ')]]} />;
    case 'bimi':
      return <Facts items={[['Logo', c.bimi.location], ['Certificate', c.bimi.authority]]} />;
  }
}

function Suggestion({ s, check }: { s: DnsSuggestion; check: string }): React.JSX.Element {
  return (
    <div className="suggestion" data-testid={`suggestion-${check}`}>
      <h4>Record to publish</h4>
      <p className="muted">{s.note}</p>
      <CopyField label={`Name of the ${check} ${s.type} record to publish`} value={s.name} />
      <CopyField label={`Value of the ${check} ${s.type} record to publish`} value={s.value} multiline={s.value.length > 80} testId={`suggestion-${check}-value`} />
    </div>
  );
}

export function CheckCard({ name, report }: { name: AuthCheckName; report: AuthReport }): React.JSX.Element {
  const check = report.checks[name];
  const suggestion = 'suggestion' in check ? check.suggestion : null;
  return (
    <section className="card check-card" data-check={name} data-status={check.status} data-verdict={check.verdict.state} aria-labelledby={`check-${name}-h`}>
      <div className="check-head">
        <h3 id={`check-${name}-h`}>{checkLabels[name]}</h3>
        <VerdictBadge verdict={check.verdict} testId={`verdict-${name}`} />
        <span className="muted">{checkAbout[name]}</span>
      </div>
      <p className="check-summary">{check.summary}</p>
      {check.problems.length > 0 && (
        <ul className="problems" aria-label={`${checkLabels[name]} problems`}>
          {check.problems.map((p, i) => (
            <li key={`${p.code}-${i}`} data-severity={p.severity} data-code={p.code}>
              <span className={`severity severity-${severityClass[p.severity]}`}>{severityWord[p.severity]}</span> {p.message} <span className="code muted">({p.code})</span>
            </li>
          ))}
        </ul>
      )}
      {suggestion && <Suggestion s={suggestion} check={checkLabels[name]} />}
      <Findings name={name} report={report} />
      <Records records={check.records} />
      {check.verdict.evidence.length > 0 && (
        <details className="evidence">
          <summary>DNS questions asked ({check.verdict.evidence.length})</summary>
          <ul>
            {check.verdict.evidence.map((e, i) => (
              <li key={i}>
                <code>{e.asked}</code> → <span className="code wrap">{e.answered}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
