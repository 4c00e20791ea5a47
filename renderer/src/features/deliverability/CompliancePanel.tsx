// A sending domain against the Gmail / Yahoo / Microsoft bulk-sender rules: each rule's verdict
// and the evidence it rests on (an unknown rule is grey, never green).
import type { DomainCompliance } from '../../../../shared/domain/health';
import { VerdictBadge } from '../../components/VerdictBadge';

export function CompliancePanel({ c }: { c: DomainCompliance }): React.JSX.Element {
  const id = `compliance-${c.domain.replace(/[^a-z0-9]/gi, '-')}`;
  return (
    <div className="compliance" data-testid="compliance" data-domain={c.domain}>
      <h3 id={id}>
        Bulk-sender rules (Gmail, Yahoo, Microsoft){' '}
        <VerdictBadge verdict={c.verdict} testId="compliance-status" />
      </h3>
      <div className="table-wrap">
        <table aria-labelledby={id}>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Status</th>
              <th scope="col">What Kiln measured</th>
            </tr>
          </thead>
          <tbody>
            {c.items.map((i) => (
              <tr key={i.rule} data-rule={i.rule} data-status={i.status}>
                <td>{i.label}</td>
                <td>
                  <VerdictBadge verdict={i.verdict} />
                </td>
                <td className="muted">{i.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
