// Reports: pick a date range, preview the client report (the same self-contained page the PDF is
// printed from, in a sandboxed iframe: no scripts, no same-origin access), download it as PDF or
// CSV, and set the consultant's name, logo and the weekly mail.
import { useEffect, useMemo } from 'react';
import { useRouter } from '../../app/router';
import { ErrorBox, Loading } from '../../components/status';
import { FormError } from '../../components/FormError';
import { download } from '../../lib/download';
import { useReports } from './reports-store';
import { ReportSettingsForm } from './ReportSettingsForm';

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The range in the URL (`#/reports?from=…&to=…`), else the last 7 full days. */
function rangeOf(query: string): { from: string; to: string } {
  const q = new URLSearchParams(query);
  const to = q.get('to') ?? '';
  const from = q.get('from') ?? '';
  if (DAY_RE.test(from) && DAY_RE.test(to) && from <= to) return { from, to };
  const today = Date.now();
  return { from: isoDay(today - 7 * DAY), to: isoDay(today - DAY) };
}

export function ReportsScreen({ query }: { query: string }): React.JSX.Element {
  const { from, to } = useMemo(() => rangeOf(query), [query]);
  const preview = useReports((s) => s.preview);
  const busy = useReports((s) => s.busy);
  const actionError = useReports((s) => s.actionError);
  const { loadPreview, file } = useReports.getState();
  useEffect(() => void loadPreview(from, to), [from, to, loadPreview]);
  const setRange = (next: { from: string; to: string }) => {
    if (DAY_RE.test(next.from) && DAY_RE.test(next.to)) useRouter.getState().go({ name: 'reports', query: new URLSearchParams(next).toString() });
  };
  const get = async (kind: 'pdf' | 'csv') => {
    const f = await file(kind, from, to);
    if (f?.pdf) download(f.filename, Uint8Array.from(atob(f.pdf), (c) => c.charCodeAt(0)), 'application/pdf');
    else if (f?.csv !== undefined) download(f.filename, f.csv);
  };

  return (
    <div>
      <div className="page-header">
        <h1>Reports</h1>
      </div>
      <p className="muted">A report for your client: health, placement, warmup against the ramp, authentication, blocklists, DMARC, bounces and alerts over the days you choose.</p>
      <div className="filters">
        <div className="field">
          <label htmlFor="report-from">From</label>
          <input id="report-from" type="date" value={from} max={to} onChange={(e) => setRange({ from: e.target.value, to })} />
        </div>
        <div className="field">
          <label htmlFor="report-to">To</label>
          <input id="report-to" type="date" value={to} min={from} onChange={(e) => setRange({ from, to: e.target.value })} />
        </div>
        <div className="grow" />
        <button type="button" className="primary" disabled={busy !== null} onClick={() => void get('pdf')}>
          {busy === 'pdf' ? 'Printing…' : 'Download PDF'}
        </button>
        <button type="button" disabled={busy !== null} onClick={() => void get('csv')}>
          Download CSV
        </button>
      </div>
      {actionError && <FormError error={actionError} />}
      {preview.error && <ErrorBox error={preview.error} onRetry={() => void loadPreview(from, to)} />}
      {preview.data ? (
        <iframe className="report-preview" title="Report preview" sandbox="" srcDoc={preview.data.html} data-testid="report-preview" />
      ) : (
        !preview.error && <Loading label="Building the report…" />
      )}
      <ReportSettingsForm onSaved={() => void loadPreview(from, to)} />
    </div>
  );
}
