// Inbox placement tests: the list, one test's report (live while it runs, through
// `placementTests.updated`), a new test, CSV export and the weekly schedule. The seed count tells
// the screen whether a test can run at all.
import { create } from 'zustand';
import type { Input } from '../../../../shared/api/table';
import type { PlacementSchedule, PlacementTest } from '../../../../shared/domain/placement-test';
import { client } from '../../api/index';
import { failed, idle, loading, ready, scopedAction, throttle, toAppError, type AppError, type Remote } from '../../stores/errors';

export type PlacementScope = 'create' | 'schedule' | 'export';
export interface TestsPage {
  items: PlacementTest[];
  nextCursor: string | null;
}

export interface PlacementStore {
  list: Remote<TestsPage>;
  /** The test whose report is open. */
  currentId: string | null;
  current: Remote<PlacementTest>;
  schedule: Remote<PlacementSchedule>;
  /** Seeds of the workspace (a test goes to all of them). */
  seeds: Remote<number>;
  actionError: { scope: PlacementScope; error: AppError } | null;
  load(): Promise<void>;
  loadMore(): Promise<void>;
  openTest(id: string): Promise<void>;
  closeTest(): void;
  /** The new test, or null when it was refused. */
  create(input: Input<'placementTests.create'>): Promise<PlacementTest | null>;
  saveSchedule(patch: Input<'placementTests.schedule.update'>): Promise<boolean>;
  exportCsv(id: string): Promise<{ filename: string; csv: string } | null>;
}

const PAGE = 25;
let subscribed = false;
let listSeq = 0;
let testSeq = 0;

export const usePlacement = create<PlacementStore>()((set, get) => {
  const loadList = async () => {
    const mine = ++listSeq;
    const shown = get().list.data?.items.length ?? 0;
    set((s) => ({ list: loading(s.list) }));
    try {
      const page = await client.call('placementTests.list', { limit: Math.min(500, Math.max(PAGE, shown)) });
      if (mine === listSeq) set({ list: ready(page) });
    } catch (err) {
      if (mine === listSeq) set((s) => ({ list: failed(s.list, err) }));
    }
  };
  const loadTest = async (id: string) => {
    const mine = ++testSeq;
    set((s) => ({ current: loading(s.current) }));
    try {
      const t = await client.call('placementTests.get', { id });
      if (mine === testSeq && get().currentId === id) set({ current: ready(t) });
    } catch (err) {
      if (mine === testSeq && get().currentId === id) set((s) => ({ current: failed(s.current, err) }));
    }
  };
  const loadSeeds = async () => {
    set((s) => ({ seeds: loading(s.seeds) }));
    try {
      const page = await client.call('recipients.list', { kind: 'seed', limit: 1 });
      set({ seeds: ready(page.total) });
    } catch (err) {
      set((s) => ({ seeds: failed(s.seeds, err) }));
    }
  };
  const reloadList = throttle(() => void loadList(), 1000);
  const reloadTest = throttle(() => {
    const id = get().currentId;
    if (id) void loadTest(id);
  }, 500);
  const act = scopedAction<PlacementScope>(set);

  return {
    list: idle(),
    currentId: null,
    current: idle(),
    schedule: idle(),
    seeds: idle(),
    actionError: null,

    async load() {
      if (!subscribed) {
        subscribed = true;
        client.on('placementTests.updated', (e) => {
          reloadList();
          if (e.id === get().currentId) reloadTest();
        });
        client.on('recipients.changed', (c) => c.kind === 'seed' && void loadSeeds());
      }
      set((s) => ({ schedule: loading(s.schedule) }));
      await Promise.all([
        loadList(),
        loadSeeds(),
        client.call('placementTests.schedule.get', {}).then(
          (x) => set({ schedule: ready(x) }),
          (err: unknown) => set((s) => ({ schedule: failed(s.schedule, err) })),
        ),
      ]);
    },
    async loadMore() {
      const prev = get().list;
      const cursor = prev.data?.nextCursor;
      if (!cursor) return;
      const mine = ++listSeq;
      set({ list: loading(prev) });
      try {
        const page = await client.call('placementTests.list', { limit: PAGE, cursor });
        if (mine === listSeq) set((s) => ({ list: ready({ items: [...(s.list.data?.items ?? []), ...page.items], nextCursor: page.nextCursor }) }));
      } catch (err) {
        if (mine === listSeq) set((s) => ({ list: failed(s.list, err) }));
      }
    },
    async openTest(id) {
      if (get().currentId !== id) set({ currentId: id, current: idle() });
      await loadTest(id);
    },
    closeTest: () => set({ currentId: null }),

    async create(input) {
      let test: PlacementTest | null = null;
      await act('create', async () => {
        test = await client.call('placementTests.create', input);
        await loadList();
      });
      return test;
    },
    saveSchedule: (patch) => act('schedule', async () => set({ schedule: ready(await client.call('placementTests.schedule.update', patch)) })),
    async exportCsv(id) {
      set({ actionError: null });
      try {
        const { filename, csv } = await client.call('placementTests.export', { id });
        return { filename, csv };
      } catch (err) {
        set({ actionError: { scope: 'export', error: toAppError(err) } });
        return null;
      }
    },
  };
});
