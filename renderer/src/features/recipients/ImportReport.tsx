// What an import would do (dry run) or did: the headline, counts per reason, and every skipped
// row with its line in the file.
import type { ImportReport as Report } from '../../../../shared/domain/recipient';
import { formatNumber } from '../../lib/format';
import { rejectionCounts, reportHeadline } from './csv';
import { pluralWord } from '../../../../shared/plural';

/** Which columns the rows were read from, and every named column Kiln keeps nothing of. */
function ColumnsRead({ columns }: { columns: Report['columns'] }): React.JSX.Element {
  return (
    <p className="muted" data-testid="import-columns">
      Addresses from “{columns.email}”
      {columns.name.length > 0 ? `, names from ${columns.name.map((c) => `“${c}”`).join(' and ')}` : ', no name column'}.
      {columns.ignored.length > 0 && (
        <>
          {' '}
          <span data-testid="import-ignored">
            Not imported: {pluralWord(columns.ignored.length, 'the column', 'the columns')} {columns.ignored.map((c) => `“${c}”`).join(', ')}.
          </span>
        </>
      )}
    </p>
  );
}

export function ImportReport({ report }: { report: Report }): React.JSX.Element {
  const counts = rejectionCounts(report);
  return (
    <section className="import-report" aria-live="polite" aria-label={report.dryRun ? 'Check result' : 'Import result'} data-testid="import-report">
      <p>
        <strong data-testid="import-headline">{reportHeadline(report, formatNumber)}</strong>
        {report.rejected.length > 0 && (
          <>
            {'. '}
            {formatNumber(report.rejected.length)} {pluralWord(report.rejected.length, 'row is', 'rows are')} skipped:
          </>
        )}
      </p>
      <ColumnsRead columns={report.columns} />
      {counts.length > 0 && (
        <ul className="reason-counts" aria-label="Skipped rows by reason">
          {counts.map((c) => (
            <li key={c.reason} data-reason={c.reason}>
              <strong>{formatNumber(c.count)}</strong> {c.label}
            </li>
          ))}
        </ul>
      )}
      {report.rejected.length > 0 && (
        <div className="table-wrap report-table" tabIndex={0} role="region" aria-label="Skipped rows, scrollable">
          <table aria-label="Skipped rows">
            <thead>
              <tr>
                <th className="num">Line</th>
                <th>Address</th>
                <th>Reason</th>
                <th>Details</th>
              </tr>
            </thead>
            <tbody>
              {report.rejected.map((r) => (
                <tr key={`${r.line}:${r.reason}`} data-line={r.line} data-reason={r.reason}>
                  <td className="num">{r.line}</td>
                  <td className="code">{r.address || <span className="muted">(empty)</span>}</td>
                  <td>{r.reason}</td>
                  <td className="muted">{r.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {report.dryRun && report.imported === 0 && report.total > 0 && <p className="muted">Nothing in this file can be imported.</p>}
    </section>
  );
}
