// The preload runs sandboxed (CommonJS, see electron.vite.config.ts): it may only use `electron`'s
// contextBridge + ipcRenderer. It exposes exactly two functions as `window.kiln` and never hands the
// renderer ipcRenderer itself, an IPC event object or a channel name it could choose.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { ipcChannels, type KilnBridge } from '../../shared/api/bridge';
import type { Envelope } from '../../shared/errors';
import type { MethodName } from '../../shared/api/table';
import type { EventName } from '../../shared/api/events';

type Listener = (data: unknown) => void;

// One IPC listener for all push events, fanned out here: no per-subscription ipcRenderer listeners
// (and no MaxListenersExceeded warnings however many components subscribe).
const listeners = new Map<string, Set<Listener>>();

ipcRenderer.on(ipcChannels.event, (_event: IpcRendererEvent, name: unknown, data: unknown) => {
  if (typeof name !== 'string') return;
  const set = listeners.get(name);
  if (!set) return;
  for (const listener of [...set]) {
    try {
      listener(data);
    } catch (err) {
      console.error(`kiln: listener for ${name} failed`, err);
    }
  }
});

function invoke(method: MethodName, input: unknown, workspaceId?: string): Promise<Envelope<unknown>> {
  // Only a string id crosses; anything else means the default workspace (main checks it exists).
  const ws = typeof workspaceId === 'string' ? workspaceId : undefined;
  return ipcRenderer.invoke(ipcChannels.invoke, method, input, ws) as Promise<Envelope<unknown>>;
}

function on(event: EventName, listener: Listener): () => void {
  if (typeof listener !== 'function') throw new TypeError('kiln.on: listener must be a function');
  const set = listeners.get(event) ?? new Set<Listener>();
  listeners.set(event, set);
  // Wrap so the same function subscribed twice gets two independent subscriptions.
  const entry: Listener = (data) => listener(data);
  set.add(entry);
  return () => {
    set.delete(entry);
    if (set.size === 0 && listeners.get(event) === set) listeners.delete(event);
  };
}

const bridge = { invoke, on } satisfies KilnBridge;

contextBridge.exposeInMainWorld('kiln', bridge);
