// Transport over the Electron preload bridge (`window.kiln`, exactly `{ invoke, on }`).
import type { KilnBridge } from '../../../shared/api/bridge';
import type { Transport } from '../../../shared/api/client';

declare global {
  interface Window {
    /** Present only inside the desktop app (exposed by electron/preload). */
    readonly kiln?: KilnBridge;
  }
}

/** The desktop bridge when running inside Electron, else undefined (a browser on the web UI). */
export function desktopBridge(): KilnBridge | undefined {
  return typeof window === 'undefined' ? undefined : window.kiln;
}

// The desktop's chosen workspace, remembered across restarts (this machine's owner is the only
// user; it is an id, not a secret). Absent: the default workspace.
const WORKSPACE = 'kiln.desktopWorkspace';

export function desktopWorkspace(): string | undefined {
  try {
    return localStorage.getItem(WORKSPACE) ?? undefined;
  } catch {
    return undefined;
  }
}

export function setDesktopWorkspace(id: string | null): void {
  try {
    if (id) localStorage.setItem(WORKSPACE, id);
    else localStorage.removeItem(WORKSPACE);
  } catch {
    // not remembered: the default workspace next time
  }
}

/** Every call names the chosen workspace; the main process checks it and sends its events. */
export function ipcTransport(bridge: KilnBridge): Transport {
  return {
    invoke: (method, input) => bridge.invoke(method, input, desktopWorkspace()),
    on: (event, listener) => bridge.on(event, listener),
  };
}
