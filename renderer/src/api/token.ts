// The web UI's API token lives in sessionStorage: gone when the tab closes, never in a cookie
// (so no CSRF), never in localStorage (so it does not outlive the session on a shared machine).
const KEY = 'kiln.token';
let memory: string | null = null; // when sessionStorage is unavailable (some privacy modes)

export function getToken(): string | null {
  try {
    return sessionStorage.getItem(KEY) ?? memory;
  } catch {
    return memory;
  }
}

export function setToken(token: string): void {
  memory = token;
  try {
    sessionStorage.setItem(KEY, token);
  } catch {
    // memory only
  }
}

export function clearToken(): void {
  memory = null;
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // memory only
  }
}
