// Settings: API tokens (a new secret is held here until its dialog closes, then dropped), system
// status, workspace warmup settings and preferences.
import { create } from 'zustand';
import type { Input, Output } from '../../../shared/api/table';
import type { ApiToken, CreatedToken } from '../../../shared/domain/token';
import type { Preferences } from '../../../shared/domain/preferences';
import type { WarmupSettings } from '../../../shared/domain/warmup';
import { client } from '../api';
import { failed, idle, loading, ready, toAppError, type AppError, type Remote } from './errors';

export interface SettingsStore {
  tokens: Remote<ApiToken[]>;
  status: Remote<Output<'system.status'>>;
  warmup: Remote<WarmupSettings>;
  preferences: Remote<Preferences>;
  /** The secret of the token just created: shown once, cleared on close. */
  created: CreatedToken | null;
  actionError: AppError | null;
  load(): Promise<void>;
  createToken(name: string, scopes: Input<'tokens.create'>['scopes']): Promise<boolean>;
  forgetCreated(): void;
  revokeToken(id: string): Promise<void>;
  updateWarmup(input: Input<'warmup.settings.update'>): Promise<boolean>;
  updatePreferences(input: Input<'preferences.update'>): Promise<boolean>;
}

let subscribed = false;

export const useSettings = create<SettingsStore>()((set) => {
  const fetchInto = async <K extends 'tokens' | 'status' | 'warmup' | 'preferences'>(key: K, call: () => Promise<NonNullable<SettingsStore[K]['data']>>) => {
    set((s) => ({ [key]: loading(s[key] as Remote<unknown>) }) as Partial<SettingsStore>);
    try {
      const data = await call();
      set({ [key]: ready(data) } as Partial<SettingsStore>);
    } catch (err) {
      set((s) => ({ [key]: failed(s[key] as Remote<unknown>, err) }) as Partial<SettingsStore>);
    }
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
  const loadTokens = () => fetchInto('tokens', () => client.call('tokens.list', {}));
  return {
    tokens: idle(),
    status: idle(),
    warmup: idle(),
    preferences: idle(),
    created: null,
    actionError: null,
    async load() {
      if (!subscribed) {
        subscribed = true;
        client.on('preferences.updated', (p) => set({ preferences: ready(p) }));
      }
      await Promise.all([
        loadTokens(),
        fetchInto('status', () => client.call('system.status', {})),
        fetchInto('warmup', () => client.call('warmup.settings.get', {})),
        fetchInto('preferences', () => client.call('preferences.get', {})),
      ]);
    },
    createToken: (name, scopes) =>
      act(async () => {
        set({ created: await client.call('tokens.create', { name, scopes }) });
        await loadTokens();
      }),
    forgetCreated: () => set({ created: null }),
    revokeToken: async (id) => void (await act(() => client.call('tokens.revoke', { id }).then(loadTokens))),
    updateWarmup: (input) => act(async () => set({ warmup: ready(await client.call('warmup.settings.update', input)) })),
    updatePreferences: (input) => act(async () => set({ preferences: ready(await client.call('preferences.update', input)) })),
  };
});
