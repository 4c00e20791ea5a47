// CSV import in two steps: check (a dry run listing every row that would be skipped, and why),
// then import. The import is one transaction: an error leaves nothing half-imported.
import { useState } from 'react';
import { importRejections, type ImportReport } from '../../../../shared/domain/recipient';
import { Dialog } from '../../components/Dialog';
import { ErrorBox, ProgressBar } from '../../components/status';
import { useRecipients } from '../../stores/recipients';

export function ImportDialog(): React.JSX.Element {
  const imp = useRecipients((s) => s.importing);
  const { closeImport, runImport } = useRecipients.getState();
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState('');
  const report = imp?.report;
  const readFile = async (file: File | undefined) => {
    if (!file) return;
    const csv = await file.text();
    setText(csv);
    setFileName(file.name);
    await runImport(csv, file.name, true);
  };
  const close = () => {
    setText('');
    setFileName('');
    closeImport();
  };

  return (
    <Dialog title={`Import ${imp?.kind === 'contact' ? 'contacts' : 'seeds'} from CSV`} open={imp !== null} onClose={close}>
      {imp && (
        <div className="form">
          <label className="field">
            <span>CSV file (a header row with an email column; name optional)</span>
            <input type="file" accept=".csv,text/csv" onChange={(e) => void readFile(e.target.files?.[0])} />
          </label>
          <label className="field">
            <span>…or paste CSV</span>
            <textarea rows={4} value={text} onChange={(e) => (setText(e.target.value), setFileName(''))} />
          </label>
          {!report && (
            <div className="actions">
              <button type="button" disabled={!text || imp.running} onClick={() => void runImport(text, fileName || 'pasted', true)}>
                Check
              </button>
            </div>
          )}
          {imp.running && <ProgressBar value={imp.progress?.done ?? 0} max={imp.progress?.total ?? 0} label="Import progress" />}
          {imp.error && (
            <>
              <ErrorBox error={imp.error} />
              <p className="error">Nothing was imported.</p>
            </>
          )}
          {report && <Report report={report} />}
          <div className="actions">
            <button type="button" onClick={close}>
              {report && !report.dryRun ? 'Done' : 'Cancel'}
            </button>
            {report?.dryRun && (
              <button type="button" className="primary" disabled={imp.running || report.imported === 0} onClick={() => void runImport(imp.csv, imp.fileName, false)}>
                Import {report.imported} recipients
              </button>
            )}
          </div>
        </div>
      )}
    </Dialog>
  );
}

function Report({ report }: { report: ImportReport }): React.JSX.Element {
  const counts = importRejections.map((r) => [r, report.rejected.filter((x) => x.reason === r).length] as const).filter(([, n]) => n > 0);
  return (
    <section aria-live="polite" data-testid="import-report">
      <p>
        <strong>
          {report.dryRun ? `${report.imported} of ${report.total} rows can be imported` : `Imported ${report.imported} of ${report.total} rows`}
        </strong>
        {report.rejected.length > 0 && (
          <>
            {'; '}
            {report.rejected.length} skipped ({counts.map(([r, n]) => `${n} ${r}`).join(', ')}).
          </>
        )}
      </p>
      {report.rejected.length > 0 && (
        <div className="table-wrap report-table">
          <table aria-label="Skipped rows">
            <thead>
              <tr>
                <th className="num">Line</th>
                <th>Address</th>
                <th>Reason</th>
                <th>Why</th>
              </tr>
            </thead>
            <tbody>
              {report.rejected.map((r) => (
                <tr key={r.line} data-line={r.line}>
                  <td className="num">{r.line}</td>
                  <td>{r.address}</td>
                  <td>{r.reason}</td>
                  <td className="muted">{r.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
