// Every mailbox in one sortable, filterable table, built from the one fleet snapshot (no call per
// row; sorting and filtering memoised); only the rows near the viewport are in the DOM.
import { useEffect, useMemo, useState } from 'react';
import { fleetStates, type FleetRow, type FleetState } from '../../../../shared/domain/fleet';
import { useRouter } from '../../app/router';
import { Can } from '../../app/Can';
import { useFleet } from '../../stores/fleet';
import { useMailboxEditor } from '../../stores/mailboxes';
import { EmptyState, ErrorBox, Loading } from '../../components/status';
import { MailboxDialog } from './MailboxDialog';
import { ReconnectDialog } from './ReconnectDialog';
import { DeleteMailboxDialog, MailboxRows } from './MailboxRows';
import { Filters, type FilterValues } from './Filters';
import { compareRows, type SortKey } from './sort';

const columns: Array<[SortKey, string, boolean]> = [
  ['email', 'Mailbox', false],
  ['provider', 'Provider', false],
  ['state', 'State', false],
  ['inbox', 'Inbox 7 d', true],
  ['today', 'Today (sent / target)', true],
  ['error', 'Last error', false],
];

const isState = (s: string | undefined): s is FleetState => (fleetStates as readonly string[]).includes(s ?? '');

export function MailboxesScreen(): React.JSX.Element {
  const fleet = useFleet((s) => s.fleet);
  const load = useFleet((s) => s.load);
  const actionError = useFleet((s) => s.actionError);
  const openNew = useMailboxEditor((s) => s.openNew);
  const route = useRouter((s) => s.route);
  const go = useRouter((s) => s.go);
  // The state filter lives in the address (#/mailboxes?state=error): the Overview links to it.
  const state = route.name === 'mailboxes' && isState(route.state) ? route.state : 'all';
  const [query, setQuery] = useState('');
  const [provider, setProvider] = useState('all');
  const [doomed, setDoomed] = useState<FleetRow | null>(null);
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'state', desc: false });
  useEffect(() => void load(), [load]);

  const all = fleet.data?.mailboxes;
  const rows = useMemo(() => {
    const q = query.trim().toLowerCase();
    const list = (all ?? []).filter(
      (m) =>
        (state === 'all' || m.state === state) &&
        (provider === 'all' || m.provider === provider) &&
        (!q || m.email.toLowerCase().includes(q) || (m.displayName ?? '').toLowerCase().includes(q)),
    );
    list.sort((a, b) => compareRows(a, b, sort.key));
    return sort.desc ? list.reverse() : list;
  }, [all, query, provider, state, sort]);

  const filters = (v: Partial<FilterValues>) => {
    if (v.query !== undefined) setQuery(v.query);
    if (v.provider !== undefined) setProvider(v.provider);
    if (v.state !== undefined) go(v.state === 'all' ? { name: 'mailboxes' } : { name: 'mailboxes', state: v.state });
  };
  const header = (
    <div className="page-header">
      <h1>Mailboxes</h1>
      <Can call="mailboxes.create">
        <button type="button" className="primary" onClick={openNew}>
          Add mailbox
        </button>
      </Can>
    </div>
  );
  const dialogs = (
    <>
      <MailboxDialog />
      <ReconnectDialog />
      <DeleteMailboxDialog doomed={doomed} onClose={() => setDoomed(null)} />
    </>
  );
  if (!all) {
    return (
      <>
        {header}
        {fleet.status === 'error' ? <ErrorBox error={fleet.error} onRetry={() => void load()} /> : <Loading />}
        {dialogs}
      </>
    );
  }
  return (
    <>
      {header}
      {fleet.status === 'error' && <ErrorBox error={fleet.error} onRetry={() => void load()} />}
      {actionError && <ErrorBox error={actionError} />}
      {all.length === 0 ? (
        <EmptyState
          title="No mailboxes yet"
          action={
            <Can call="mailboxes.create">
              <button type="button" className="primary" onClick={openNew}>
                Add mailbox
              </button>
            </Can>
          }
        >
          Connect a mailbox over SMTP (and IMAP, to see where its mail lands), then turn warmup on.
        </EmptyState>
      ) : (
        <>
          <Filters value={{ query, provider, state }} onChange={filters} shown={rows.length} total={all.length} />
          <div className="table-wrap">
            <table aria-label="Mailboxes" data-testid="mailboxes-table" aria-rowcount={rows.length + 1}>
              <thead>
                <tr aria-rowindex={1}>
                  {columns.map(([key, label, num]) => (
                    <th key={key} scope="col" className={num ? 'num' : undefined} aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
                      <button type="button" onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : false }))}>
                        {label}
                        <span aria-hidden="true">{sort.key === key ? (sort.desc ? ' ↓' : ' ↑') : ''}</span>
                      </button>
                    </th>
                  ))}
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <MailboxRows rows={rows} onDelete={setDoomed} />
            </table>
          </div>
          {rows.length === 0 && <p className="muted">No mailbox matches these filters.</p>}
        </>
      )}
      {dialogs}
    </>
  );
}
