// DNS blocklists: the latest verdict per target and zone, "Scan now", and the settings (zones,
// extra and excluded targets, the write-only Spamhaus DQS key). `blocklists.updated` (a scan
// finished, here or on the schedule) refreshes the results.
import { create } from 'zustand';
import type { Input } from '../../../../shared/api/table';
import type { BlocklistOverview, BlocklistSettings } from '../../../../shared/domain/blocklist';
import { client } from '../../api/index';
import { failed, idle, loading, ready, scopedAction, throttle, type AppError, type Remote } from '../../stores/errors';

export type BlocklistScope = 'scan' | 'settings';

export interface BlocklistsStore {
  overview: Remote<BlocklistOverview>;
  settings: Remote<BlocklistSettings>;
  scanning: boolean;
  actionError: { scope: BlocklistScope; error: AppError } | null;
  load(): Promise<void>;
  scan(): Promise<boolean>;
  saveSettings(patch: Input<'blocklists.settings.update'>): Promise<boolean>;
}

let subscribed = false;
let seq = 0;

export const useBlocklists = create<BlocklistsStore>()((set) => {
  const loadOverview = async () => {
    const mine = ++seq;
    set((s) => ({ overview: loading(s.overview) }));
    try {
      const o = await client.call('blocklists.get', {});
      if (mine === seq) set({ overview: ready(o) });
    } catch (err) {
      if (mine === seq) set((s) => ({ overview: failed(s.overview, err) }));
    }
  };
  const reload = throttle(() => void loadOverview(), 1000);
  const act = scopedAction<BlocklistScope>(set);

  return {
    overview: idle(),
    settings: idle(),
    scanning: false,
    actionError: null,

    async load() {
      if (!subscribed) {
        subscribed = true;
        client.on('blocklists.updated', reload);
      }
      set((s) => ({ settings: loading(s.settings) }));
      await Promise.all([
        loadOverview(),
        client.call('blocklists.settings.get', {}).then(
          (x) => set({ settings: ready(x) }),
          (err: unknown) => set((s) => ({ settings: failed(s.settings, err) })),
        ),
      ]);
    },

    async scan() {
      set({ scanning: true });
      const ok = await act('scan', async () => {
        const o = await client.call('blocklists.scan', {});
        ++seq; // an older refetch still on its way must not overwrite this
        set({ overview: ready(o) });
      });
      set({ scanning: false });
      return ok;
    },

    saveSettings: (patch) =>
      act('settings', async () => {
        set({ settings: ready(await client.call('blocklists.settings.update', patch)) });
        // Targets may have changed: their rows follow (verdicts come with the next scan).
        await loadOverview();
      }),
  };
});

