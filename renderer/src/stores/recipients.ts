// Pool members, seeds and contacts; CSV import as a dry run first (the report), then for real,
// with progress from `recipients.importProgress` events; export as a CSV download.
import { create } from 'zustand';
import type { Output } from '../../../shared/api/table';
import type { ImportReport, RecipientListKind } from '../../../shared/domain/recipient';
import { client } from '../api';
import { failed, idle, loading, ready, toAppError, type AppError, type Remote } from './errors';

type Page = Output<'recipients.list'>;
type Pool = Output<'pool.get'>;

export interface ImportState {
  kind: RecipientListKind;
  csv: string;
  fileName: string;
  running: boolean;
  progress: { done: number; total: number } | null;
  report: ImportReport | null;
  error: AppError | null;
}

export interface RecipientsStore {
  lists: Record<RecipientListKind, Remote<Page>>;
  query: Record<RecipientListKind, string>;
  pool: Remote<Pool>;
  importing: ImportState | null;
  actionError: AppError | null;
  loadList(kind: RecipientListKind, more?: boolean): Promise<void>;
  setQuery(kind: RecipientListKind, q: string): void;
  loadPool(): Promise<void>;
  add(kind: RecipientListKind, address: string, name?: string): Promise<boolean>;
  remove(kind: RecipientListKind, id: string): Promise<void>;
  addPoolRecipient(address: string, name?: string): Promise<boolean>;
  removePoolRecipient(id: string): Promise<void>;
  startImport(kind: RecipientListKind): void;
  closeImport(): void;
  /** Dry run when `dryRun`, else the real import of the CSV already checked. */
  runImport(csv: string, fileName: string, dryRun: boolean): Promise<void>;
  exportCsv(kind: RecipientListKind): Promise<{ filename: string; csv: string } | null>;
}

let importId = '';
let subscribed = false;

export const useRecipients = create<RecipientsStore>()((set, get) => {
  const subscribe = () => {
    if (subscribed) return;
    subscribed = true;
    client.on('recipients.importProgress', (p) => {
      const imp = get().importing;
      if (imp && p.importId === importId) set({ importing: { ...imp, progress: { done: p.done, total: p.total } } });
    });
    client.on('recipients.changed', (c) => {
      if (c.kind === 'seed' || c.kind === 'contact') void get().loadList(c.kind);
    });
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
    lists: { seed: idle(), contact: idle() },
    query: { seed: '', contact: '' },
    pool: idle(),
    importing: null,
    actionError: null,

    async loadList(kind, more = false) {
      subscribe();
      const prev = get().lists[kind];
      const cursor = more ? (prev.data?.nextCursor ?? undefined) : undefined;
      const q = get().query[kind].trim() || undefined;
      set((s) => ({ lists: { ...s.lists, [kind]: loading(prev) } }));
      try {
        const page = await client.call('recipients.list', { kind, q, limit: 100, cursor });
        const items = more && prev.data ? [...prev.data.items, ...page.items] : page.items;
        set((s) => ({ lists: { ...s.lists, [kind]: ready({ ...page, items }) } }));
      } catch (err) {
        set((s) => ({ lists: { ...s.lists, [kind]: failed(prev, err) } }));
      }
    },
    setQuery(kind, q) {
      set((s) => ({ query: { ...s.query, [kind]: q } }));
      void get().loadList(kind);
    },
    async loadPool() {
      set((s) => ({ pool: loading(s.pool) }));
      try {
        set({ pool: ready(await client.call('pool.get', {})) });
      } catch (err) {
        set((s) => ({ pool: failed(s.pool, err) }));
      }
    },
    add: (kind, address, name) => act(() => client.call('recipients.add', { kind, address, name: name || undefined }).then(() => get().loadList(kind))),
    remove: async (kind, id) => void (await act(() => client.call('recipients.remove', { id }).then(() => get().loadList(kind)))),
    addPoolRecipient: (address, name) => act(() => client.call('pool.addRecipient', { address, name: name || undefined }).then(() => get().loadPool())),
    removePoolRecipient: async (id) => void (await act(() => client.call('pool.removeRecipient', { id }).then(() => get().loadPool()))),

    startImport: (kind) => set({ importing: { kind, csv: '', fileName: '', running: false, progress: null, report: null, error: null } }),
    closeImport: () => set({ importing: null }),
    async runImport(csv, fileName, dryRun) {
      subscribe();
      const imp = get().importing;
      if (!imp) return;
      importId = crypto.randomUUID();
      set({ importing: { ...imp, csv, fileName, running: true, progress: null, error: null, report: dryRun ? null : imp.report } });
      try {
        const report = await client.call('recipients.import', { kind: imp.kind, csv, dryRun, importId });
        set((s) => ({ importing: s.importing && { ...s.importing, running: false, report } }));
        if (!dryRun) void get().loadList(imp.kind);
      } catch (err) {
        set((s) => ({ importing: s.importing && { ...s.importing, running: false, report: null, error: toAppError(err) } }));
      }
    },
    async exportCsv(kind) {
      try {
        const { filename, csv } = await client.call('recipients.export', { kind });
        return { filename, csv };
      } catch (err) {
        set({ actionError: toAppError(err) });
        return null;
      }
    },
  };
});
