// Suppressions: the addresses this workspace never sends to, why (with the message that caused
// it), search and reason filter, add and remove with confirmation, CSV import and export.
import { useEffect } from 'react';
import { suppressionReasons, type SuppressionReason } from '../../../../shared/domain/suppression';
import { Can } from '../../app/Can';
import { EmptyState, ErrorBox, Loading } from '../../components/status';
import { FormError } from '../../components/FormError';
import { formatNumber } from '../../lib/format';
import { download } from '../../lib/download';
import { AddSuppressionForm } from './AddSuppressionForm';
import { ImportDialog } from './ImportDialog';
import { filterFromQuery, reasonLabels } from './reasons';
import { SuppressionTable } from './SuppressionTable';
import { useSuppressions } from './suppressions-store';

export function SuppressionsScreen({ query }: { query: string }): React.JSX.Element {
  const list = useSuppressions((s) => s.list);
  const filter = useSuppressions((s) => s.filter);
  const actionError = useSuppressions((s) => s.actionError);
  const { setFilter, load, openImport, exportCsv } = useSuppressions.getState();
  useEffect(() => setFilter(filterFromQuery(query)), [query, setFilter]);
  const page = list.data;
  const filtered = filter.q.trim() !== '' || filter.reason !== '';
  const exportFile = async () => {
    const file = await exportCsv();
    if (file) download(file.filename, file.csv);
  };

  return (
    <div className="suppressions-screen">
      <div className="page-header">
        <h1>Suppressions</h1>
      </div>
      <p className="muted">Kiln never sends to these addresses from this workspace: hard bounces, complaints and repeated soft bounces are added by the feedback loop; you add the rest.</p>
      <div className="filters">
        <div className="field">
          <label htmlFor="sup-search">Search addresses</label>
          <input id="sup-search" type="search" value={filter.q} placeholder="Address or part of it" onChange={(e) => setFilter({ q: e.target.value }, true)} />
        </div>
        <div className="field">
          <label htmlFor="sup-reason">Reason</label>
          <select id="sup-reason" value={filter.reason} onChange={(e) => setFilter({ reason: e.target.value as SuppressionReason | '' })}>
            <option value="">Any reason</option>
            {suppressionReasons.map((r) => (
              <option key={r} value={r}>
                {reasonLabels[r]}
              </option>
            ))}
          </select>
        </div>
        <div className="grow" />
        <Can call="suppressions.import">
          <button type="button" onClick={openImport}>
            Import CSV
          </button>
        </Can>
        <button type="button" disabled={!page || page.items.length === 0} onClick={() => void exportFile()}>
          Export CSV
        </button>
      </div>
      <Can call="suppressions.add">
        <AddSuppressionForm />
      </Can>
      {actionError && <FormError error={actionError} />}
      {list.error && <ErrorBox error={list.error} onRetry={() => void load()} />}
      {!page ? (
        !list.error && <Loading label="Loading suppressions…" />
      ) : page.items.length === 0 ? (
        filtered ? (
          <EmptyState title="No suppression matches">Search looks in any part of the address. Clear the search and the reason to see every suppression.</EmptyState>
        ) : (
          <EmptyState title="No suppressions">Nothing has bounced or complained yet, and no address was added by hand.</EmptyState>
        )
      ) : (
        <>
          <p className="muted" data-testid="suppressions-shown" aria-live="polite">
            Showing {formatNumber(page.items.length)} {page.items.length === 1 ? 'suppression' : 'suppressions'}
            {page.nextCursor ? ' (more below)' : ''}
          </p>
          <SuppressionTable items={page.items} />
          {page.nextCursor && (
            <p className="actions">
              <button type="button" disabled={list.status === 'loading'} onClick={() => void load(true)}>
                {list.status === 'loading' ? 'Loading…' : 'Load more'}
              </button>
            </p>
          )}
        </>
      )}
      <ImportDialog />
    </div>
  );
}
