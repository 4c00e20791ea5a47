import type { LoopDecision } from '../../../shared/warmup/loop';
import type { Planner } from './planner';
import type { SenderRow, WarmupStore } from './store';

/**
 * The closed loop's decision for these mailboxes, recorded on their warmup status (live clients told
 * of changes). The scheduler runs it for every warming mailbox each tick before planning; pause and
 * resume run it for one mailbox so their answer already shows the new state.
 */
export function recordDecisions(store: WarmupStore, planner: Planner, senders: SenderRow[], now: number, changed: (mailboxId: string) => void): Map<string, LoopDecision> {
  const decisions = planner.decisions(senders, now);
  for (const s of senders) {
    const d = decisions.get(s.mailbox_id)!;
    if (store.setState({ mailbox: s.mailbox_id, state: d.state, code: d.code, reason: d.reason, until: d.until })) changed(s.mailbox_id);
  }
  return decisions;
}
