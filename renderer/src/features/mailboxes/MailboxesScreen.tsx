// Every mailbox in one sortable, filterable table, built from the one fleet snapshot (no call per
// row), so a thousand mailboxes render at once.
import { useEffect, useMemo, useState } from 'react';
import { fleetStates, type FleetRow } from '../../../../shared/domain/fleet';
import { providers } from '../../../../shared/domain/mailbox';
import { useFleet } from '../../stores/fleet';
import { useMailboxEditor } from '../../stores/mailbox-editor';
import { EmptyState, ErrorBox, Loading } from '../../components/status';
import { stateLabel } from '../../components/StateBadge';
import { MailboxDialog } from './MailboxDialog';
import { DeleteMailboxDialog, MailboxRows } from './MailboxRows';
import { compareRows, type SortKey } from './sort';

const columns: Array<[SortKey, string, boolean]> = [
  ['email', 'Mailbox', false],
  ['provider', 'Provider', false],
  ['state', 'State', false],
  ['inbox', 'Inbox 7 d', true],
  ['today', 'Today', true],
  ['error', 'Last error', false],
];

export function MailboxesScreen(): React.JSX.Element {
  const fleet = useFleet((s) => s.fleet);
  const load = useFleet((s) => s.load);
  const stateFilter = useFleet((s) => s.stateFilter);
  const setStateFilter = useFleet((s) => s.setStateFilter);
  const actionError = useFleet((s) => s.actionError);
  const openNew = useMailboxEditor((s) => s.openNew);
  const [query, setQuery] = useState('');
  const [provider, setProvider] = useState('all');
  const [doomed, setDoomed] = useState<FleetRow | null>(null);
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'state', desc: false });
  useEffect(() => void load(), [load]);

  const rows = useMemo(() => {
    const q = query.trim().toLowerCase();
    const list = (fleet.data?.mailboxes ?? []).filter(
      (m: FleetRow) =>
        (stateFilter === 'all' || m.state === stateFilter) &&
        (provider === 'all' || m.provider === provider) &&
        (!q || m.email.includes(q) || (m.displayName ?? '').toLowerCase().includes(q)),
    );
    const sorted = list.sort((a, b) => compareRows(a, b, sort.key));
    return sort.desc ? sorted.reverse() : sorted;
  }, [fleet.data, query, provider, stateFilter, sort]);

  const header = (
    <div className="page-header">
      <h1>Mailboxes</h1>
      <button type="button" className="primary" onClick={openNew}>
        Add mailbox
      </button>
    </div>
  );
  if (!fleet.data) {
    return (
      <>
        {header}
        {fleet.status === 'error' ? <ErrorBox error={fleet.error} onRetry={() => void load()} /> : <Loading />}
        <MailboxDialog />
      </>
    );
  }
  return (
    <>
      {header}
      {actionError && <ErrorBox error={actionError} />}
      {fleet.data.mailboxes.length === 0 ? (
        <EmptyState title="No mailboxes yet" action={<button type="button" className="primary" onClick={openNew}>Add mailbox</button>}>
          Connect a mailbox over SMTP (and IMAP, to see where its mail lands), then turn warmup on.
        </EmptyState>
      ) : (
        <>
          <div className="filters" role="search">
            <label className="field">
              <span>Search</span>
              <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="address or name" />
            </label>
            <label className="field">
              <span>Provider</span>
              <select value={provider} onChange={(e) => setProvider(e.target.value)}>
                <option value="all">All providers</option>
                {providers.map((p) => (
                  <option key={p}>{p}</option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>State</span>
              <select value={stateFilter} onChange={(e) => setStateFilter(e.target.value as typeof stateFilter)}>
                <option value="all">All states</option>
                {fleetStates.map((s) => (
                  <option key={s} value={s}>
                    {stateLabel(s)}
                  </option>
                ))}
              </select>
            </label>
            <span className="muted" aria-live="polite">
              {rows.length} of {fleet.data.mailboxes.length}
            </span>
          </div>
          <div className="table-wrap">
            <table aria-label="Mailboxes">
              <thead>
                <tr>
                  {columns.map(([key, label, num]) => (
                    <th key={key} className={num ? 'num' : undefined} aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
                      <button type="button" onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : false }))}>
                        {label}
                        {sort.key === key ? (sort.desc ? ' ↓' : ' ↑') : ''}
                      </button>
                    </th>
                  ))}
                  <th>
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <MailboxRows rows={rows} onDelete={setDoomed} />
            </table>
          </div>
        </>
      )}
      <MailboxDialog />
      <DeleteMailboxDialog doomed={doomed} onClose={() => setDoomed(null)} />
    </>
  );
}
