// electron/main/index.ts over a stand-in `electron` and a fake core: the single-instance lock,
// the tray started after the core, and what closing the last window does (stay in the tray when
// preferences.desktop.runInBackground is on, quit otherwise, macOS keeps its convention).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import type { PushEvent } from '../../shared/api/events';
import type { Envelope } from '../../shared/errors';
import type { Core } from '../../electron/core/types';

type Handler = (...args: unknown[]) => unknown;

const h = vi.hoisted(() => ({
  lock: true,
  appOn: new Map<string, Handler>(),
  quit: vi.fn(),
  windows: [] as Array<{ handlers: Map<string, Handler>; destroyed: boolean }>,
  trays: [] as Array<{ menu: MenuItemConstructorOptions[]; destroyed: boolean }>,
  shown: [] as string[],
  createCore: vi.fn(),
}));

vi.mock('electron', () => {
  const stub = () => undefined;
  class BrowserWindow {
    readonly handlers = new Map<string, Handler>();
    destroyed = false;
    readonly webContents = { on: stub, isDestroyed: () => false, send: stub };
    constructor() {
      h.windows.push(this);
    }
    on = (name: string, fn: Handler) => this.handlers.set(name, fn);
    once = stub;
    loadFile = () => Promise.resolve();
    isDestroyed = () => this.destroyed;
  }
  class Tray {
    menu: MenuItemConstructorOptions[] = [];
    destroyed = false;
    constructor() {
      h.trays.push(this);
    }
    setToolTip = stub;
    setContextMenu = (menu: MenuItemConstructorOptions[]) => (this.menu = menu);
    on = stub;
    destroy = () => (this.destroyed = true);
  }
  class Notification {
    constructor(readonly opts: { title: string }) {}
    static isSupported = () => true;
    on = stub;
    close = stub;
    show = () => h.shown.push(this.opts.title);
  }
  const image = { isEmpty: () => false, resize: () => image };
  const app = {
    requestSingleInstanceLock: () => h.lock,
    on: (name: string, fn: Handler) => h.appOn.set(name, fn),
    whenReady: () => Promise.resolve(),
    isReady: () => true,
    quit: h.quit,
    exit: vi.fn(),
    getPath: () => '/tmp/kiln-test-data', getAppPath: () => '/src/kiln', isPackaged: false,
    enableSandbox: stub, setAppUserModelId: stub, setLoginItemSettings: stub,
  };
  const webRequest = { onBeforeRequest: stub, onHeadersReceived: stub };
  const defaultSession = { setPermissionRequestHandler: stub, setPermissionCheckHandler: stub, setDevicePermissionHandler: stub, webRequest };
  return {
    app, BrowserWindow, Tray, Notification,
    Menu: { buildFromTemplate: (t: MenuItemConstructorOptions[]) => t },
    nativeImage: { createFromPath: () => image },
    dialog: { showErrorBox: vi.fn() },
    ipcMain: { handle: stub, removeHandler: stub },
    session: { defaultSession },
  };
});
vi.mock('../../electron/core/app', () => ({ createCore: h.createCore }));
vi.mock('../../electron/main/secret-choice', () => ({ chooseSecretStore: () => ({ store: undefined, reason: 'test' }) }));

function fakeCore(runInBackground: boolean) {
  const listeners = new Set<(e: PushEvent) => void>();
  const desktop = { startAtLogin: false, runInBackground, notifications: true, localApi: { enabled: false, port: 7421 } };
  const call = vi.fn(async (method: string): Promise<Envelope<unknown>> => {
    if (method === 'fleet.get') return { ok: true, data: { mailboxes: [], alerts: [] } };
    if (method === 'preferences.get') return { ok: true, data: { defaultPreset: 'standard', defaultTimeZone: null, desktop } };
    return { ok: true, data: { count: 0 } };
  });
  // What the local API reads of the core's internals (it stays off here).
  const services = { log: { info: vi.fn(), warn: vi.fn() }, config: { version: 'test' } };
  const core: Core & { services: typeof services } = {
    services,
    defaultWorkspaceId: 'ws-1', call, authenticate: vi.fn(), metrics: vi.fn(), ready: vi.fn(),
    close: vi.fn(async () => undefined),
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
  };
  const emit = (name: PushEvent['name'], data: unknown): void => {
    for (const l of listeners) l({ workspaceId: 'ws-1', name, data } as PushEvent);
  };
  return { core, call, emit, desktop, listeners };
}

const signalListeners = () => [...process.listeners('SIGINT'), ...process.listeners('SIGTERM')];
let before: ReturnType<typeof signalListeners>;
const platform = process.platform;

async function launch(core?: Core): Promise<void> {
  vi.resetModules();
  if (core) h.createCore.mockResolvedValue(core);
  await import('../../electron/main/index');
  if (core) await vi.waitFor(() => expect(h.trays).toHaveLength(1));
}

const allClosed = (): unknown => h.appOn.get('window-all-closed')?.();

beforeEach(() => {
  h.lock = true;
  h.appOn.clear();
  h.quit.mockReset();
  h.windows.length = 0;
  h.trays.length = 0;
  h.shown.length = 0;
  h.createCore.mockReset();
  before = signalListeners();
  vi.spyOn(console, 'info').mockImplementation(() => undefined);
});

afterEach(() => {
  for (const l of signalListeners()) if (!before.includes(l)) process.off('SIGINT', l).off('SIGTERM', l);
  Object.defineProperty(process, 'platform', { value: platform });
});

describe('desktop lifecycle', () => {
  it('exits at once when another Kiln holds the lock', async () => {
    h.lock = false;
    await launch();
    expect(h.quit).toHaveBeenCalledOnce();
    expect(h.appOn.size).toBe(0);
  });

  it('stays in the tray when the window closes and runInBackground is on', async () => {
    const { core, call } = fakeCore(true);
    await launch(core);
    await vi.waitFor(() => expect(call).toHaveBeenCalledWith('preferences.get', {}, { workspaceId: 'ws-1', scopes: ['admin'], owner: true }));
    expect(h.windows).toHaveLength(1);
    h.windows[0]?.handlers.get('closed')?.();
    allClosed();
    allClosed();
    expect(h.quit).not.toHaveBeenCalled();
    expect(h.shown).toEqual(['Kiln is still running']);
    // The tray brings a new window back.
    (h.trays[0]?.menu.find((m) => m.label === 'Open Kiln')?.click as () => void)();
    expect(h.windows).toHaveLength(2);
  });

  it('quits when the window closes after runInBackground was turned off', async () => {
    const { core, call, emit, desktop } = fakeCore(true);
    await launch(core);
    await vi.waitFor(() => expect(call).toHaveBeenCalledWith('preferences.get', {}, expect.anything()));
    emit('preferences.updated', { defaultPreset: 'standard', defaultTimeZone: null, desktop: { ...desktop, runInBackground: false } });
    allClosed();
    expect(h.quit).toHaveBeenCalledOnce();
  });

  it('quits when the window closes and runInBackground is off', async () => {
    const { core, call } = fakeCore(false);
    await launch(core);
    await vi.waitFor(() => expect(call).toHaveBeenCalledWith('preferences.get', {}, expect.anything()));
    await Promise.resolve();
    allClosed();
    expect(h.quit).toHaveBeenCalledOnce();
    expect(h.shown).toEqual([]);
  });

  it('quits when the window closes before the core has started', async () => {
    h.createCore.mockReturnValue(new Promise(() => undefined));
    await launch();
    allClosed();
    expect(h.quit).toHaveBeenCalledOnce();
  });

  it('keeps the macOS convention: no quit on the last window', async () => {
    Object.defineProperty(process, 'platform', { value: 'darwin' });
    const { core } = fakeCore(false);
    await launch(core);
    allClosed();
    expect(h.quit).not.toHaveBeenCalled();
  });

  it('quits from the tray, closing the core and removing the tray first', async () => {
    const { core, listeners } = fakeCore(true);
    await launch(core);
    (h.trays[0]?.menu.find((m) => m.label === 'Quit Kiln')?.click as () => void)();
    expect(h.quit).toHaveBeenCalledOnce();
    const event = { preventDefault: vi.fn() };
    h.appOn.get('before-quit')?.(event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(h.trays[0]?.destroyed).toBe(true);
    expect(listeners.size).toBe(0);
    await vi.waitFor(() => expect(h.quit).toHaveBeenCalledTimes(2));
    expect(core.close).toHaveBeenCalledOnce();
  });
});
