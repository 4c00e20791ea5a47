// Pure: what the tray says about the fleet. No Electron here, so it is unit-tested directly.
import { fleetStates, type Fleet, type FleetState } from '../../shared/domain/fleet';

/** Tray reading order: the healthy bulk first, then what needs a look, then mailboxes left off. */
const displayOrder: readonly FleetState[] = ['warming', 'holding', 'throttled', 'paused', 'error', 'off'];

export interface FleetSummary {
  counts: Record<FleetState, number>;
  total: number;
  alerts: number;
  /** e.g. "12 warming · 1 throttled · 1 error" */
  status: string;
  /** e.g. "Kiln — 12 warming · 1 throttled · 1 error" */
  tooltip: string;
  /** Some warmup is running that "Pause all" would pause. */
  canPause: boolean;
  /** Some warmup is paused that "Resume all" would resume. */
  canResume: boolean;
}

function zeroCounts(): Record<FleetState, number> {
  return Object.fromEntries(fleetStates.map((s) => [s, 0])) as Record<FleetState, number>;
}

/** `null`: no fleet fetched yet (core starting, or the last fetch failed). */
export function summarizeFleet(fleet: Fleet | null): FleetSummary {
  const counts = zeroCounts();
  if (!fleet) {
    // Unknown: leave both actions on and let the core decide what they do.
    return { counts, total: 0, alerts: 0, status: 'Status unavailable', tooltip: 'Kiln', canPause: true, canResume: true };
  }
  for (const row of fleet.mailboxes) counts[row.state] += 1;
  const parts = displayOrder.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  const status = parts.length > 0 ? parts.join(' · ') : 'No mailboxes';
  return {
    counts,
    total: fleet.mailboxes.length,
    alerts: fleet.alerts.length,
    status,
    tooltip: `Kiln — ${status}`,
    canPause: counts.warming + counts.holding + counts.throttled > 0,
    canResume: fleet.mailboxes.some((row) => row.warmup.state === 'paused'),
  };
}

export function alertsLabel(count: number): string {
  return count === 1 ? '1 alert to review' : `${count} alerts to review`;
}
