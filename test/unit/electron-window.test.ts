// Pins the desktop window's lock-down: webPreferences, navigation / window.open denial, session
// rules and the CSP. Electron cannot run here, so `electron` is a stand-in capturing what the
// shell asks of it.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserWindowConstructorOptions } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';

type Handler = (...args: unknown[]) => unknown;

const h = vi.hoisted(() => ({
  windows: [] as Array<{ options: BrowserWindowConstructorOptions; loaded: string[] }>,
  appHandlers: new Map<string, Handler>(),
  enableSandbox: vi.fn(),
  isPackaged: true,
}));

vi.mock('electron', () => {
  class BrowserWindow {
    readonly loaded: string[] = [];
    readonly webContents = { on: () => undefined };
    constructor(readonly options: BrowserWindowConstructorOptions) {
      h.windows.push(this);
    }
    once(): void {}
    on(): void {}
    loadFile(file: string): Promise<void> {
      this.loaded.push(file);
      return Promise.resolve();
    }
  }
  const app = {
    getAppPath: () => '/opt/kiln/resources/app.asar',
    get isPackaged() {
      return h.isPackaged;
    },
    enableSandbox: h.enableSandbox,
    on: (name: string, fn: Handler) => h.appHandlers.set(name, fn),
    whenReady: () => new Promise(() => undefined),
  };
  return { app, BrowserWindow, session: { defaultSession: {} } };
});

const { createMainWindow, resolveAppPaths } = await import('../../electron/main/window');
const { guardWebContents, hardenSession, installSecurity } = await import('../../electron/main/security');
const { contentSecurityPolicy, metaContentSecurityPolicy } = await import('../../shared/csp');

const rendererDir = path.resolve('/opt/kiln/resources/app.asar/out/renderer');
const appUrl = pathToFileURL(path.join(rendererDir, 'index.html')).href;

beforeEach(() => {
  h.windows.length = 0;
  h.appHandlers.clear();
  h.isPackaged = true;
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

describe('main window', () => {
  it('is created sandboxed, context-isolated and without Node', () => {
    const paths = resolveAppPaths();
    createMainWindow(paths);
    expect(h.windows).toHaveLength(1);
    const win = h.windows[0]!;
    expect(win.options.show).toBe(false);
    expect(win.options.webPreferences).toMatchObject({
      preload: path.join('/opt/kiln/resources/app.asar', 'out', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
    expect(win.loaded).toEqual([paths.indexHtml]);
  });

  it('keeps devtools for unpackaged development builds only', () => {
    h.isPackaged = false;
    createMainWindow(resolveAppPaths('/src/kiln'));
    expect(h.windows[0]!.options.webPreferences?.devTools).toBe(true);
  });
});

function fakeContents() {
  const on = new Map<string, Handler>();
  let openHandler: Handler | undefined;
  return {
    on,
    openHandler: () => openHandler,
    contents: {
      setWindowOpenHandler: (fn: Handler) => {
        openHandler = fn;
      },
      on: (name: string, fn: Handler) => on.set(name, fn),
    },
  };
}

function navigate(handler: Handler | undefined, url: string, extra: object = {}): boolean {
  const event = { url, preventDefault: vi.fn(), ...extra };
  handler?.(event);
  return event.preventDefault.mock.calls.length > 0;
}

describe('web contents guard', () => {
  it('denies window.open and blocks navigation away from the app', () => {
    const fake = fakeContents();
    guardWebContents(fake.contents as never, rendererDir);
    expect(fake.openHandler()?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    expect(fake.openHandler()?.({ url: appUrl })).toEqual({ action: 'deny' });

    const willNavigate = fake.on.get('will-navigate');
    expect(navigate(willNavigate, 'https://example.com')).toBe(true);
    expect(navigate(willNavigate, 'file:///etc/passwd')).toBe(true);
    expect(navigate(willNavigate, appUrl)).toBe(false);
    expect(navigate(fake.on.get('will-redirect'), 'https://example.com')).toBe(true);
    expect(navigate(fake.on.get('will-frame-navigate'), 'https://example.com', { isMainFrame: false })).toBe(true);
    expect(navigate(fake.on.get('will-attach-webview'), appUrl)).toBe(true);
  });

  it('is installed on every web contents, with the sandbox forced on', () => {
    installSecurity(rendererDir);
    expect(h.enableSandbox).toHaveBeenCalledOnce();
    const fake = fakeContents();
    h.appHandlers.get('web-contents-created')?.({}, fake.contents);
    expect(fake.openHandler()?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });
});

describe('session hardening', () => {
  function hardened() {
    const got = new Map<string, Handler>();
    const ses = {
      setPermissionRequestHandler: (fn: Handler) => got.set('request', fn),
      setPermissionCheckHandler: (fn: Handler) => got.set('check', fn),
      setDevicePermissionHandler: (fn: Handler) => got.set('device', fn),
      webRequest: {
        onBeforeRequest: (fn: Handler) => got.set('before', fn),
        onHeadersReceived: (fn: Handler) => got.set('headers', fn),
      },
    };
    hardenSession(ses as never, rendererDir);
    return got;
  }

  it('denies every permission', () => {
    const got = hardened();
    const callback = vi.fn();
    got.get('request')?.({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(got.get('check')?.({}, 'notifications')).toBe(false);
    expect(got.get('device')?.({})).toBe(false);
  });

  it('cancels remote requests and lets the app files through', () => {
    const before = hardened().get('before');
    const decide = (url: string): unknown => {
      const callback = vi.fn();
      before?.({ url }, callback);
      return callback.mock.calls[0]?.[0];
    };
    expect(decide('https://example.com/x.js')).toEqual({ cancel: true });
    expect(decide('http://127.0.0.1:7420/api/v1/fleet')).toEqual({ cancel: true });
    expect(decide(appUrl)).toEqual({ cancel: false });
  });

  it('replaces any Content-Security-Policy header with the app policy', () => {
    const headers = hardened().get('headers');
    const callback = vi.fn();
    headers?.({ responseHeaders: { 'content-security-policy': ["default-src *"], 'x-other': ['1'] } }, callback);
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'x-other': ['1'], 'Content-Security-Policy': [contentSecurityPolicy] },
    });
  });
});

describe('content security policy', () => {
  const directives = new Map(contentSecurityPolicy.split('; ').map((d) => [d.split(' ')[0], d] as const));

  it('allows only the app itself', () => {
    expect(directives.get('default-src')).toBe("default-src 'self'");
    expect(directives.get('script-src')).toBe("script-src 'self'");
    expect(directives.get('object-src')).toBe("object-src 'none'");
    expect(directives.get('frame-ancestors')).toBe("frame-ancestors 'none'");
  });

  it('never allows inline or eval', () => {
    for (const policy of [contentSecurityPolicy, metaContentSecurityPolicy]) {
      expect(policy).not.toContain("'unsafe-inline'");
      expect(policy).not.toContain("'unsafe-eval'");
    }
  });
});
