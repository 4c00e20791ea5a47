// The fleet: every mailbox's state and today's numbers, shared by the Overview and the Mailboxes
// table. Kept fresh by push events (a send, a placement, a state change), never by polling.
import { create } from 'zustand';
import type { Fleet, FleetState } from '../../../shared/domain/fleet';
import { client } from '../api';
import { failed, idle, loading, ready, throttle, toAppError, type AppError, type Remote } from './errors';

export interface FleetStore {
  fleet: Remote<Fleet>;
  /** State filter of the Mailboxes table (set from the Overview's state counts). */
  stateFilter: FleetState | 'all';
  busy: Record<string, boolean>;
  actionError: AppError | null;
  load(): Promise<void>;
  setStateFilter(state: FleetState | 'all'): void;
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  remove(id: string): Promise<boolean>;
}

let subscribed = false;

export const useFleet = create<FleetStore>()((set, get) => {
  const reload = throttle(() => void get().load(), 1000);
  const subscribe = (): void => {
    if (subscribed) return;
    subscribed = true;
    client.on('message.updated', reload);
    client.on('mailbox.updated', reload);
    client.on('mailbox.deleted', reload);
    client.on('warmup.updated', reload);
  };
  const act = async (id: string, fn: () => Promise<unknown>): Promise<boolean> => {
    set((s) => ({ busy: { ...s.busy, [id]: true }, actionError: null }));
    try {
      await fn();
      await get().load();
      return true;
    } catch (err) {
      set({ actionError: toAppError(err) });
      return false;
    } finally {
      set((s) => ({ busy: { ...s.busy, [id]: false } }));
    }
  };

  return {
    fleet: idle(),
    stateFilter: 'all',
    busy: {},
    actionError: null,
    async load() {
      subscribe();
      set((s) => ({ fleet: loading(s.fleet) }));
      try {
        set({ fleet: ready(await client.call('fleet.get', {})) });
      } catch (err) {
        set((s) => ({ fleet: failed(s.fleet, err) }));
      }
    },
    setStateFilter: (stateFilter) => set({ stateFilter }),
    pause: async (id) => void (await act(id, () => client.call('mailboxes.pause', { id }))),
    resume: async (id) => void (await act(id, () => client.call('mailboxes.resume', { id }))),
    remove: (id) => act(id, () => client.call('mailboxes.delete', { id })),
  };
});
