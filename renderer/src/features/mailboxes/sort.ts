import { fleetStates, type FleetRow } from '../../../../shared/domain/fleet';

export type SortKey = 'email' | 'provider' | 'state' | 'inbox' | 'today' | 'error';

const stateRank = Object.fromEntries(fleetStates.map((s, i) => [s, i])) as Record<FleetRow['state'], number>;

/** Ascending order of two rows by one column; the state column puts the most urgent first. */
export function compareRows(a: FleetRow, b: FleetRow, key: SortKey): number {
  switch (key) {
    case 'email':
      return a.email.localeCompare(b.email);
    case 'provider':
      return a.provider.localeCompare(b.provider) || a.email.localeCompare(b.email);
    case 'state':
      return stateRank[a.state] - stateRank[b.state] || a.email.localeCompare(b.email);
    case 'inbox':
      return (a.inboxRate7d ?? -1) - (b.inboxRate7d ?? -1);
    case 'today':
      return a.today.sent - b.today.sent;
    case 'error':
      return (a.lastError?.code ?? '').localeCompare(b.lastError?.code ?? '');
  }
}
