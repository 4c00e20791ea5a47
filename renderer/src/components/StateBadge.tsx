import { fleetStateLabels as labels, type FleetState } from '../../../shared/domain/fleet';

/** A mailbox's one state, colour-coded and always with its word (never colour alone). */
export function StateBadge({ state, title }: { state: FleetState; title?: string | null }): React.JSX.Element {
  return (
    <span className={`state state-${state}`} title={title ?? undefined} data-state={state}>
      {labels[state]}
    </span>
  );
}

export const stateLabel = (state: FleetState): string => labels[state];
