// The one IPC bridge: `kiln:invoke` dispatches the shared API table to the core, `kiln:event`
// carries the core's push events to the window. No other channel exists, and no business logic
// lives here: validation, authorisation and errors are the core's (`core.call` never throws).
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { ipcChannels } from '../../shared/api/bridge';
import { methodNames, type MethodName } from '../../shared/api/table';
import type { ErrorCode, Envelope } from '../../shared/errors';
import type { Core } from '../core/types';
import { isAppUrl } from './security';
import { localContext } from './call-core';

const knownMethods: ReadonlySet<string> = new Set<string>(methodNames);

function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && knownMethods.has(value);
}

function failure(code: ErrorCode, message: string): Envelope<never> {
  return { ok: false, error: { code, message } };
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export interface IpcBridgeOptions {
  /** Resolves once the core has started; rejects if it could not start. */
  core: Promise<Core>;
  /** out/renderer: only the app's own top-level page may call in. */
  rendererDir: string;
  /** Told the workspace each call names: the window works in it, so its events follow. */
  onWorkspace?: (workspaceId: string) => void;
}

async function workspaceExists(core: Core, id: string): Promise<boolean> {
  const res = await core.call('workspaces.list', {}, localContext(core));
  return res.ok && (res.data as Array<{ id: string }>).some((w) => w.id === id);
}

/** Register the invoke handler. Returns a function that removes it. */
export function registerIpcBridge(opts: IpcBridgeOptions): () => void {
  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame;
    return frame !== null && frame.parent === null && isAppUrl(frame.url, opts.rendererDir);
  };

  ipcMain.handle(ipcChannels.invoke, async (event, method: unknown, input: unknown, workspaceId: unknown): Promise<Envelope<unknown>> => {
    if (!trusted(event)) return failure('FORBIDDEN', 'This frame may not call Kiln');
    if (workspaceId !== undefined && (typeof workspaceId !== 'string' || workspaceId.length > 64)) return failure('VALIDATION_FAILED', 'workspaceId must be a workspace id');
    if (!isMethodName(method)) {
      return failure('NOT_FOUND', `Unknown method: ${typeof method === 'string' ? method.slice(0, 100) : typeof method}`);
    }
    let core: Core;
    try {
      core = await opts.core;
    } catch (err) {
      return failure('NOT_READY', `Kiln could not start: ${describe(err)}`);
    }
    try {
      // The desktop user owns the machine: admin and owner in the workspace the window works in.
      const ws = workspaceId ?? core.defaultWorkspaceId;
      if (ws !== core.defaultWorkspaceId && !(await workspaceExists(core, ws))) return failure('NOT_FOUND', 'No such workspace on this Kiln');
      opts.onWorkspace?.(ws);
      return await core.call(method, input ?? {}, localContext(core, ws));
    } catch (err) {
      console.error(`kiln: ${method} threw instead of returning an envelope`, err);
      return failure('INTERNAL', 'Internal error');
    }
  });
  return () => ipcMain.removeHandler(ipcChannels.invoke);
}

/**
 * Forward the core's push events of the window's workspace (the one its calls name, the default
 * until then) to the window (whichever window is current: it may be recreated on macOS).
 * Returns the unsubscribe.
 */
export function forwardEvents(core: Core, getWindow: () => BrowserWindow | null, getWorkspace: () => string = () => core.defaultWorkspaceId): () => void {
  return core.subscribe((event) => {
    if (event.workspaceId !== getWorkspace()) return;
    const win = getWindow();
    if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return;
    try {
      win.webContents.send(ipcChannels.event, event.name, event.data);
    } catch (err) {
      // Only a payload that cannot be structured-cloned lands here: a core bug, not a reason to stop.
      console.error(`kiln: could not forward ${event.name}`, err);
    }
  });
}
