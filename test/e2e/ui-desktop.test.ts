// The renderer as the desktop app runs it: `window.kiln` is made by the built preload bundle
// (out/preload/index.cjs, evaluated in the page before the app's scripts, as Electron does) over a
// stand-in `contextBridge`/`ipcRenderer` that carries its two channels to the real main-process IPC
// code (electron/main/ipc.ts over a stand-in ipcMain) into a real core on a temp data folder. A
// broken preload therefore breaks these tests. The Electron binary cannot be had here, so this is
// how the desktop path (owner workspaces, events following the window's workspace, stored alerts
// arriving live) runs in real Chromium.
// Pages are served from out/renderer by request interception: no server, no network.
import fs from 'node:fs';
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

const rendererDir = path.resolve('out/renderer');
const ORIGIN = 'http://127.0.0.1:9'; // never contacted: every request is fulfilled from disk
const mime: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

let k: TestCore;
let context: BrowserContext;
let w: WatchedPage;
let stopEvents: () => void;

beforeAll(async () => {
  k = await startTestCore({ warmup: false });
  await k.call('mailboxes.create', { email: 'default-box@warm.test', smtp: { host: '127.0.0.1', port: 9, security: 'none', password: 'x' } });
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
  await context?.close();
  await k?.core.close();
});

const mailboxesIn = () => w.page.getByTestId('mailboxes-table').locator('tbody tr[data-row]');

describe('desktop renderer: workspaces', { timeout: 60_000 }, () => {
  it('opens in the default workspace as the desktop, no token asked', async () => {
    await w.page.goto(`${ORIGIN}/index.html#/mailboxes`);
    await w.page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(await w.page.getByTestId('workspace-name').textContent()).toBe('Default');
    expect(await w.page.locator('.workspace .badge').textContent()).toBe('desktop');
    await expect.poll(() => mailboxesIn().getAttribute('data-mailbox')).toBe('default-box@warm.test');
    expect(await w.page.getByLabel('API token').count()).toBe(0);
  });

  it('adds a workspace for a new client and moves to it: its own empty fleet', async () => {
    await w.page.getByRole('button', { name: 'New workspace' }).click();
    await w.page.getByLabel('Name').fill('Acme Corp');
    await w.page.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => w.page.locator('#workspace-select option:checked').textContent().catch(() => null)).toBe('Acme Corp');
    await w.page.getByRole('link', { name: 'Mailboxes', exact: true }).click();
    await w.page.getByRole('heading', { name: 'No mailboxes yet' }).waitFor();
    const all = await k.call('workspaces.list', {}, { ...k.ctx, owner: true });
    expect(all.map((x) => [x.slug, x.name])).toEqual([
      ['default', 'Default'],
      ['acme-corp', 'Acme Corp'],
    ]);
    await w.screenshot('desktop-new-workspace');
  });

  it("shows a new mailbox of the window's workspace live (pushed, not polled), and only that workspace's fleet", async () => {
    const acme = (await k.call('workspaces.list', {}, { ...k.ctx, owner: true })).find((x) => x.slug === 'acme-corp')!;
    await k.call('mailboxes.create', { email: 'elsewhere@warm.test', smtp: { host: '127.0.0.1', port: 9, security: 'none', password: 'x' } });
    await k.call('mailboxes.create', { email: 'acme-box@warm.test', smtp: { host: '127.0.0.1', port: 9, security: 'none', password: 'x' } }, { workspaceId: acme.id, scopes: ['admin'] });
    await expect.poll(() => mailboxesIn().getAttribute('data-mailbox')).toBe('acme-box@warm.test');
    expect(await mailboxesIn().count()).toBe(1);
  });

  it('switches back to the default workspace, and remembers the choice across a restart', async () => {
    await w.page.getByLabel('Workspace').selectOption({ label: 'Default' });
    await expect.poll(() => w.page.locator('#workspace-select option:checked').textContent().catch(() => null)).toBe('Default');
    await w.page.getByRole('link', { name: 'Mailboxes', exact: true }).click();
    await expect.poll(() => mailboxesIn().count()).toBe(2);
    await w.page.reload();
    await expect.poll(() => w.page.locator('#workspace-select option:checked').textContent().catch(() => null)).toBe('Default');
    expect(w.errors).toEqual([]);
    expect(w.failedRequests).toEqual([]);
  });

  it('shows a stored alert live on the Overview, marks it seen, and drops it when resolved', async () => {
    const p = w.page;
    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
    await p.getByRole('heading', { name: 'Deliverability alerts' }).waitFor();
    await p.getByText('No open alerts').waitFor();
    const ws = k.core.defaultWorkspaceId;
    k.core.services.alerts.raise(ws, { kind: 'blocklist.listed', severity: 'critical', key: 'blocklist:zen.test:192.0.2.1', title: '192.0.2.1 is listed on zen.test', detail: 'SBL: Spamhaus Block List', ip: '192.0.2.1' });
    const item = p.getByTestId('check-alerts').locator('li[data-kind="blocklist.listed"]');
    await item.waitFor();
    expect(await item.textContent()).toContain('192.0.2.1 is listed on zen.test: SBL: Spamhaus Block List');
    await w.screenshot('overview-check-alert');
    await item.getByRole('button', { name: 'Mark "192.0.2.1 is listed on zen.test" as seen' }).click();
    await expect.poll(() => item.textContent()).toContain('seen');
    expect((await k.call('alerts.list', {})).items[0]!.acknowledgedAt).not.toBeNull();
    k.core.services.alerts.resolve(ws, 'blocklist:zen.test:192.0.2.1');
    await p.getByText('No open alerts').waitFor();
    expect(w.errors).toEqual([]);
    expect(w.failedRequests).toEqual([]);
  });
});
