// CSV import in two steps: a check (a dry run listing every row that would be skipped, and why),
// then the import. The core writes every accepted row in one transaction: an error imports nothing.
import { useId, useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { ErrorBox, Loading, ProgressBar } from '../../components/status';
import { formatNumber } from '../../lib/format';
import { useRecipients } from './recipients-store';
import { csvProblem } from './csv';
import { ImportReport } from './ImportReport';
import { pluralWord } from '../../../../shared/plural';

const noun = { seed: 'seeds', contact: 'contacts' } as const;

export function ImportDialog(): React.JSX.Element {
  const kind = useRecipients((s) => s.importing?.kind ?? null);
  const closeImport = useRecipients((s) => s.closeImport);
  return (
    <Dialog title={`Import ${noun[kind ?? 'seed']} from a CSV file`} open={kind !== null} onClose={closeImport}>
      <ImportBody />
    </Dialog>
  );
}

function ImportBody(): React.JSX.Element | null {
  const imp = useRecipients((s) => s.importing);
  const { runImport, discardReport, closeImport } = useRecipients.getState();
  const id = useId();
  const [fileName, setFileName] = useState<string | null>(null);
  const [fileText, setFileText] = useState('');
  const [pasted, setPasted] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  if (!imp) return null;
  const report = imp.report;
  const done = report !== null && !report.dryRun;

  const check = (text: string) => {
    const p = csvProblem(text);
    setProblem(p);
    if (p) discardReport();
    else void runImport(text, true);
  };
  const chooseFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    const text = await file.text();
    setFileName(file.name);
    setFileText(text);
    setPasted('');
    check(text);
  };
  const paste = (text: string) => {
    setPasted(text);
    setFileName(null);
    setProblem(null);
    discardReport();
  };

  return (
    <div className="form import-form">
      <p className="muted">
        The file needs a header line with an <code>email</code> column; a <code>name</code> column is optional. Kiln checks every row first and
        writes nothing until you confirm.
      </p>
      <div className="field">
        <label htmlFor={`${id}-file`}>CSV file</label>
        <input id={`${id}-file`} type="file" accept=".csv,text/csv" disabled={imp.running} onClick={(e) => (e.currentTarget.value = '')} onChange={(e) => void chooseFile(e.currentTarget)} />
        {fileName && <span className="muted" data-testid="import-file">Checked file: {fileName}</span>}
      </div>
      <div className="field">
        <label htmlFor={`${id}-paste`}>…or paste CSV text</label>
        <textarea id={`${id}-paste`} rows={4} value={pasted} disabled={imp.running} spellCheck={false} placeholder={'email,name\nana@example.com,Ana'} onChange={(e) => paste(e.target.value)} />
      </div>
      {!report && !imp.running && (
        <div className="actions">
          <button type="button" disabled={pasted.trim() === '' && fileText === ''} onClick={() => check(fileName ? fileText : pasted)}>
            Check rows
          </button>
        </div>
      )}
      {imp.running && (
        <div role="status">
          <Loading label={report ? 'Importing…' : 'Checking rows…'} />
          {imp.progress && <ProgressBar value={imp.progress.done} max={imp.progress.total} label={report ? 'Import progress' : 'Check progress'} />}
        </div>
      )}
      {problem && (
        <div className="error-box" role="alert">
          <p>{problem} Nothing was imported.</p>
        </div>
      )}
      {imp.error && (
        <>
          <ErrorBox error={imp.error} />
          <p className="error" role="status">
            Nothing was imported: fix the file and choose it again.
          </p>
        </>
      )}
      {report && <ImportReport report={report} />}
      <div className="actions">
        <button type="button" onClick={closeImport} className={done ? 'primary' : undefined}>
          {done ? 'Done' : 'Cancel'}
        </button>
        {report?.dryRun && (
          <button type="button" className="primary" disabled={imp.running || report.imported === 0} onClick={() => void runImport(imp.csv, false)}>
            Import {formatNumber(report.imported)} {pluralWord(report.imported, 'recipient', 'recipients')}
          </button>
        )}
      </div>
    </div>
  );
}
