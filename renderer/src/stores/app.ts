// App-level state: the connection (a token in the browser, IPC on the desktop), the workspace and
// the workspace switcher. Stores are the only callers of the API client; components read state.
import { create } from 'zustand';
import type { Workspace } from '../../../shared/domain/token';
import { api, methodNames, type MethodName, type Output } from '../../../shared/api/table';
import { allows } from '../../../shared/api/access';
import {
  clearToken,
  client,
  desktopWorkspace,
  setDesktopWorkspace,
  getToken,
  listSessions,
  rememberSession,
  setToken,
  transportKind,
  type TransportKind,
  type WorkspaceSession,
} from '../api';
import { toAppError, type AppError } from './errors';

export type AppStatus = 'idle' | 'needs-token' | 'loading' | 'ready' | 'error';

/** Who this page acts as: the token's name and scopes (the desktop owner holds every scope). */
export type Session = Output<'session.get'>;

export interface AppState {
  transport: TransportKind;
  status: AppStatus;
  workspace: Workspace | null;
  session: Session | null;
  /** Workspaces this browser tab holds a token for (web UI). */
  sessions: WorkspaceSession[];
  /** Every workspace on this Kiln (desktop: its owner may use and add any). */
  workspaces: Workspace[];
  error: AppError | null;
  /** First load: asks for a token in the browser if none is stored. Safe to call twice. */
  start(): Promise<void>;
  submitToken(token: string): Promise<void>;
  /** Ask for a token of another workspace, keeping the current one in the switcher. */
  addWorkspace(): void;
  cancelAddWorkspace(): void;
  switchWorkspace(workspaceId: string): void;
  /** Desktop: add a workspace (e.g. a new client) and move to it. False when refused. */
  createWorkspace(name: string): Promise<boolean>;
  signOut(): void;
  refresh(): Promise<void>;
}

let generation = 0; // drops results of a refresh overtaken by a newer one

export const useAppStore = create<AppState>()((set, get) => ({
  transport: transportKind,
  status: 'idle',
  workspace: null,
  session: null,
  sessions: listSessions(),
  workspaces: [],
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
    const previous = getToken();
    setToken(trimmed);
    if (!get().workspace) {
      await get().refresh();
      return;
    }
    // Adding another workspace: check the token first, then start clean in it (the event stream
    // and every store belong to the current one). A refused token leaves the current one active.
    try {
      rememberSession((await client.call('session.get', {})).workspace);
      location.reload();
    } catch (err) {
      if (previous) setToken(previous);
      set({ error: toAppError(err) });
    }
  },

  addWorkspace() {
    set({ status: 'needs-token', error: null });
  },

  cancelAddWorkspace() {
    if (get().workspace) set({ status: 'ready', error: null });
  },

  switchWorkspace(workspaceId) {
    if (transportKind === 'ipc') {
      // Every store and subscription belongs to the current workspace: start clean in the next.
      if (workspaceId === get().workspace?.id) return;
      setDesktopWorkspace(workspaceId);
      location.reload();
      return;
    }
    const session = listSessions().find((s) => s.workspaceId === workspaceId);
    if (!session || session.token === getToken()) return;
    setToken(session.token);
    location.reload();
  },

  async createWorkspace(name) {
    try {
      const ws = await client.call('workspaces.create', { name });
      get().switchWorkspace(ws.id);
      return true;
    } catch (err) {
      set({ error: toAppError(err) });
      return false;
    }
  },

  signOut() {
    clearToken();
    const next = listSessions()[0];
    if (next) {
      setToken(next.token);
      location.reload();
      return;
    }
    generation++;
    set({ status: 'needs-token', workspace: null, session: null, sessions: [], error: null });
  },

  async refresh() {
    const mine = ++generation;
    set({ status: 'loading', error: null });
    try {
      const session = await client.call('session.get', {});
      const workspaces = allows(session, 'workspaces.list') ? await client.call('workspaces.list', {}) : [];
      if (mine !== generation) return;
      if (transportKind === 'http') rememberSession(session.workspace);
      set({ status: 'ready', workspace: session.workspace, session, sessions: listSessions(), workspaces });
    } catch (err) {
      if (mine !== generation) return;
      const error = toAppError(err);
      // The remembered workspace is gone (another data folder?): back to the default one.
      if (transportKind === 'ipc' && error.code === 'NOT_FOUND' && desktopWorkspace()) {
        setDesktopWorkspace(null);
        await get().refresh();
        return;
      }
      if (transportKind === 'http' && error.code === 'UNAUTHENTICATED') {
        clearToken();
        set({ status: 'needs-token', workspace: null, session: null, sessions: listSessions(), error });
        return;
      }
      set({ status: 'error', error });
    }
  },
}));

/**
 * May this page call `method`? Read from the scope the API table gives it and this session's
 * scopes: stores skip calls the core would refuse, screens hide controls for them.
 */
export const can = (method: MethodName): boolean => allows(useAppStore.getState().session, method);

/** `can` for components: re-renders when the session changes. */
export const useCan = (method: MethodName): boolean => useAppStore((s) => allows(s.session, method));

/** True when this session may call nothing beyond reading (a `read` token): the shell says so. */
export const useReadOnly = (): boolean =>
  useAppStore((s) => s.session !== null && !methodNames.some((m) => api[m].scope !== 'read' && allows(s.session, m)));
