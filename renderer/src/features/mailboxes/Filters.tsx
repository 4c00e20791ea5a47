import { fleetStates, type FleetState } from '../../../../shared/domain/fleet';
import { providers } from '../../../../shared/domain/mailbox';
import { stateLabel } from '../../components/StateBadge';
import { plural } from '../../../../shared/plural';
import { formatNumber } from '../../lib/format';

export interface FilterValues {
  query: string;
  provider: string;
  state: FleetState | 'all';
}

/** Text search on the address, provider and state; the state also comes from the Overview's links. */
export function Filters({ value, onChange, shown, total }: { value: FilterValues; onChange: (v: Partial<FilterValues>) => void; shown: number; total: number }): React.JSX.Element {
  return (
    <div className="filters" role="search" aria-label="Filter mailboxes">
      <div className="field">
        <label htmlFor="mb-search">Search</label>
        <input id="mb-search" type="search" value={value.query} onChange={(e) => onChange({ query: e.target.value })} placeholder="address or name" />
      </div>
      <div className="field">
        <label htmlFor="mb-filter-provider">Provider</label>
        <select id="mb-filter-provider" value={value.provider} onChange={(e) => onChange({ provider: e.target.value })}>
          <option value="all">All providers</option>
          {providers.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="mb-filter-state">State</label>
        <select id="mb-filter-state" value={value.state} onChange={(e) => onChange({ state: e.target.value as FilterValues['state'] })}>
          <option value="all">All states</option>
          {fleetStates.map((s) => (
            <option key={s} value={s}>
              {stateLabel(s)}
            </option>
          ))}
        </select>
      </div>
      <span className="muted" role="status" aria-live="polite" data-testid="mailbox-count">
        {shown === total ? plural(total, 'mailbox', 'mailboxes') : `${formatNumber(shown)} of ${plural(total, 'mailbox', 'mailboxes')}`}
      </span>
    </div>
  );
}
