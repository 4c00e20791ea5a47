// Pins the preload's surface: `window.kiln` is exactly { invoke, on }, forwards to the one invoke
// channel, and hands listeners the payload only (never the IPC event or ipcRenderer).
import { beforeEach, describe, expect, it, vi } from 'vitest';

type Handler = (...args: unknown[]) => unknown;

const h = vi.hoisted(() => ({
  exposeInMainWorld: vi.fn(),
  invoke: vi.fn(),
  on: vi.fn(),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: h.exposeInMainWorld },
  ipcRenderer: { invoke: h.invoke, on: h.on },
}));

interface Bridge {
  invoke(method: string, input: unknown, workspaceId?: string): Promise<unknown>;
  on(event: string, listener: (data: unknown) => void): () => void;
}

async function loadPreload(): Promise<{ bridge: Bridge; emit: Handler }> {
  vi.resetModules();
  h.exposeInMainWorld.mockClear();
  h.on.mockClear();
  await import('../../electron/preload/index');
  expect(h.exposeInMainWorld).toHaveBeenCalledOnce();
  const [name, bridge] = h.exposeInMainWorld.mock.calls[0] as [string, Bridge];
  expect(name).toBe('kiln');
  expect(h.on).toHaveBeenCalledOnce();
  const [channel, emit] = h.on.mock.calls[0] as [string, Handler];
  expect(channel).toBe('kiln:event');
  return { bridge, emit };
}

beforeEach(() => {
  h.invoke.mockReset();
});

describe('preload bridge', () => {
  it('exposes exactly invoke and on, once, as window.kiln', async () => {
    const { bridge } = await loadPreload();
    expect(Object.keys(bridge)).toEqual(['invoke', 'on']);
    expect(typeof bridge.invoke).toBe('function');
    expect(typeof bridge.on).toBe('function');
  });

  it('forwards invoke to the one invoke channel and returns its envelope', async () => {
    const { bridge } = await loadPreload();
    const envelope = { ok: true, data: { mailboxes: [], alerts: [] } };
    h.invoke.mockResolvedValue(envelope);
    await expect(bridge.invoke('fleet.get', {})).resolves.toBe(envelope);
    expect(h.invoke).toHaveBeenCalledWith('kiln:invoke', 'fleet.get', {}, undefined);
  });

  it('passes a workspace id through, and only a string one', async () => {
    const { bridge } = await loadPreload();
    h.invoke.mockResolvedValue({ ok: true, data: null });
    await bridge.invoke('fleet.get', {}, 'ws_client_b');
    expect(h.invoke).toHaveBeenLastCalledWith('kiln:invoke', 'fleet.get', {}, 'ws_client_b');
    await bridge.invoke('fleet.get', {}, { toString: () => 'ws_x' } as unknown as string);
    expect(h.invoke).toHaveBeenLastCalledWith('kiln:invoke', 'fleet.get', {}, undefined);
  });

  it('delivers the payload only, to listeners of that event, until unsubscribed', async () => {
    const { bridge, emit } = await loadPreload();
    const listener = vi.fn();
    const other = vi.fn();
    const off = bridge.on('warmup.updated', listener);
    bridge.on('mailbox.updated', other);

    const ipcEvent = { sender: 'ipcRenderer stand-in', ports: [] };
    emit(ipcEvent, 'warmup.updated', { mailboxId: 'm1' });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0]).toEqual([{ mailboxId: 'm1' }]);
    expect(other).not.toHaveBeenCalled();

    off();
    emit(ipcEvent, 'warmup.updated', { mailboxId: 'm2' });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('keeps the same function subscribed twice as two subscriptions', async () => {
    const { bridge, emit } = await loadPreload();
    const listener = vi.fn();
    const offFirst = bridge.on('message.updated', listener);
    bridge.on('message.updated', listener);
    offFirst();
    emit({}, 'message.updated', 1);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('rejects a listener that is not a function', async () => {
    const { bridge } = await loadPreload();
    expect(() => bridge.on('warmup.updated', 'nope' as never)).toThrow(TypeError);
  });
});
