// Pool members, seeds and contacts; CSV import as a dry run first (the report), then for real,
// with progress from `recipients.importProgress` events; export as a CSV file.
import { create } from 'zustand';
import type { Input, Output } from '../../../../shared/api/table';
import type { ImportReport, RecipientListKind } from '../../../../shared/domain/recipient';
import { client } from '../../api/index';
import { failed, idle, loading, ready, throttle, toAppError, scopedAction, type AppError, type Remote } from '../../stores/errors';

type Page = Output<'recipients.list'>;
type Pool = Output<'pool.get'>;
export type PoolRecipientInput = Input<'pool.addRecipient'>;
/** Where an action was started, so its error shows next to the form that caused it. */
export type ActionScope = 'pool' | RecipientListKind;

export interface ImportState {
  kind: RecipientListKind;
  /** The CSV the report below belongs to (the real import sends exactly this). */
  csv: string;
  /** Chosen per run; progress events carrying another id belong to another run. */
  importId: string | null;
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
  actionError: { scope: ActionScope; error: AppError } | null;
  loadList(kind: RecipientListKind, more?: boolean): Promise<void>;
  setQuery(kind: RecipientListKind, q: string): void;
  loadPool(): Promise<void>;
  add(kind: RecipientListKind, address: string, name?: string): Promise<boolean>;
  remove(kind: RecipientListKind, id: string): Promise<boolean>;
  addPoolRecipient(input: PoolRecipientInput): Promise<boolean>;
  removePoolRecipient(id: string): Promise<boolean>;
  clearActionError(): void;
  openImport(kind: RecipientListKind): void;
  closeImport(): void;
  /** The text in the dialog changed: a report about other text no longer applies. */
  discardReport(): void;
  /** A dry run of `csv` (the report), or with `dryRun: false` the import of the CSV last checked. */
  runImport(csv: string, dryRun: boolean): Promise<void>;
  exportCsv(kind: RecipientListKind): Promise<{ filename: string; csv: string } | null>;
}

const PAGE = 100;
const generation: Record<RecipientListKind, number> = { seed: 0, contact: 0 };
const moreInFlight: Record<RecipientListKind, boolean> = { seed: false, contact: false };
let subscribed = false;
let searchTimer: ReturnType<typeof setTimeout> | null = null;

export const useRecipients = create<RecipientsStore>()((set, get) => {
  const setList = (kind: RecipientListKind, value: Remote<Page>) => set((s) => ({ lists: { ...s.lists, [kind]: value } }));
  const reload = { seed: throttle(() => void get().loadList('seed'), 300), contact: throttle(() => void get().loadList('contact'), 300) };
  const subscribe = () => {
    if (subscribed) return;
    subscribed = true;
    client.on('recipients.importProgress', (p) => {
      const imp = get().importing;
      if (imp?.running && p.importId === imp.importId) set({ importing: { ...imp, progress: { done: p.done, total: p.total } } });
    });
    client.on('recipients.changed', (c) => {
      if ((c.kind === 'seed' || c.kind === 'contact') && get().lists[c.kind].status !== 'idle') reload[c.kind]();
    });
  };
  const act = scopedAction<ActionScope>(set);
  const patchImport = (patch: Partial<ImportState>) => set((s) => ({ importing: s.importing && { ...s.importing, ...patch } }));

  return {
    lists: { seed: idle(), contact: idle() },
    query: { seed: '', contact: '' },
    pool: idle(),
    importing: null,
    actionError: null,

    async loadList(kind, more = false) {
      subscribe();
      const mine = ++generation[kind];
      const prev = get().lists[kind];
      const cursor = more ? (prev.data?.nextCursor ?? undefined) : undefined;
      // A refresh keeps as many rows as were shown (or are being fetched by "Load more", which it
      // overtakes), so pages do not vanish under the reader.
      const shown = (prev.data?.items.length ?? 0) + (moreInFlight[kind] ? PAGE : 0);
      const limit = more ? PAGE : Math.min(500, Math.max(PAGE, shown));
      const q = get().query[kind].trim() || undefined;
      setList(kind, loading(prev));
      if (more) moreInFlight[kind] = true;
      try {
        const page = await client.call('recipients.list', { kind, q, limit, cursor });
        if (mine !== generation[kind]) return;
        const items = more && prev.data ? [...prev.data.items, ...page.items] : page.items;
        setList(kind, ready({ ...page, items }));
      } catch (err) {
        if (mine === generation[kind]) setList(kind, failed(prev, err));
      } finally {
        if (more) moreInFlight[kind] = false;
      }
    },
    setQuery(kind, q) {
      set((s) => ({ query: { ...s.query, [kind]: q } }));
      if (searchTimer) clearTimeout(searchTimer);
      searchTimer = setTimeout(() => void get().loadList(kind), 250);
    },
    async loadPool() {
      subscribe();
      set((s) => ({ pool: loading(s.pool) }));
      try {
        set({ pool: ready(await client.call('pool.get', {})) });
      } catch (err) {
        set((s) => ({ pool: failed(s.pool, err) }));
      }
    },
    add: (kind, address, name) => act(kind, () => client.call('recipients.add', { kind, address, name: name?.trim() || undefined }).then(() => get().loadList(kind))),
    remove: (kind, id) => act(kind, () => client.call('recipients.remove', { id }).then(() => get().loadList(kind))),
    addPoolRecipient: (input) => act('pool', () => client.call('pool.addRecipient', input).then(() => get().loadPool())),
    removePoolRecipient: (id) => act('pool', () => client.call('pool.removeRecipient', { id }).then(() => get().loadPool())),
    clearActionError: () => set({ actionError: null }),

    openImport(kind) {
      subscribe();
      set({ importing: { kind, csv: '', importId: null, running: false, progress: null, report: null, error: null } });
    },
    closeImport: () => set({ importing: null }),
    discardReport: () => patchImport({ report: null, error: null, progress: null }),
    async runImport(csv, dryRun) {
      const imp = get().importing;
      if (!imp || imp.running) return;
      const importId = crypto.randomUUID();
      set({ importing: { ...imp, csv, importId, running: true, progress: null, error: null, report: dryRun ? null : imp.report } });
      try {
        const report = await client.call('recipients.import', { kind: imp.kind, csv, dryRun, importId });
        if (get().importing?.importId !== importId) return; // closed or restarted meanwhile
        patchImport({ running: false, report });
        if (!dryRun) void get().loadList(imp.kind);
      } catch (err) {
        if (get().importing?.importId === importId) patchImport({ running: false, report: null, error: toAppError(err) });
      }
    },
    async exportCsv(kind) {
      set({ actionError: null });
      try {
        const { filename, csv } = await client.call('recipients.export', { kind });
        return { filename, csv };
      } catch (err) {
        set({ actionError: { scope: kind, error: toAppError(err) } });
        return null;
      }
    },
  };
});
