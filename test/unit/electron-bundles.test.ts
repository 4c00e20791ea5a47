// The built bundles, not the sources: out/main/index.js and out/preload/index.cjs (run
// `npm run build` first) over a stand-in `electron`. The main bundle must start a real core on a
// temp folder, open its window locked down and answer the API table over its one invoke channel;
// the preload bundle must expose the bridge needing nothing but `electron`. A bundling mistake
// (a lost entry, an import the sandbox cannot satisfy, a tree-shaken handler) turns these red.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { methodNames } from '../../shared/api/table';
import { tempDataDir } from '../helpers/kiln';

type Handler = (...args: unknown[]) => unknown;

const h = await vi.hoisted(async () => (await import('../helpers/electron-stand-in')).standInState());

vi.mock('electron', async () => (await import('../helpers/electron-stand-in')).standInElectron(h));

const root = path.resolve('.');
const mainBundle = path.join(root, 'out/main/index.js');
const preloadBundle = path.join(root, 'out/preload/index.cjs');
const signalListeners = () => [...process.listeners('SIGINT'), ...process.listeners('SIGTERM')];
const signalsBefore = signalListeners();

afterAll(() => {
  for (const l of signalListeners()) if (!signalsBefore.includes(l)) process.off('SIGINT', l).off('SIGTERM', l);
});

describe('out/main/index.js under a stand-in electron', { timeout: 30_000 }, () => {
  const frame = { parent: null, url: `file://${path.join(root, 'out/renderer/index.html')}` };
  const invoke = (method: unknown, input: unknown) =>
    h.handlers.get('kiln:invoke')!({ senderFrame: frame }, method, input, undefined) as Promise<{ ok: boolean; data?: unknown; error?: { code: string; message: string } }>;

  it('starts: the sandbox on, one locked-down window on the built preload and page', async () => {
    h.userData = tempDataDir('kiln-bundle');
    h.appRoot = root;
    await import(/* @vite-ignore */ mainBundle);
    await vi.waitFor(() => expect(h.windows).toHaveLength(1));
    expect(h.sandboxEnabled.value).toBe(true);
    const win = h.windows[0]!;
    expect(win.options.webPreferences).toMatchObject({
      preload: preloadBundle,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect(fs.existsSync(preloadBundle)).toBe(true);
    expect(win.loaded).toEqual([path.join(root, 'out/renderer/index.html')]);
  });

  it('answers the API table over its one invoke channel, from the real core it started', async () => {
    expect([...h.handlers.keys()]).toEqual(['kiln:invoke']);
    const fleet = await invoke('fleet.get', {});
    expect(fleet).toMatchObject({ ok: true, data: { mailboxes: [] } });
    expect(fs.existsSync(path.join(h.userData, 'kiln.db'))).toBe(true);
    // Every method of the table is known to the bundle: a bad input is refused by validation,
    // never as an unknown method. Only a name outside the table is unknown.
    for (const method of methodNames) {
      const res = await invoke(method, 42);
      expect([method, res.ok, res.error?.code]).toEqual([method, false, 'VALIDATION_FAILED']);
    }
    expect((await invoke('shell.exec', {})).error?.code).toBe('NOT_FOUND');
  });

  it('closes the core on quit', async () => {
    const event = { preventDefault: vi.fn() };
    h.appOn.get('before-quit')!(event);
    expect(event.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(h.quit.count).toBe(1));
    h.appOn.get('before-quit')!({ preventDefault: vi.fn() });
    expect((await invoke('fleet.get', {})).error?.code).toBe('SHUTTING_DOWN');
  });
});

describe('out/preload/index.cjs as a sandboxed preload', () => {
  it('needs only electron, and exposes exactly { invoke, on } as window.kiln over the two channels', async () => {
    const required: string[] = [];
    const exposed = new Map<string, Record<string, unknown>>();
    const ipcOn = new Map<string, Handler>();
    const invoked: unknown[][] = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (name: string, api: Record<string, unknown>) => exposed.set(name, api) },
      ipcRenderer: {
        on: (channel: string, fn: Handler) => ipcOn.set(channel, fn),
        invoke: (...args: unknown[]) => (invoked.push(args), Promise.resolve({ ok: true, data: 'pong' })),
      },
    };
    const require = (id: string): unknown => {
      required.push(id);
      if (id === 'electron') return electron;
      throw new Error(`a sandboxed preload cannot require ${id}`);
    };
    const module = { exports: {} };
    vm.runInNewContext(fs.readFileSync(preloadBundle, 'utf8'), { require, module, exports: module.exports, console }, { filename: preloadBundle });

    expect(required).toEqual(['electron']);
    expect([...exposed.keys()]).toEqual(['kiln']);
    const kiln = exposed.get('kiln') as { invoke: Handler; on: Handler };
    expect(Object.keys(kiln)).toEqual(['invoke', 'on']);
    await expect(kiln.invoke('fleet.get', {}, 'ws_b')).resolves.toEqual({ ok: true, data: 'pong' });
    expect(invoked).toEqual([['kiln:invoke', 'fleet.get', {}, 'ws_b']]);
    const got: unknown[] = [];
    kiln.on('mailbox.updated', (d: unknown) => got.push(d));
    ipcOn.get('kiln:event')!({ sender: 'stand-in' }, 'mailbox.updated', { id: 'm1' });
    expect(got).toEqual([{ id: 'm1' }]);
  });
});
