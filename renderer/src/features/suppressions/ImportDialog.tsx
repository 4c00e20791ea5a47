// CSV import: the file (or pasted text) is sent once; every valid line is suppressed by hand in
// one transaction and every skipped line is listed with its number. A file that is not CSV imports nothing.
import { useId, useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { ErrorBox, Loading } from '../../components/status';
import { formatNumber } from '../../lib/format';
import { pluralWord } from '../../../../shared/plural';
import { csvProblem } from '../recipients/csv';
import { useSuppressions } from './suppressions-store';

export function ImportDialog(): React.JSX.Element {
  const open = useSuppressions((s) => s.importing !== null);
  const closeImport = useSuppressions((s) => s.closeImport);
  return (
    <Dialog title="Import suppressions from a CSV file" open={open} onClose={closeImport}>
      <ImportBody />
    </Dialog>
  );
}

function ImportBody(): React.JSX.Element | null {
  const imp = useSuppressions((s) => s.importing);
  const { runImport, closeImport } = useSuppressions.getState();
  const id = useId();
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  if (!imp) return null;
  const report = imp.report;
  const go = () => {
    const p = csvProblem(text);
    setProblem(p);
    if (!p) void runImport(text);
  };
  return (
    <div className="form import-form">
      <p className="muted">
        The file needs a header line with an <code>email</code> column; <code>detail</code> is optional, and a <code>reason</code> column may only say{' '}
        <code>manual</code> (bounces and complaints come from real reports).
      </p>
      <div className="field">
        <label htmlFor={`${id}-file`}>CSV file</label>
        <input
          id={`${id}-file`}
          type="file"
          accept=".csv,text/csv"
          disabled={imp.running}
          onClick={(e) => (e.currentTarget.value = '')}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) void file.text().then((t) => (setText(t), setFileName(file.name)));
          }}
        />
        {fileName && <span className="muted">Chosen file: {fileName}</span>}
      </div>
      <div className="field">
        <label htmlFor={`${id}-paste`}>…or paste CSV text</label>
        <textarea id={`${id}-paste`} rows={4} value={fileName ? '' : text} disabled={imp.running} spellCheck={false} placeholder={'email,detail\nana@example.com,asked to stop'} onChange={(e) => (setText(e.target.value), setFileName(null))} />
      </div>
      {imp.running && <Loading label="Importing…" />}
      {problem && (
        <div className="error-box" role="alert">
          <p>{problem} Nothing was imported.</p>
        </div>
      )}
      {imp.error && <ErrorBox error={imp.error} />}
      {report && (
        <section className="import-report" aria-live="polite" aria-label="Import result" data-testid="import-report">
          <p>
            <strong data-testid="import-headline">
              Suppressed {formatNumber(report.imported)} of {formatNumber(report.total)} {pluralWord(report.total, 'line', 'lines')}
            </strong>
            {report.rejected.length > 0 && `. ${formatNumber(report.rejected.length)} ${pluralWord(report.rejected.length, 'line was', 'lines were')} skipped:`}
          </p>
          {report.rejected.length > 0 && (
            <div className="table-wrap report-table" tabIndex={0} role="region" aria-label="Skipped lines, scrollable">
              <table aria-label="Skipped lines">
                <thead>
                  <tr>
                    <th className="num">Line</th>
                    <th>Address</th>
                    <th>Why</th>
                  </tr>
                </thead>
                <tbody>
                  {report.rejected.map((r) => (
                    <tr key={`${r.line}:${r.reason}`} data-line={r.line} data-reason={r.reason}>
                      <td className="num">{r.line}</td>
                      <td className="code">{r.address || <span className="muted">(empty)</span>}</td>
                      <td className="muted">{r.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
      <div className="actions">
        <button type="button" onClick={closeImport} className={report ? 'primary' : undefined}>
          {report ? 'Done' : 'Cancel'}
        </button>
        {!report && (
          <button type="button" className="primary" disabled={imp.running || text.trim() === ''} onClick={go}>
            Import
          </button>
        )}
      </div>
    </div>
  );
}
