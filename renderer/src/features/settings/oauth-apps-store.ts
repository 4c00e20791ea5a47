// The workspace's OAuth apps (Settings → OAuth apps): list, add or replace, remove. A removal the
// core refuses (CONFLICT: mailboxes still sign in with the app) is kept per app so its row says
// which mailboxes; a refused save stays with the form.
import { create } from 'zustand';
import type { Input } from '../../../../shared/api/table';
import type { OAuthApp } from '../../../../shared/domain/oauth';
import { client } from '../../api/index';
import { failed, idle, loading, ready, scopedAction, type AppError, type Remote } from '../../stores/errors';

export interface OAuthAppsStore {
  apps: Remote<OAuthApp[]>;
  busy: Record<string, boolean>;
  /** The last failed action: 'save' or an app id. */
  actionError: { scope: string; error: AppError } | null;
  load(): Promise<void>;
  save(input: Input<'oauthApps.set'>): Promise<boolean>;
  remove(id: string): Promise<boolean>;
  clearError(): void;
}

let seq = 0;

export const useOAuthApps = create<OAuthAppsStore>()((set, get) => {
  const run = scopedAction<string>(set);
  // The shared runner, plus a busy flag per app so only that row's buttons wait.
  const act = async (scope: string, fn: () => Promise<unknown>): Promise<boolean> => {
    set((s) => ({ busy: { ...s.busy, [scope]: true } }));
    try {
      return await run(scope, fn);
    } finally {
      set((s) => ({ busy: { ...s.busy, [scope]: false } }));
    }
  };
  return {
    apps: idle(),
    busy: {},
    actionError: null,
    async load() {
      const mine = ++seq;
      set((s) => ({ apps: loading(s.apps) }));
      try {
        const apps = await client.call('oauthApps.list', {});
        if (mine === seq) set({ apps: ready(apps) });
      } catch (err) {
        if (mine === seq) set((s) => ({ apps: failed(s.apps, err) }));
      }
    },
    save: (input) =>
      act('save', async () => {
        await client.call('oauthApps.set', input);
        await get().load();
      }),
    remove: (id) =>
      act(id, async () => {
        await client.call('oauthApps.remove', { id });
        await get().load();
      }),
    clearError: () => set({ actionError: null }),
  };
});
