// The fleet: every mailbox's state and today's numbers, shared by the Overview, the Mailboxes
// table and the mailbox header. Kept fresh by push events (a send, a placement, a state change),
// throttled to one refetch a second, never by polling.
import { create } from 'zustand';
import type { Fleet } from '../../../shared/domain/fleet';
import { client } from '../api';
import { failed, idle, loading, ready, throttle, toAppError, type AppError, type Remote } from './errors';

export interface FleetStore {
  fleet: Remote<Fleet>;
  /** Row actions under way, by mailbox id (their buttons are disabled meanwhile). */
  busy: Record<string, boolean>;
  actionError: AppError | null;
  load(): Promise<void>;
  /** Load once: for screens that only need the snapshot to exist (events keep it fresh). */
  ensure(): void;
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  remove(id: string): Promise<boolean>;
}

let subscribed = false;
let seq = 0; // a slow answer overtaken by a newer refetch is dropped

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
    busy: {},
    actionError: null,
    async load() {
      subscribe();
      const mine = ++seq;
      set((s) => ({ fleet: loading(s.fleet) }));
      try {
        const data = await client.call('fleet.get', {});
        if (mine === seq) set({ fleet: ready(data) });
      } catch (err) {
        if (mine === seq) set((s) => ({ fleet: failed(s.fleet, err) }));
      }
    },
    ensure() {
      if (get().fleet.status === 'idle') void get().load();
    },
    pause: async (id) => void (await act(id, () => client.call('mailboxes.pause', { id }))),
    resume: async (id) => void (await act(id, () => client.call('mailboxes.resume', { id }))),
    remove: (id) => act(id, () => client.call('mailboxes.delete', { id })),
  };
});
