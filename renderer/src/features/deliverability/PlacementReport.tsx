// One placement test: where each seed's copy landed (folder, when), how the received copy
// authenticated, totals per provider; live while it runs; CSV export.
import { useEffect } from 'react';
import type { CopyAuth, PlacementTest } from '../../../../shared/domain/placement-test';
import { hrefOf } from '../../app/router';
import { Pill } from '../../components/Pill';
import { ErrorBox, Loading } from '../../components/status';
import { authResultTone, placementTone, placementWord } from '../../lib/deliverability';
import { formatDateTime, formatPercent, formatRelative } from '../../lib/format';
import { usePlacement } from './placement-store';
import { download } from '../../lib/download';
import { plural } from '../../../../shared/plural';

function AuthCell({ label, r }: { label: string; r: CopyAuth['spf'] | undefined }): React.JSX.Element {
  if (!r) return <td className="muted">—</td>;
  return (
    <td title={r.detail ?? undefined} data-auth={label.toLowerCase()} data-result={r.result}>
      <Pill tone={authResultTone(r.result)}>{r.result}</Pill>
    </td>
  );
}

function Totals({ t }: { t: PlacementTest }): React.JSX.Element {
  const rows = [...t.byProvider.map((p) => ({ key: p.provider, label: p.provider, ...p })), { key: 'all', label: 'All seeds', ...t.totals }];
  return (
    <div className="table-wrap">
      <table aria-label="Totals per provider" data-testid="placement-totals">
        <thead>
          <tr>
            <th scope="col">Provider</th>
            {['Seeds', 'Inbox', 'Spam', 'Other', 'Missing', 'Waiting'].map((h) => (
              <th scope="col" className="num" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-provider={r.key}>
              <td>{r.key === 'all' ? <strong>{r.label}</strong> : r.label}</td>
              <td className="num">{r.total}</td>
              <td className="num">{r.inbox}</td>
              <td className="num">{r.spam}</td>
              <td className="num">{r.other}</td>
              <td className="num">{r.missing}</td>
              <td className="num">{r.pending}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function PlacementReport({ id }: { id: string }): React.JSX.Element {
  const current = usePlacement((s) => s.current);
  const exportError = usePlacement((s) => (s.actionError?.scope === 'export' ? s.actionError.error : null));
  const { openTest, closeTest, exportCsv } = usePlacement.getState();
  useEffect(() => {
    void openTest(id);
    return closeTest;
  }, [openTest, closeTest, id]);

  const back = (
    <p>
      <a href={hrefOf({ name: 'deliverability', tab: 'placement' })}>← All placement tests</a>
    </p>
  );
  const t = current.data?.id === id ? current.data : null;
  if (!t) {
    return (
      <>
        {back}
        {current.error ? <ErrorBox error={current.error} onRetry={() => void openTest(id)} /> : <Loading />}
      </>
    );
  }
  const save = async () => {
    const file = await exportCsv(t.id);
    if (file) download(file.filename, file.csv);
  };
  return (
    <div data-testid="placement-report" data-status={t.status}>
      {back}
      <div className="page-header">
        <div>
          <h2>{t.subject}</h2>
          <p className="muted">
            From {t.from} · {t.trigger === 'schedule' ? 'weekly test' : 'started by hand'} <time dateTime={t.createdAt}>{formatDateTime(t.createdAt)}</time>
          </p>
        </div>
        <button type="button" onClick={() => void save()}>
          Export CSV
        </button>
      </div>
      {exportError && <ErrorBox error={exportError} />}
      <section className="card" aria-label="Progress" aria-live="polite">
        <p data-testid="placement-status">
          {t.status === 'running' ? (
            <>
              <Pill tone="info">Running</Pill> {t.totals.pending} of {plural(t.totals.total, 'seed', 'seeds')} still to be seen; waiting until {formatDateTime(t.deadlineAt)} (
              {formatRelative(t.deadlineAt)}). This report updates as copies arrive.
            </>
          ) : (
            <>
              <Pill tone="good">Complete</Pill> {t.completedAt ? formatDateTime(t.completedAt) : ''}
            </>
          )}
        </p>
        <p className="score-line">
          Inbox rate: <strong data-testid="placement-inbox-rate">{formatPercent(t.inboxRate)}</strong> <span className="muted">of the readable seeds that answered</span>
        </p>
        <Totals t={t} />
      </section>
      <section className="card" aria-labelledby="seeds-h">
        <h3 id="seeds-h">Seeds</h3>
        <div className="table-wrap">
          <table aria-labelledby="seeds-h" data-testid="placement-seeds">
            <thead>
              <tr>
                <th scope="col">Seed</th>
                <th scope="col">Provider</th>
                <th scope="col">Placement</th>
                <th scope="col">Folder</th>
                <th scope="col">Seen</th>
                <th scope="col">SPF</th>
                <th scope="col">DKIM</th>
                <th scope="col">DMARC</th>
              </tr>
            </thead>
            <tbody>
              {t.seeds.map((s) => (
                <tr key={s.address} data-seed={s.address} data-placement={s.placement}>
                  <td>
                    {s.address}
                    {s.error && <div className="error small">{s.error}</div>}
                  </td>
                  <td>{s.provider}</td>
                  <td>
                    <Pill tone={placementTone(s.placement)}>{placementWord(s.placement)}</Pill>
                  </td>
                  <td className="code">{s.folder ?? '—'}</td>
                  <td className="nowrap">{s.seenAt ? formatDateTime(s.seenAt, true) : '—'}</td>
                  <AuthCell label="SPF" r={s.auth?.spf} />
                  <AuthCell label="DKIM" r={s.auth?.dkim} />
                  <AuthCell label="DMARC" r={s.auth?.dmarc} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {t.seeds.some((s) => s.placement === 'unreadable') && (
          <p className="hint">Not readable: Kiln has no IMAP access to that seed. Add it as a mailbox to see where its copy lands.</p>
        )}
      </section>
    </div>
  );
}
