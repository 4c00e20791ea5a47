// App-level state for the placeholder page: connection, workspace, mailbox count. Stores are the
// only callers of the API client; components read state and call actions.
import { create } from 'zustand';
import { isKilnError } from '../../../shared/errors';
import type { Workspace } from '../../../shared/domain/token';
import { clearToken, client, getToken, setToken, transportKind, type TransportKind } from '../api';

export type AppStatus = 'idle' | 'needs-token' | 'loading' | 'ready' | 'error';

export interface AppError {
  code: string;
  message: string;
}

export interface AppState {
  transport: TransportKind;
  status: AppStatus;
  workspace: Workspace | null;
  mailboxCount: number | null;
  error: AppError | null;
  /** First load: asks for a token in the browser if none is stored. Safe to call twice. */
  start(): Promise<void>;
  submitToken(token: string): Promise<void>;
  signOut(): void;
  refresh(): Promise<void>;
}

function toAppError(err: unknown): AppError {
  if (isKilnError(err)) return { code: err.code, message: err.message };
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}

let unsubscribe: (() => void) | null = null;
let generation = 0; // drops results of a refresh overtaken by a newer one

export const useAppStore = create<AppState>()((set, get) => {
  const subscribe = (): void => {
    if (unsubscribe) return;
    const reloadMailboxes = (): void => {
      void client.call('mailboxes.list', {}).then(
        (list) => set({ mailboxCount: list.length }),
        () => undefined, // the next full refresh reports errors
      );
    };
    const offs = [client.on('mailbox.updated', reloadMailboxes), client.on('mailbox.deleted', reloadMailboxes)];
    unsubscribe = () => offs.forEach((off) => off());
  };

  return {
    transport: transportKind,
    status: 'idle',
    workspace: null,
    mailboxCount: null,
    error: null,

    async start() {
      if (get().status !== 'idle') return;
      if (transportKind === 'http' && !getToken()) {
        set({ status: 'needs-token' });
        return;
      }
      await get().refresh();
    },

    async submitToken(token) {
      const trimmed = token.trim();
      if (!trimmed) {
        set({ error: { code: 'VALIDATION_FAILED', message: 'Enter an API token' } });
        return;
      }
      setToken(trimmed);
      await get().refresh();
    },

    signOut() {
      clearToken();
      unsubscribe?.();
      unsubscribe = null;
      generation++;
      set({ status: 'needs-token', workspace: null, mailboxCount: null, error: null });
    },

    async refresh() {
      const mine = ++generation;
      set({ status: 'loading', error: null });
      try {
        const [workspace, mailboxes] = await Promise.all([
          client.call('workspace.get', {}),
          client.call('mailboxes.list', {}),
        ]);
        if (mine !== generation) return;
        set({ status: 'ready', workspace, mailboxCount: mailboxes.length });
        subscribe();
      } catch (err) {
        if (mine !== generation) return;
        const error = toAppError(err);
        if (transportKind === 'http' && error.code === 'UNAUTHENTICATED') {
          clearToken();
          set({ status: 'needs-token', workspace: null, mailboxCount: null, error });
          return;
        }
        set({ status: 'error', error });
      }
    },
  };
});
