import type { Planner } from './planner';
import type { SenderRow, WarmupStore } from './store';

/**
 * The closed loop's decision for these mailboxes, recorded, then their day planned or reconciled
 * (held, released, cut, topped up). The scheduler runs it for every warming mailbox each tick;
 * pause and resume run it for one mailbox, days already planned only (`fresh: false`: a new day is
 * the scheduler's to plan), so their answer, and every screen, already shows the day.
 */
export function applyLoop(
  store: WarmupStore,
  planner: Planner,
  senders: SenderRow[],
  now: number,
  changed: (mailboxId: string) => void,
  opts: { fresh?: boolean } = {},
): { planned: number } {
  const decisions = planner.decisions(senders, now);
  for (const s of senders) {
    const d = decisions.get(s.mailbox_id)!;
    if (store.setState({ mailbox: s.mailbox_id, state: d.state, code: d.code, reason: d.reason, until: d.until })) changed(s.mailbox_id);
  }
  return { planned: planner.run(senders, decisions, opts).planned };
}
