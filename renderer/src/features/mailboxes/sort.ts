import { fleetStates, type FleetRow } from '../../../../shared/domain/fleet';

export type SortKey = 'email' | 'provider' | 'state' | 'inbox' | 'today' | 'error';

const stateRank = Object.fromEntries(fleetStates.map((s, i) => [s, i])) as Record<FleetRow['state'], number>;
const byEmail = (a: FleetRow, b: FleetRow) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0);

/** Ascending order of two rows by one column (ties by address); the state column puts the most urgent first. */
export function compareRows(a: FleetRow, b: FleetRow, key: SortKey): number {
  switch (key) {
    case 'email':
      return byEmail(a, b);
    case 'provider':
      return a.provider.localeCompare(b.provider) || byEmail(a, b);
    case 'state':
      return stateRank[a.state] - stateRank[b.state] || byEmail(a, b);
    case 'inbox':
      return (a.inboxRate7d ?? -1) - (b.inboxRate7d ?? -1) || byEmail(a, b);
    case 'today':
      return a.today.sent - b.today.sent || a.today.target - b.today.target || byEmail(a, b);
    case 'error':
      return (a.lastError?.code ?? '').localeCompare(b.lastError?.code ?? '') || byEmail(a, b);
  }
}
