// A sending domain against the Gmail / Yahoo / Microsoft bulk-sender rules: each rule, its status
// and what Kiln measured.
import type { DomainCompliance } from '../../../../shared/domain/health';
import { Pill } from '../../components/Pill';
import { complianceTone, complianceWord } from '../../lib/deliverability';

export function CompliancePanel({ c }: { c: DomainCompliance }): React.JSX.Element {
  const id = `compliance-${c.domain.replace(/[^a-z0-9]/gi, '-')}`;
  return (
    <div className="compliance" data-testid="compliance" data-domain={c.domain}>
      <h3 id={id}>
        Bulk-sender rules (Gmail, Yahoo, Microsoft){' '}
        <Pill tone={complianceTone(c.status)} status={c.status}>
          {complianceWord(c.status)}
        </Pill>
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
                  <Pill tone={complianceTone(i.status)}>{complianceWord(i.status)}</Pill>
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
