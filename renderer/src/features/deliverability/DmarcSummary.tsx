// What the DMARC reports of the period say: totals, then pass and alignment rates per From domain
// and per source IP (the sources that fail are the ones to chase).
import type { DmarcSummary } from '../../../../shared/domain/dmarc';
import { formatPct } from '../../lib/deliverability';
import { formatNumber } from '../../lib/format';

function RateCell({ pct }: { pct: number | null }): React.JSX.Element {
  return (
    <td className="num rate">
      {formatPct(pct)}
      {pct !== null && <meter min={0} max={100} low={90} high={98} optimum={100} value={pct} aria-hidden="true" />}
    </td>
  );
}

/** The count and rate columns both tables share. */
const RateHeads = (): React.JSX.Element => (
  <>
    <th scope="col" className="num">
      Messages
    </th>
    <th scope="col" className="num">
      DMARC pass
    </th>
    <th scope="col" className="num">
      DKIM aligned
    </th>
    <th scope="col" className="num">
      SPF aligned
    </th>
  </>
);

export function DmarcSummaryView({ s }: { s: DmarcSummary }): React.JSX.Element {
  const cards: Array<[string, string, string]> = [
    ['messages', formatNumber(s.totals.messages), 'Messages reported'],
    ['pass', formatPct(s.totals.passPct), 'Passed DMARC'],
    ['dkim', formatPct(s.totals.dkimAlignedPct), 'Aligned DKIM'],
    ['spf', formatPct(s.totals.spfAlignedPct), 'Aligned SPF'],
    ['reports', formatNumber(s.totals.reports), 'Reports'],
    ['sources', formatNumber(s.totals.sources), 'Source IPs'],
  ];
  const sources = s.sources.slice(0, 50);
  return (
    <>
      <div className="grid stats-grid" data-testid="dmarc-totals">
        {cards.map(([key, value, label]) => (
          <div className="card stat" key={key} data-testid={`dmarc-${key}`}>
            <span className="value">{value}</span>
            <span className="label">{label}</span>
          </div>
        ))}
      </div>
      <h3 id="dmarc-domains-h">By From domain</h3>
      <div className="table-wrap">
        <table aria-labelledby="dmarc-domains-h" data-testid="dmarc-domains">
          <thead>
            <tr>
              <th scope="col">Domain</th>
              <RateHeads />
              <th scope="col" className="num">
                Sources
              </th>
            </tr>
          </thead>
          <tbody>
            {s.domains.map((d) => (
              <tr key={d.domain} data-domain={d.domain}>
                <td>{d.domain}</td>
                <td className="num">{formatNumber(d.messages)}</td>
                <RateCell pct={d.passPct} />
                <RateCell pct={d.dkimAlignedPct} />
                <RateCell pct={d.spfAlignedPct} />
                <td className="num">{formatNumber(d.sources)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3 id="dmarc-sources-h">By source IP</h3>
      <div className="table-wrap">
        <table aria-labelledby="dmarc-sources-h" data-testid="dmarc-sources">
          <thead>
            <tr>
              <th scope="col">Source IP</th>
              <RateHeads />
              <th scope="col">From domains</th>
            </tr>
          </thead>
          <tbody>
            {sources.map((x) => (
              <tr key={x.sourceIp} data-ip={x.sourceIp}>
                <td className="code">{x.sourceIp}</td>
                <td className="num">{formatNumber(x.messages)}</td>
                <RateCell pct={x.passPct} />
                <RateCell pct={x.dkimAlignedPct} />
                <RateCell pct={x.spfAlignedPct} />
                <td>{x.domains.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {s.sources.length > sources.length && <p className="muted">…and {s.sources.length - sources.length} more sources with less mail.</p>}
    </>
  );
}
