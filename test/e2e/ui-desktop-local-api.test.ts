// The desktop's Settings switch for the local API, in real Chromium as the desktop runs it: the
// built preload over stand-in IPC into the real main-process IPC code and a real core, with the
// main process's local API controller following the preference (electron/main/local-api.ts).
// Turning it on in Settings shows its URL and port, and the server answers there; off, it stops.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { startTestCore, type TestCore } from '../helpers/core';
import { launchBrowser, watchedPage, type WatchedPage } from '../helpers/browser';

const h = vi.hoisted(() => ({ handlers: new Map<string, (...args: unknown[]) => unknown>() }));
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (...args: unknown[]) => unknown) => h.handlers.set(channel, fn),
    removeHandler: (channel: string) => h.handlers.delete(channel),
  },
}));
const { registerIpcBridge, forwardEvents } = await import('../../electron/main/ipc');
const { startLocalApi } = await import('../../electron/main/local-api');

const rendererDir = path.resolve('out/renderer');
const ORIGIN = 'http://127.0.0.1:9'; // never contacted: every request is fulfilled from disk
const mime: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

let k: TestCore;
let context: BrowserContext;
let w: WatchedPage;
let stopEvents: () => void;
let localApi: ReturnType<typeof startLocalApi> | null = null;

beforeAll(async () => {
  k = await startTestCore({ warmup: false, localApi: () => localApi!.api.status });
  localApi = startLocalApi(k.core, { staticDir: rendererDir, dataDir: k.dataDir });
  let windowWorkspace: string | null = null;
  registerIpcBridge({ core: Promise.resolve(k.core), rendererDir, onWorkspace: (ws) => (windowWorkspace = ws) });
  context = await launchBrowser();
  w = await watchedPage(context);
  await context.route(`${ORIGIN}/**`, async (route) => {
    const rel = new URL(route.request().url()).pathname.replace(/^\/+/, '') || 'index.html';
    const file = path.join(rendererDir, rel);
    if (!file.startsWith(rendererDir) || !fs.existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ status: 200, contentType: mime[path.extname(file)] ?? 'application/octet-stream', body: fs.readFileSync(file) });
  });
  // ipcRenderer.invoke(channel, ...args) reaches the handler main registered for that channel.
  const frame = { parent: null, url: `file://${rendererDir}/index.html` };
  await w.page.exposeFunction('__kilnIpcInvoke', (channel: string, ...args: unknown[]) => {
    const handler = h.handlers.get(channel);
    if (!handler) throw new Error(`No handler for ${channel}`);
    return handler({ senderFrame: frame }, ...args);
  });
  const preloadSource = fs.readFileSync(path.resolve('out/preload/index.cjs'), 'utf8');
  await w.page.addInitScript(() => {
    const g = window as unknown as Record<string, unknown>;
    const ipcListeners = new Map<string, Array<(...a: unknown[]) => void>>();
    // webContents.send(channel, ...args) from main lands here.
    g.__kilnIpcEmit = (channel: string, args: unknown[]) => ipcListeners.get(channel)?.forEach((fn) => fn({ sender: null }, ...args));
    const electron = {
      contextBridge: { exposeInMainWorld: (name: string, api: unknown) => Object.defineProperty(window, name, { value: Object.freeze(api), enumerable: true }) },
      ipcRenderer: {
        invoke: (channel: string, ...args: unknown[]) => (g.__kilnIpcInvoke as (...a: unknown[]) => Promise<unknown>)(channel, ...args),
        on: (channel: string, fn: (...a: unknown[]) => void) => void ipcListeners.set(channel, [...(ipcListeners.get(channel) ?? []), fn]),
      },
    };
    g.__kilnPreloadRequire = (id: string): unknown => {
      if (id === 'electron') return electron;
      throw new Error(`a sandboxed preload cannot require ${id}`);
    };
  });
  // The bundle itself, as Electron wraps a CommonJS preload (no eval: the page's CSP forbids it).
  await w.page.addInitScript({ content: `(function (require, module, exports) {\n${preloadSource}\n})(window.__kilnPreloadRequire, { exports: {} }, {});` });
  const win = {
    isDestroyed: () => false,
    webContents: { isDestroyed: () => false, send: (channel: string, ...args: unknown[]) => void w.page.evaluate(([c, a]) => (window as unknown as { __kilnIpcEmit: (c: unknown, a: unknown) => void }).__kilnIpcEmit(c, a), [channel, args] as const).catch(() => undefined) },
  };
  stopEvents = forwardEvents(k.core, () => win as never, () => windowWorkspace ?? k.core.defaultWorkspaceId);
}, 60_000);

afterAll(async () => {
  stopEvents?.();
  localApi?.unsubscribe();
  await localApi?.api.stop();
  await context?.close();
  await k?.core.close();
});


async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

describe('desktop renderer: the local API switch', { timeout: 60_000 }, () => {
  it('is off; on, Settings shows its URL and port and it answers there; off again, it stops', async () => {
    const p = w.page;
    await p.goto(`${ORIGIN}/index.html#/settings`);
    const section = p.getByTestId('local-api');
    const status = section.getByTestId('local-api-status');
    await expect.poll(() => status.getAttribute('data-state')).toBe('off');
    const toggle = section.getByLabel(/Serve the API and web UI on this computer/);
    expect(await toggle.isChecked()).toBe(false);

    const port = await freePort();
    await section.getByLabel('Port', { exact: true }).fill(String(port));
    await section.getByRole('button', { name: 'Save port' }).click();
    await expect.poll(async () => (await k.call('preferences.get', {})).desktop.localApi).toEqual({ enabled: false, port });
    await toggle.check();
    await expect.poll(() => status.getAttribute('data-state')).toBe('on');
    expect(await status.textContent()).toContain(`Listening at http://127.0.0.1:${port} (port ${port})`);
    await w.screenshot('settings-local-api-on');
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/fleet`)).status).toBe(401);

    await toggle.uncheck();
    await expect.poll(() => status.getAttribute('data-state')).toBe('off');
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    expect(w.errors).toEqual([]);
    expect(w.failedRequests).toEqual([]);
  });
});
