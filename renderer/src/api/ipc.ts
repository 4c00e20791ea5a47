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

export function ipcTransport(bridge: KilnBridge): Transport {
  return {
    invoke: (method, input) => bridge.invoke(method, input),
    on: (event, listener) => bridge.on(event, listener),
  };
}
