// DMARC aggregate reports: where Kiln reads them, "Read reports now" (or upload a file), and what
// they say: pass rates per From domain and per source IP over the chosen days, and recent reports.
import { useEffect, useRef } from 'react';
import { Can, Editable, ReadOnlyNote } from '../../app/Can';
import type { DmarcIngestResult } from '../../../../shared/domain/dmarc';
import { FormError } from '../../components/FormError';
import { EmptyState, ErrorBox, Loading } from '../../components/status';
import { formatDateTime, formatNumber, formatRelative } from '../../lib/format';
import { useDmarc } from './dmarc-store';
import { useFleet } from '../../stores/fleet';
import { DmarcSettingsForm } from './DmarcSettingsForm';
import { DmarcSummaryView } from './DmarcSummary';
import { plural } from '../../../../shared/plural';

function IngestResult({ r }: { r: DmarcIngestResult }): React.JSX.Element {
  return (
    <div className="ingest-result" data-testid="ingest-result" role="status">
      <p>
        {r.error ? (
          <span className="error">
            Stopped: {r.error.message} <span className="code">({r.error.code})</span>.{' '}
          </span>
        ) : null}
        {plural(r.ingested, 'new report', 'new reports')}, {r.duplicates} already stored, {r.rejected.length} refused, {r.skipped} other mail left in place
        {r.more ? '; more are waiting and the next run continues' : ''}.
      </p>
      {r.rejected.length > 0 && (
        <ul className="problems" aria-label="Refused reports">
          {r.rejected.map((x, i) => (
            <li key={i}>
              {x.subject ?? x.filename ?? 'A report'}: {x.message} <span className="code muted">({x.code})</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ReadNow(): React.JSX.Element {
  const settings = useDmarc((s) => s.settings.data);
  const ingesting = useDmarc((s) => s.ingesting);
  const lastIngest = useDmarc((s) => s.lastIngest);
  const ingestError = useDmarc((s) => (s.actionError?.scope === 'ingest' ? s.actionError.error : null));
  const uploadError = useDmarc((s) => (s.actionError?.scope === 'upload' ? s.actionError.error : null));
  const lastUpload = useDmarc((s) => s.lastUpload);
  const { ingest, upload } = useDmarc.getState();
  const file = useRef<HTMLInputElement>(null);
  const onFile = async (f: File | undefined) => {
    if (!f) return;
    await upload({ name: f.name, type: f.type, bytes: new Uint8Array(await f.arrayBuffer()) });
    if (file.current) file.current.value = '';
  };
  const last = settings?.lastRun;
  return (
    <>
      <div className="row">
        <Can call="dmarc.ingest">
          <button type="button" className="primary" onClick={() => void ingest()} disabled={ingesting || !settings?.mailboxId}>
            {ingesting ? 'Reading…' : 'Read reports now'}
          </button>
        </Can>
        <Can call="dmarc.upload">
          <div className="field">
            <label htmlFor="dmarc-upload">Or upload a report file (zip, gzip or XML)</label>
            <input id="dmarc-upload" ref={file} type="file" accept=".xml,.gz,.zip,application/zip,application/gzip,text/xml,application/xml" onChange={(e) => void onFile(e.target.files?.[0])} />
          </div>
        </Can>
      </div>
      {!settings?.mailboxId && <p className="hint">Choose the reports mailbox above to read reports from it.</p>}
      {ingestError && <ErrorBox error={ingestError} />}
      {uploadError && <FormError error={uploadError} />}
      {lastUpload && (
        <p className="ok" role="status" data-testid="upload-result">
          {lastUpload.duplicate ? 'That report was already stored' : 'Stored'}: {lastUpload.report.orgName} about {lastUpload.report.domain}, {plural(lastUpload.report.messages, 'message', 'messages')}.
        </p>
      )}
      {lastIngest ? (
        <IngestResult r={lastIngest} />
      ) : (
        last && (
          <p className="muted">
            Last read {settings?.lastRunAt ? formatRelative(settings.lastRunAt) : ''}: {last.ingested} new, {last.rejected.length} refused
            {last.error ? ` — stopped: ${last.error.message}` : ''}.{settings?.nextRunAt ? ` Next read ${formatRelative(settings.nextRunAt)}.` : ''}
          </p>
        )
      )}
    </>
  );
}

function Reports(): React.JSX.Element | null {
  const reports = useDmarc((s) => s.reports);
  const loadMore = useDmarc((s) => s.loadMoreReports);
  const r = reports.data;
  if (!r || r.items.length === 0) return null;
  return (
    <section className="card" aria-labelledby="dmarc-reports-h">
      <h2 id="dmarc-reports-h">Recent reports</h2>
      <div className="table-wrap">
        <table aria-labelledby="dmarc-reports-h" data-testid="dmarc-reports">
          <thead>
            <tr>
              <th scope="col">Reporter</th>
              <th scope="col">Domain</th>
              <th scope="col">Period</th>
              <th scope="col" className="num">
                Messages
              </th>
              <th scope="col" className="num">
                Passed
              </th>
              <th scope="col">Policy seen</th>
              <th scope="col">Received</th>
            </tr>
          </thead>
          <tbody>
            {r.items.map((x) => (
              <tr key={x.id} data-report={x.reportId}>
                <td>{x.orgName}</td>
                <td>{x.domain}</td>
                <td>
                  {formatDateTime(x.begin)} – {formatDateTime(x.end)}
                </td>
                <td className="num">{formatNumber(x.messages)}</td>
                <td className="num">{formatNumber(x.dmarcPass)}</td>
                <td className="code">p={x.policy.p}</td>
                <td className="nowrap muted">
                  {formatRelative(x.receivedAt)} ({x.source === 'imap' ? 'mailbox' : 'upload'})
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {r.nextCursor && (
        <p className="actions">
          <button type="button" onClick={() => void loadMore()} disabled={reports.status === 'loading'}>
            Load more
          </button>
        </p>
      )}
    </section>
  );
}

export function DmarcTab(): React.JSX.Element {
  const settings = useDmarc((s) => s.settings);
  const summary = useDmarc((s) => s.summary);
  const days = useDmarc((s) => s.days);
  const { load, setDays } = useDmarc.getState();
  const ensureFleet = useFleet((s) => s.ensure);
  useEffect(() => {
    ensureFleet(); // the mailboxes to choose the reports mailbox from
    void load();
  }, [load, ensureFleet]);

  const s = summary.data;
  return (
    <>
      <section className="card" aria-labelledby="dmarc-settings-h">
        <h2 id="dmarc-settings-h">Reports mailbox</h2>
        {settings.error && <ErrorBox error={settings.error} onRetry={() => void load()} />}
        <ReadOnlyNote call="dmarc.settings.update" what="changing the reports mailbox" />
        <Editable call="dmarc.settings.update">
          {settings.data ? <DmarcSettingsForm settings={settings.data} /> : !settings.error && <Loading label="Loading settings…" />}
        </Editable>
        <ReadNow />
      </section>
      <section className="card" aria-labelledby="dmarc-summary-h">
        <div className="page-header">
          <h2 id="dmarc-summary-h">Pass rates</h2>
          <div className="field">
            <label htmlFor="dmarc-days">Period</label>
            <select id="dmarc-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
              {[7, 30, 90, 365].map((d) => (
                <option key={d} value={d}>
                  Last {d} days
                </option>
              ))}
            </select>
          </div>
        </div>
        {summary.error && <ErrorBox error={summary.error} onRetry={() => void load()} />}
        {!s ? (
          !summary.error && <Loading />
        ) : s.totals.reports === 0 ? (
          <EmptyState title="No DMARC reports in this period">
            Publish rua=mailto:&lt;the reports mailbox&gt; in the domain&apos;s DMARC record and choose that mailbox above: receivers such as Google and Microsoft send a
            report a day, and Kiln reads them here (or upload a report file).
          </EmptyState>
        ) : (
          <DmarcSummaryView s={s} />
        )}
      </section>
      <Reports />
    </>
  );
}
