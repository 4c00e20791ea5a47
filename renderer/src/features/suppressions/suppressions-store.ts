// The suppression list: search and reason filter (server-side), add and remove, CSV import with
// its per-line report, export as a CSV file.
import { create } from 'zustand';
import type { Output } from '../../../../shared/api/table';
import type { SuppressionImportReport, SuppressionReason } from '../../../../shared/domain/suppression';
import { client } from '../../api/index';
import { failed, idle, loading, ready, toAppError, type AppError, type Remote } from '../../stores/errors';

type Page = Output<'suppressions.list'>;

export interface SuppressionFilter {
  q: string;
  reason: SuppressionReason | '';
}

export interface ImportState {
  running: boolean;
  report: SuppressionImportReport | null;
  error: AppError | null;
}

export interface SuppressionsStore {
  filter: SuppressionFilter;
  list: Remote<Page>;
  importing: ImportState | null;
  actionError: AppError | null;
  load(more?: boolean): Promise<void>;
  /** A new filter; a typed search waits a moment so each key press is not a request. */
  setFilter(patch: Partial<SuppressionFilter>, debounce?: boolean): void;
  add(address: string, detail: string): Promise<boolean>;
  remove(id: string): Promise<boolean>;
  openImport(): void;
  closeImport(): void;
  runImport(csv: string): Promise<void>;
  exportCsv(): Promise<{ filename: string; csv: string } | null>;
}

const PAGE = 100;
let generation = 0;
let searchTimer: ReturnType<typeof setTimeout> | null = null;

export const useSuppressions = create<SuppressionsStore>()((set, get) => {
  const params = () => {
    const { q, reason } = get().filter;
    return { q: q.trim() || undefined, reason: reason || undefined };
  };
  const act = async (fn: () => Promise<unknown>): Promise<boolean> => {
    set({ actionError: null });
    try {
      await fn();
      return true;
    } catch (err) {
      set({ actionError: toAppError(err) });
      return false;
    }
  };
  return {
    filter: { q: '', reason: '' },
    list: idle(),
    importing: null,
    actionError: null,

    async load(more = false) {
      const mine = ++generation;
      const prev = get().list;
      const cursor = more ? (prev.data?.nextCursor ?? undefined) : undefined;
      set({ list: loading(prev) });
      try {
        const page = await client.call('suppressions.list', { ...params(), limit: PAGE, cursor });
        if (mine !== generation) return;
        set({ list: ready(more && prev.data ? { ...page, items: [...prev.data.items, ...page.items] } : page) });
      } catch (err) {
        if (mine === generation) set({ list: failed(prev, err) });
      }
    },
    setFilter(patch, debounce = false) {
      set((s) => ({ filter: { ...s.filter, ...patch } }));
      if (searchTimer) clearTimeout(searchTimer);
      if (debounce) searchTimer = setTimeout(() => void get().load(), 250);
      else void get().load();
    },
    add: (address, detail) => act(() => client.call('suppressions.add', { address, detail: detail.trim() || undefined }).then(() => get().load())),
    remove: (id) => act(() => client.call('suppressions.remove', { id }).then(() => get().load())),

    openImport: () => set({ importing: { running: false, report: null, error: null } }),
    closeImport: () => set({ importing: null }),
    async runImport(csv) {
      if (!get().importing || get().importing?.running) return;
      set({ importing: { running: true, report: null, error: null } });
      try {
        const report = await client.call('suppressions.import', { csv });
        if (get().importing) set({ importing: { running: false, report, error: null } });
        void get().load();
      } catch (err) {
        if (get().importing) set({ importing: { running: false, report: null, error: toAppError(err) } });
      }
    },
    async exportCsv() {
      set({ actionError: null });
      try {
        const { filename, csv } = await client.call('suppressions.export', params());
        return { filename, csv };
      } catch (err) {
        set({ actionError: toAppError(err) });
        return null;
      }
    },
  };
});
