// One OAuth sign-in at a time, for the add-mailbox dialog and Reconnect: start it (the flow this
// page uses), open the provider's page in a new tab unless the desktop opened the system browser,
// poll about once a second until it ends, and cancel it when the dialog closes before a mailbox
// took the grant (the core then drops the grant and closes its listener).
import { create } from 'zustand';
import type { OAuthApp, OAuthProvider, SignIn } from '../../../shared/domain/oauth';
import { client, transportKind } from '../api';
import { appsOf, flowFor, pollSignIn } from '../lib/sign-in';
import { toAppError, type AppError } from './errors';

export interface SignInStore {
  /** The workspace's OAuth apps (null until loaded): none of a provider means "set one up first". */
  apps: OAuthApp[] | null;
  /** Set instead of a sign-in when the provider has no app (none: link to Settings) or several (the user picks one). */
  need: { provider: OAuthProvider; apps: OAuthApp[] } | null;
  current: SignIn | null;
  starting: boolean;
  error: AppError | null;
  loadApps(): Promise<void>;
  /** Start with the provider's one app, or say there is none or several (`need`). */
  begin(input: { provider: OAuthProvider; loginHint?: string; mailboxId?: string }): Promise<void>;
  start(input: { provider: OAuthProvider; appId?: string; loginHint?: string; mailboxId?: string }): Promise<void>;
  /** The dialog closed or the user chose another way: stop polling, and cancel unless a mailbox took the grant. */
  abandon(): void;
  /** A mailbox took the grant: forget it without cancelling. */
  used(): void;
}

// Bumped by every start and abandon: a poll loop of an older generation stops.
let generation = 0;
const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const useSignIn = create<SignInStore>()((set, get) => ({
  apps: null,
  need: null,
  current: null,
  starting: false,
  error: null,

  async loadApps() {
    try {
      set({ apps: await client.call('oauthApps.list', {}) });
    } catch (err) {
      set({ error: toAppError(err) });
    }
  },

  async begin(input) {
    get().abandon();
    // Read again each time: an app added in Settings meanwhile counts.
    await get().loadApps();
    const apps = appsOf(get().apps ?? [], input.provider);
    if (get().error) return;
    if (apps.length !== 1) set({ need: { provider: input.provider, apps } });
    else await get().start({ ...input, appId: apps[0]!.id });
  },

  async start(input) {
    get().abandon();
    const mine = ++generation;
    set({ starting: true, error: null, current: null, need: null });
    try {
      const first = await client.call('oauthSignIns.start', { ...input, flow: flowFor(transportKind) });
      if (mine !== generation) return;
      set({ current: first, starting: false });
      // Still within the click's user activation, so the browser lets the tab open; the panel links it too.
      if (first.url && !first.browserOpened) window.open(first.url, '_blank', 'noopener');
      await pollSignIn(first, {
        get: (id) => client.call('oauthSignIns.get', { id }),
        wait,
        stopped: () => mine !== generation,
        onUpdate: (current) => set({ current }),
      });
    } catch (err) {
      if (mine === generation) set({ error: toAppError(err) });
    } finally {
      if (mine === generation) set({ starting: false });
    }
  },

  abandon() {
    generation++;
    const s = get().current;
    set({ current: null, starting: false, error: null, need: null });
    if (s && (s.status === 'waiting' || s.status === 'signedIn')) void client.call('oauthSignIns.cancel', { id: s.id }).catch(() => undefined);
  },

  used() {
    generation++;
    set({ current: null, starting: false, error: null, need: null });
  },
}));
