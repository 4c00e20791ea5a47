/**
 * A stand-in `electron` module for running the built main bundle (out/main/index.js) in vitest with a real core:
 * it records what the bundle asks of Electron (app events, IPC handlers, windows and what they load, tray
 * tooltips, error boxes, exits) in a state object the test reads. Use it from a hoisted factory:
 *
 *   const h = await vi.hoisted(async () => (await import('../helpers/electron-stand-in')).standInState());
 *   vi.mock('electron', async () => (await import('../helpers/electron-stand-in')).standInElectron(h));
 */
type Handler = (...args: unknown[]) => unknown;

export interface StandInWindow {
  options: { webPreferences?: Record<string, unknown> };
  loaded: string[];
}

export interface StandInState {
  appOn: Map<string, Handler>;
  handlers: Map<string, Handler>;
  windows: StandInWindow[];
  tooltips: string[];
  errorBoxes: Array<[string, string]>;
  exits: number[];
  quit: { count: number };
  sandboxEnabled: { value: boolean };
  /** app.getPath(...) (the data folder's parent) and app.getAppPath() (where out/ lives): set before importing the bundle. */
  userData: string;
  appRoot: string;
}

export function standInState(): StandInState {
  return { appOn: new Map(), handlers: new Map(), windows: [], tooltips: [], errorBoxes: [], exits: [], quit: { count: 0 }, sandboxEnabled: { value: false }, userData: '', appRoot: '' };
}

export function standInElectron(h: StandInState): Record<string, unknown> {
  const stub = () => undefined;
  class BrowserWindow implements StandInWindow {
    readonly loaded: string[] = [];
    readonly webContents = { on: stub, isDestroyed: () => false, send: stub };
    constructor(readonly options: StandInWindow['options']) {
      h.windows.push(this);
    }
    on = stub;
    once = stub;
    loadFile = (file: string) => (this.loaded.push(file), Promise.resolve());
    isDestroyed = () => false;
  }
  class Tray {
    setToolTip = (t: string) => void h.tooltips.push(t);
    setContextMenu = stub;
    on = stub;
    destroy = stub;
  }
  class Notification {
    static isSupported = () => false;
    on = stub;
    close = stub;
    show = stub;
  }
  const image = { isEmpty: () => false, resize: () => image };
  const app = {
    requestSingleInstanceLock: () => true,
    on: (name: string, fn: Handler) => h.appOn.set(name, fn),
    whenReady: () => Promise.resolve(),
    isReady: () => true,
    quit: () => void h.quit.count++,
    exit: (code: number) => void h.exits.push(code),
    getPath: () => h.userData,
    getAppPath: () => h.appRoot,
    isPackaged: false,
    enableSandbox: () => void (h.sandboxEnabled.value = true),
    setAppUserModelId: stub,
    setLoginItemSettings: stub,
  };
  const webRequest = { onBeforeRequest: stub, onHeadersReceived: stub };
  const defaultSession = { setPermissionRequestHandler: stub, setPermissionCheckHandler: stub, setDevicePermissionHandler: stub, webRequest };
  return {
    app,
    BrowserWindow,
    Tray,
    Notification,
    Menu: { buildFromTemplate: (t: unknown) => t },
    nativeImage: { createFromPath: () => image },
    dialog: { showErrorBox: (title: string, body: string) => void h.errorBoxes.push([title, body]) },
    ipcMain: { handle: (channel: string, fn: Handler) => h.handlers.set(channel, fn), removeHandler: (channel: string) => h.handlers.delete(channel) },
    // No keychain here: the core falls back to its encrypted file store, as on a keyring-less Linux.
    safeStorage: { isEncryptionAvailable: () => false, getSelectedStorageBackend: () => 'basic_text' },
    session: { defaultSession },
  };
}
