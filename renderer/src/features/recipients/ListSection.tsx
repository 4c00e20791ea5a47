import { useEffect, useState, type FormEvent } from 'react';
import type { RecipientListKind } from '../../../../shared/domain/recipient';
import { useRecipients } from '../../stores/recipients';
import { EmptyState, ErrorBox, Loading } from '../../components/status';
import { formatDateTime } from '../../lib/format';
import { download } from './download';

const about: Record<RecipientListKind, string> = {
  seed: 'Seeds receive placement tests: addresses at the providers you care about, which Kiln can read.',
  contact: 'Contacts receive broadcasts.',
};

export function ListSection({ kind }: { kind: RecipientListKind }): React.JSX.Element {
  const list = useRecipients((s) => s.lists[kind]);
  const query = useRecipients((s) => s.query[kind]);
  const { loadList, setQuery, add, remove, startImport, exportCsv } = useRecipients.getState();
  const [address, setAddress] = useState('');
  useEffect(() => void loadList(kind), [kind, loadList]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await add(kind, address)) setAddress('');
  };
  const label = kind === 'seed' ? 'seeds' : 'contacts';
  return (
    <>
      <p className="muted">{about[kind]}</p>
      <div className="filters">
        <label className="field">
          <span>Search {label}</span>
          <input type="search" value={query} onChange={(e) => setQuery(kind, e.target.value)} />
        </label>
        <form className="row" onSubmit={(e) => void submit(e)}>
          <label className="field">
            <span>Add one address</span>
            <input type="email" value={address} onChange={(e) => setAddress(e.target.value)} required />
          </label>
          <button type="submit">Add</button>
        </form>
        <button type="button" className="primary" onClick={() => startImport(kind)}>
          Import CSV
        </button>
        <button type="button" onClick={() => void exportCsv(kind).then((f) => f && download(f.filename, f.csv))}>
          Export CSV
        </button>
      </div>
      {list.error && <ErrorBox error={list.error} onRetry={() => void loadList(kind)} />}
      {!list.data ? (
        !list.error && <Loading />
      ) : list.data.total === 0 && !query ? (
        <EmptyState title={`No ${label} yet`} action={<button type="button" className="primary" onClick={() => startImport(kind)}>Import CSV</button>}>
          Import a CSV with an <code>email</code> column (and optionally <code>name</code>), or add addresses one by one.
        </EmptyState>
      ) : (
        <>
          <p className="muted" data-testid={`${kind}-total`}>
            {list.data.total} {label}
          </p>
          <div className="table-wrap">
            <table aria-label={label}>
              <thead>
                <tr>
                  <th>Address</th>
                  <th>Name</th>
                  <th>Provider</th>
                  <th>Added</th>
                  <th>
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((r) => (
                  <tr key={r.id}>
                    <td>{r.address}</td>
                    <td>{r.name ?? ''}</td>
                    <td>{r.provider}</td>
                    <td>{formatDateTime(r.createdAt)}</td>
                    <td className="row-actions">
                      <button type="button" onClick={() => void remove(kind, r.id)} aria-label={`Remove ${r.address}`}>
                        Remove
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {list.data.nextCursor && (
            <p className="actions">
              <button type="button" onClick={() => void loadList(kind, true)}>
                Load more
              </button>
            </p>
          )}
        </>
      )}
    </>
  );
}
