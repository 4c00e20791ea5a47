// Settings: API tokens (a new token's secret is held here until its dialog closes, then dropped),
// system status, the workspace's warmup settings and its preferences (live on `preferences.updated`).
import { create } from 'zustand';
import type { Input, Output } from '../../../../shared/api/table';
import type { ApiToken, CreatedToken } from '../../../../shared/domain/token';
import type { Preferences } from '../../../../shared/domain/preferences';
import type { WarmupSettings } from '../../../../shared/domain/warmup';
import { client, getToken } from '../../api/index';
import { can } from '../../stores/app';
import { failed, idle, loading, ready, scopedAction, type AppError, type Remote } from '../../stores/errors';

export type SettingsScope = 'tokens' | 'warmup' | 'preferences' | 'engagement';
export type SystemStatus = Output<'system.status'>;

export interface SettingsStore {
  tokens: Remote<ApiToken[]>;
  status: Remote<SystemStatus>;
  warmup: Remote<WarmupSettings>;
  preferences: Remote<Preferences>;
  /** The token just created, secret included: shown once, dropped when its dialog closes. */
  created: CreatedToken | null;
  /** The last failed change, with the section it belongs to. */
  actionError: { scope: SettingsScope; error: AppError } | null;
  load(): Promise<void>;
  loadTokens(): Promise<void>;
  loadStatus(): Promise<void>;
  loadWarmup(): Promise<void>;
  loadPreferences(): Promise<void>;
  createToken(input: Input<'tokens.create'>): Promise<boolean>;
  forgetCreated(): void;
  revokeToken(id: string): Promise<boolean>;
  updateWarmup(input: Input<'warmup.settings.update'>): Promise<boolean>;
  updatePreferences(input: Input<'preferences.update'>): Promise<boolean>;
  /** The engagement consent (a part of the preferences), with its errors kept to its own section. */
  updateEngagement(engagement: NonNullable<Input<'preferences.update'>['engagement']>): Promise<boolean>;
  /** Whether this browser tab signed in with the token of this prefix (revoking it signs the tab out). */
  usedHere(prefix: string): boolean;
}

type Loadable = 'tokens' | 'status' | 'warmup' | 'preferences';
let subscribed = false;
/** Counts `preferences.updated` events: an update's answer older than the latest event is dropped. */
let preferencesSeen = 0;

export const useSettings = create<SettingsStore>()((set, get) => {
  const fetchInto = async <K extends Loadable>(key: K, call: () => Promise<NonNullable<SettingsStore[K]['data']>>): Promise<void> => {
    set((s) => ({ [key]: loading(s[key] as Remote<unknown>) }) as Partial<SettingsStore>);
    try {
      const data = await call();
      set({ [key]: ready(data) } as Partial<SettingsStore>);
    } catch (err) {
      set((s) => ({ [key]: failed(s[key] as Remote<unknown>, err) }) as Partial<SettingsStore>);
    }
  };
  const act = scopedAction<SettingsScope>(set);

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
        // Another window (or the API) changed them: every open Settings screen follows.
        client.on('preferences.updated', (p) => {
          preferencesSeen++;
          set({ preferences: ready(p) });
        });
      }
      set({ actionError: null });
      await Promise.all([get().loadTokens(), get().loadStatus(), get().loadWarmup(), get().loadPreferences()]);
    },
    // Tokens are listed to admins only: a read-only session does not ask (and is not refused).
    loadTokens: async () => {
      if (can('tokens.list')) await fetchInto('tokens', () => client.call('tokens.list', {}));
    },
    loadStatus: () => fetchInto('status', () => client.call('system.status', {})),
    loadWarmup: () => fetchInto('warmup', () => client.call('warmup.settings.get', {})),
    loadPreferences: () => fetchInto('preferences', () => client.call('preferences.get', {})),

    createToken: (input) =>
      act('tokens', async () => {
        set({ created: await client.call('tokens.create', input) });
        await get().loadTokens();
      }),
    forgetCreated: () => set({ created: null }),
    revokeToken: (id) => act('tokens', () => client.call('tokens.revoke', { id }).then(() => get().loadTokens())),
    updateWarmup: (input) => act('warmup', async () => set({ warmup: ready(await client.call('warmup.settings.update', input)) })),
    // The answer can arrive after an event for a later change made elsewhere; the event wins then.
    updatePreferences: (input) =>
      act('preferences', async () => {
        const seen = preferencesSeen;
        const next = await client.call('preferences.update', input);
        if (seen === preferencesSeen) set({ preferences: ready(next) });
      }),
    // A checkbox answers at once: the change shows while it is saved, and is taken back if refused.
    updateEngagement: async (engagement) => {
      const before = get().preferences.data;
      if (before) set({ preferences: ready({ ...before, engagement: { ...before.engagement, ...engagement } }) });
      const ok = await act('engagement', async () => {
        const seen = preferencesSeen;
        const next = await client.call('preferences.update', { engagement });
        if (seen === preferencesSeen) set({ preferences: ready(next) });
      });
      if (!ok && before && get().preferences.data?.engagement.otherKilnMail !== before.engagement.otherKilnMail) set({ preferences: ready(before) });
      return ok;
    },
    usedHere: (prefix) => getToken()?.startsWith(prefix) ?? false,
  };
});
