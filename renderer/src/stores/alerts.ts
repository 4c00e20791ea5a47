// Stored alerts (a new blocklist listing, failing authentication, a score drop...): the open ones,
// kept fresh by alert.raised / alert.resolved events, never by polling.
import { create } from 'zustand';
import type { Alert } from '../../../shared/domain/alert';
import { client } from '../api';
import { failed, idle, loading, ready, throttle, toAppError, type AppError, type Remote } from './errors';

export type AlertFilter = 'open' | 'resolved' | 'all';

export interface AlertsStore {
  open: Remote<Alert[]>;
  /** The Deliverability screen's Alerts tab: alerts in one state, newest first, paged. */
  filter: AlertFilter;
  list: Remote<{ items: Alert[]; nextCursor: string | null }>;
  actionError: AppError | null;
  load(): Promise<void>;
  loadList(filter?: AlertFilter, more?: boolean): Promise<void>;
  acknowledge(id: string): Promise<void>;
}

let subscribed = false;
let seq = 0;
let listSeq = 0;

export const useAlerts = create<AlertsStore>()((set, get) => {
  const reload = throttle(() => {
    if (get().open.status !== 'idle') void get().load();
    if (get().list.status !== 'idle') void get().loadList();
  }, 500);
  const subscribe = () => {
    if (subscribed) return;
    subscribed = true;
    client.on('alert.raised', reload);
    client.on('alert.resolved', reload);
  };
  return {
    open: idle(),
    filter: 'open',
    list: idle(),
    actionError: null,
    async load() {
      subscribe();
      const mine = ++seq;
      set((s) => ({ open: loading(s.open) }));
      try {
        const page = await client.call('alerts.list', { state: 'open', limit: 100 });
        if (mine === seq) set({ open: ready(page.items) });
      } catch (err) {
        if (mine === seq) set((s) => ({ open: failed(s.open, err) }));
      }
    },
    async loadList(filter = get().filter, more = false) {
      subscribe();
      const mine = ++listSeq;
      const prev = filter === get().filter ? get().list : idle<{ items: Alert[]; nextCursor: string | null }>();
      const cursor = more ? (prev.data?.nextCursor ?? undefined) : undefined;
      // A refresh keeps as many rows as were shown, so pages loaded with "Load more" stay.
      const limit = more ? 50 : Math.min(500, Math.max(50, prev.data?.items.length ?? 0));
      set({ filter, list: loading(prev) });
      try {
        const page = await client.call('alerts.list', { state: filter, limit, cursor });
        if (mine !== listSeq) return;
        set({ list: ready(more && prev.data ? { items: [...prev.data.items, ...page.items], nextCursor: page.nextCursor } : page) });
      } catch (err) {
        if (mine === listSeq) set((s) => ({ list: failed(s.list, err) }));
      }
    },
    async acknowledge(id) {
      set({ actionError: null });
      try {
        const acked = await client.call('alerts.acknowledge', { id });
        const swap = (items: Alert[]) => items.map((a) => (a.id === id ? acked : a));
        set((s) => ({
          ...(s.open.data ? { open: ready(swap(s.open.data)) } : {}),
          ...(s.list.data ? { list: ready({ ...s.list.data, items: swap(s.list.data.items) }) } : {}),
        }));
      } catch (err) {
        set({ actionError: toAppError(err) });
      }
    },
  };
});
