// DKIM signing keys of the workspace: each with the TXT record to publish; add (Kiln makes the
// key), check DNS (a pending key signs once its record is seen) and delete. The private half
// never reaches the UI.
import { create } from 'zustand';
import type { DkimKey } from '../../../../shared/domain/dkim';
import { client } from '../../api/index';
import { failed, idle, loading, ready, toAppError, type AppError, type Remote } from '../../stores/errors';

export interface DkimStore {
  keys: Remote<DkimKey[]>;
  actionError: AppError | null;
  load(): Promise<void>;
  create(domain: string, selector: string): Promise<boolean>;
  remove(id: string): Promise<boolean>;
  check(id: string): Promise<boolean>;
}

export const useDkim = create<DkimStore>()((set, get) => {
  const act = async (fn: () => Promise<unknown>): Promise<boolean> => {
    set({ actionError: null });
    try {
      await fn();
      await get().load();
      return true;
    } catch (err) {
      set({ actionError: toAppError(err) });
      return false;
    }
  };
  return {
    keys: idle(),
    actionError: null,
    async load() {
      set((s) => ({ keys: loading(s.keys) }));
      try {
        set({ keys: ready(await client.call('dkim.list', {})) });
      } catch (err) {
        set((s) => ({ keys: failed(s.keys, err) }));
      }
    },
    create: (domain, selector) => act(() => client.call('dkim.create', { domain: domain.trim(), selector: selector.trim() || undefined })),
    remove: (id) => act(() => client.call('dkim.delete', { id })),
    check: (id) => act(() => client.call('dkim.check', { id })),
  };
});
