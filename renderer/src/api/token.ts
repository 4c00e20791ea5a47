// The web UI's API tokens live in sessionStorage: gone when the tab closes, never in a cookie
// (so no CSRF), never in localStorage (so they do not outlive the session on a shared machine).
// Several tokens may be kept, one per workspace, for the workspace switcher; one is active.
const ACTIVE = 'kiln.token';
const SESSIONS = 'kiln.sessions';

export interface WorkspaceSession {
  workspaceId: string;
  name: string;
  token: string;
}

const memory = new Map<string, string>(); // when sessionStorage is unavailable (some privacy modes)

function read(key: string): string | null {
  try {
    return sessionStorage.getItem(key) ?? memory.get(key) ?? null;
  } catch {
    return memory.get(key) ?? null;
  }
}

function write(key: string, value: string | null): void {
  if (value === null) memory.delete(key);
  else memory.set(key, value);
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, value);
  } catch {
    // memory only
  }
}

export function getToken(): string | null {
  return read(ACTIVE);
}

export function setToken(token: string): void {
  write(ACTIVE, token);
}

/** Forget the active token (and its workspace entry): the next call asks for a token again. */
export function clearToken(): void {
  const token = read(ACTIVE);
  write(ACTIVE, null);
  if (token) write(SESSIONS, JSON.stringify(listSessions().filter((s) => s.token !== token)));
}

export function listSessions(): WorkspaceSession[] {
  try {
    const parsed: unknown = JSON.parse(read(SESSIONS) ?? '[]');
    return Array.isArray(parsed) ? (parsed as WorkspaceSession[]).filter((s) => typeof s?.token === 'string') : [];
  } catch {
    return [];
  }
}

/** Remember the active token as the way into `workspace` (one token per workspace). */
export function rememberSession(workspace: { id: string; name: string }): void {
  const token = getToken();
  if (!token) return;
  const others = listSessions().filter((s) => s.workspaceId !== workspace.id && s.token !== token);
  write(SESSIONS, JSON.stringify([...others, { workspaceId: workspace.id, name: workspace.name, token }]));
}
