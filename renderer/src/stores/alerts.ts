// Stored alerts (a new blocklist listing, failing authentication, a score drop...): the open ones,
// kept fresh by alert.raised / alert.resolved events, never by polling.
import { create } from 'zustand';
import type { Alert } from '../../../shared/domain/alert';
import { client } from '../api';
import { failed, idle, loading, ready, throttle, toAppError, type AppError, type Remote } from './errors';

export interface AlertsStore {
  open: Remote<Alert[]>;
  actionError: AppError | null;
  load(): Promise<void>;
  acknowledge(id: string): Promise<void>;
}

let subscribed = false;
let seq = 0;

export const useAlerts = create<AlertsStore>()((set, get) => {
  const reload = throttle(() => void get().load(), 500);
  return {
    open: idle(),
    actionError: null,
    async load() {
      if (!subscribed) {
        subscribed = true;
        client.on('alert.raised', reload);
        client.on('alert.resolved', reload);
      }
      const mine = ++seq;
      set((s) => ({ open: loading(s.open) }));
      try {
        const page = await client.call('alerts.list', { state: 'open', limit: 100 });
        if (mine === seq) set({ open: ready(page.items) });
      } catch (err) {
        if (mine === seq) set((s) => ({ open: failed(s.open, err) }));
      }
    },
    async acknowledge(id) {
      set({ actionError: null });
      try {
        const acked = await client.call('alerts.acknowledge', { id });
        set((s) => (s.open.data ? { open: ready(s.open.data.map((a) => (a.id === id ? acked : a))) } : {}));
      } catch (err) {
        set({ actionError: toAppError(err) });
      }
    },
  };
});
