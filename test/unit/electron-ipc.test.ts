// electron/main/ipc.ts over a stand-in `electron` and a fake core: the one invoke channel runs
// calls as the machine's owner in the workspace they name (default: the default one), refuses
// unknown workspaces and odd ids, and the window's events follow its workspace.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PushEvent } from '../../shared/api/events';
import type { CallContext } from '../../electron/core/api/context';
import type { Core } from '../../electron/core/types';

const h = vi.hoisted(() => ({ handlers: new Map<string, (...args: unknown[]) => unknown>() }));

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (...args: unknown[]) => unknown) => h.handlers.set(channel, fn),
    removeHandler: (channel: string) => h.handlers.delete(channel),
  },
}));

const { registerIpcBridge, forwardEvents } = await import('../../electron/main/ipc');

const rendererDir = '/app/out/renderer';
const frame = { parent: null, url: 'file:///app/out/renderer/index.html' };
const calls: Array<[string, CallContext]> = [];
let listener: ((e: PushEvent) => void) | undefined;

const core = {
  defaultWorkspaceId: 'ws_default',
  call: async (method: string, _input: unknown, ctx: CallContext) => {
    calls.push([method, ctx]);
    if (method === 'workspaces.list') return { ok: true, data: [{ id: 'ws_default' }, { id: 'ws_client_b' }] };
    return { ok: true, data: method };
  },
  subscribe: (fn: (e: PushEvent) => void) => ((listener = fn), () => (listener = undefined)),
} as unknown as Core;

const invoke = (method: unknown, input: unknown, workspaceId?: unknown, senderFrame: unknown = frame) =>
  h.handlers.get('kiln:invoke')!({ senderFrame }, method, input, workspaceId) as Promise<{ ok: boolean; error?: { code: string } }>;

beforeEach(() => {
  calls.length = 0;
});

describe('IPC bridge', () => {
  const seen: string[] = [];
  registerIpcBridge({ core: Promise.resolve(core), rendererDir, onWorkspace: (ws) => seen.push(ws) });

  it('runs a call as the owner (admin) in the default workspace when none is named', async () => {
    expect(await invoke('fleet.get', {})).toEqual({ ok: true, data: 'fleet.get' });
    expect(calls.at(-1)).toEqual(['fleet.get', { workspaceId: 'ws_default', scopes: ['admin'], owner: true }]);
    expect(seen.at(-1)).toBe('ws_default');
  });

  it('runs a call in a named workspace that exists, and the window follows it', async () => {
    await invoke('fleet.get', {}, 'ws_client_b');
    expect(calls.at(-1)).toEqual(['fleet.get', { workspaceId: 'ws_client_b', scopes: ['admin'], owner: true }]);
    expect(seen.at(-1)).toBe('ws_client_b');
  });

  it('refuses an unknown workspace, a non-string id, an unknown method and a foreign frame', async () => {
    expect((await invoke('fleet.get', {}, 'ws_nope')).error?.code).toBe('NOT_FOUND');
    expect((await invoke('fleet.get', {}, { id: 'ws_client_b' })).error?.code).toBe('VALIDATION_FAILED');
    expect((await invoke('shell.exec', {})).error?.code).toBe('NOT_FOUND');
    expect((await invoke('fleet.get', {}, undefined, { parent: null, url: 'https://evil.test/' })).error?.code).toBe('FORBIDDEN');
    expect(calls.filter(([m]) => m === 'fleet.get')).toEqual([]);
  });
});

describe('event forwarding', () => {
  it('sends the window only the events of its workspace', () => {
    const sent: unknown[][] = [];
    const win = { isDestroyed: () => false, webContents: { isDestroyed: () => false, send: (...a: unknown[]) => sent.push(a) } };
    let current = 'ws_default';
    const stop = forwardEvents(core, () => win as never, () => current);
    listener!({ workspaceId: 'ws_default', name: 'mailbox.deleted', data: { id: 'a' } });
    listener!({ workspaceId: 'ws_client_b', name: 'mailbox.deleted', data: { id: 'b' } });
    current = 'ws_client_b';
    listener!({ workspaceId: 'ws_client_b', name: 'mailbox.deleted', data: { id: 'c' } });
    expect(sent).toEqual([
      ['kiln:event', 'mailbox.deleted', { id: 'a' }],
      ['kiln:event', 'mailbox.deleted', { id: 'c' }],
    ]);
    stop();
    expect(listener).toBeUndefined();
  });
});
