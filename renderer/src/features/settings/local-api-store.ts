// The desktop's local API status (`system.localApi`): read on open, after every preference change
// (the main process starts or stops the server then), and again while it is still starting.
import { create } from 'zustand';
import type { LocalApiStatus } from '../../../../shared/domain/local-api';
import { client } from '../../api/index';
import { failed, idle, loading, ready, type Remote } from '../../stores/errors';

export interface LocalApiStore {
  status: Remote<LocalApiStatus>;
  load(): Promise<void>;
}

let subscribed = false;
let timer: ReturnType<typeof setTimeout> | null = null;

export const useLocalApi = create<LocalApiStore>()((set, get) => ({
  status: idle(),
  async load() {
    if (!subscribed) {
      subscribed = true;
      client.on('preferences.updated', () => void get().load());
    }
    if (timer) clearTimeout(timer);
    set((s) => ({ status: loading(s.status) }));
    try {
      const status = await client.call('system.localApi', {});
      set({ status: ready(status) });
      // Listening takes a moment; look again until it is on or refused.
      if (status.state === 'starting') timer = setTimeout(() => void get().load(), 300);
    } catch (err) {
      set((s) => ({ status: failed(s.status, err) }));
    }
  },
}));
