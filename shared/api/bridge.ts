import type { Envelope } from '../errors';
import type { MethodName } from './table';
import type { EventName } from './events';

// The whole surface the Electron preload exposes to the renderer as `window.kiln`: two functions,
// nothing else. It is structurally a `Transport` (see ./client), so the renderer passes it straight
// to `createClient`. The main process checks every method name against the API table again: the
// renderer is never trusted to send a valid one.

export interface KilnBridge {
  /**
   * Run one API method in a workspace of this Kiln (default: the default workspace); the window's
   * push events follow the workspace its calls name. Never rejects for API errors: they come back
   * in the envelope.
   */
  invoke(method: MethodName, input: unknown, workspaceId?: string): Promise<Envelope<unknown>>;
  /** Listen to one push event; the listener receives the payload only (never the IPC event). Returns an unsubscribe. */
  on(event: EventName, listener: (data: unknown) => void): () => void;
}

/** IPC channel names shared by electron/main and electron/preload (renderer code never sees them). */
export const ipcChannels = {
  /** renderer → main, `ipcRenderer.invoke(invoke, method, input, workspaceId?)` → Envelope */
  invoke: 'kiln:invoke',
  /** main → renderer, `webContents.send(event, name, data)` */
  event: 'kiln:event',
} as const;
