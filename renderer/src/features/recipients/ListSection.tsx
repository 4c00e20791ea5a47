// One list (seeds or contacts): search, add one, import and export CSV, the table with "Load more".
import { useEffect } from 'react';
import type { RecipientListKind } from '../../../../shared/domain/recipient';
import { Can } from '../../app/Can';
import { useRecipients } from './recipients-store';
import { EmptyState, ErrorBox, Loading } from '../../components/status';
import { FormError } from '../../components/FormError';
import { formatNumber } from '../../lib/format';
import { AddRecipientForm } from './AddRecipientForm';
import { RecipientTable } from './RecipientTable';
import { download } from '../../lib/download';

const about: Record<RecipientListKind, { noun: string; one: string; what: string }> = {
  seed: { noun: 'seeds', one: 'seed', what: 'Seeds receive placement tests: addresses at the providers you care about, whose inbox and spam folders Kiln can check.' },
  contact: { noun: 'contacts', one: 'contact', what: 'Contacts are your own address list, kept here and exported as CSV: Kiln sends them nothing.' },
};

export function ListSection({ kind }: { kind: RecipientListKind }): React.JSX.Element {
  const list = useRecipients((s) => s.lists[kind]);
  const query = useRecipients((s) => s.query[kind]);
  const actionError = useRecipients((s) => (s.actionError?.scope === kind ? s.actionError.error : null));
  const { loadList, setQuery, openImport, exportCsv } = useRecipients.getState();
  useEffect(() => void loadList(kind), [kind, loadList]);
  const { noun, one, what } = about[kind];
  const page = list.data;
  const empty = page !== null && page.total === 0 && query.trim() === '';
  const exportFile = async () => {
    const file = await exportCsv(kind);
    if (file) download(file.filename, file.csv);
  };

  return (
    <>
      {!empty && <p className="muted">{what}</p>}
      <div className="filters">
        <div className="field">
          <label htmlFor={`${kind}-search`}>Search {noun}</label>
          <input id={`${kind}-search`} type="search" value={query} placeholder="Address or name" onChange={(e) => setQuery(kind, e.target.value)} />
        </div>
        <div className="grow" />
        <Can call="recipients.import">
          <button type="button" className="primary" onClick={() => openImport(kind)}>
            Import CSV
          </button>
        </Can>
        <button type="button" disabled={!page || page.total === 0} onClick={() => void exportFile()}>
          Export CSV
        </button>
      </div>
      <Can call="recipients.add">
        <AddRecipientForm kind={kind} />
      </Can>
      {actionError && <FormError error={actionError} />}
      {list.error && <ErrorBox error={list.error} onRetry={() => void loadList(kind)} />}
      {!page ? (
        !list.error && <Loading label={`Loading ${noun}…`} />
      ) : empty ? (
        <EmptyState
          title={`No ${noun} yet`}
          action={
            <Can call="recipients.import">
              <button type="button" className="primary" onClick={() => openImport(kind)}>
                Import a CSV file
              </button>
            </Can>
          }
        >
          {what}{' '}
          <Can call="recipients.import">
            Import a CSV with an email column (and optionally name columns: a full name, or first and last names), or add addresses one by one above.
          </Can>
        </EmptyState>
      ) : page.items.length === 0 ? (
        <EmptyState title={`No ${noun} match “${query.trim()}”`}>Search looks in addresses and names. Clear the search to see every {one}.</EmptyState>
      ) : (
        <>
          <p className="muted" data-testid={`${kind}-total`} aria-live="polite">
            Showing {formatNumber(page.items.length)} of {formatNumber(page.total)} {page.total === 1 ? one : noun}
          </p>
          <RecipientTable kind={kind} items={page.items} label={noun} />
          {page.nextCursor && (
            <p className="actions">
              <button type="button" disabled={list.status === 'loading'} onClick={() => void loadList(kind, true)}>
                {list.status === 'loading' ? 'Loading…' : 'Load more'}
              </button>
            </p>
          )}
        </>
      )}
    </>
  );
}
