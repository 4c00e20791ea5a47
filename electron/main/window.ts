// The one application window: locked down (see security.ts for the session and navigation rules)
// and loading the built renderer from disk. Nothing remote is ever loaded into it.
import path from 'node:path';
import { app, BrowserWindow } from 'electron';

export interface AppPaths {
  /** out/renderer (inside app.asar when packaged). */
  rendererDir: string;
  /** out/renderer/index.html */
  indexHtml: string;
  /** out/preload/index.cjs: CommonJS so it can run sandboxed. */
  preload: string;
}

/**
 * Built-file locations, resolved from the app root rather than from this module's URL: the main
 * bundle may split shared code into out/main/chunks/, so import.meta.url is not a stable anchor.
 */
export function resolveAppPaths(appRoot = app.getAppPath()): AppPaths {
  const rendererDir = path.join(appRoot, 'out', 'renderer');
  return {
    rendererDir,
    indexHtml: path.join(rendererDir, 'index.html'),
    preload: path.join(appRoot, 'out', 'preload', 'index.cjs'),
  };
}

export function createMainWindow(paths: AppPaths): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    title: 'Kiln',
    show: false,
    backgroundColor: '#16181d',
    autoHideMenuBar: true,
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: !app.isPackaged,
    },
  });

  win.once('ready-to-show', () => win.show());
  win.webContents.on('render-process-gone', (_event, details) => {
    console.error(`kiln: renderer gone (${details.reason}, exit code ${details.exitCode})`);
  });

  void win.loadFile(paths.indexHtml).catch((err: unknown) => {
    console.error('kiln: could not load the UI', err);
  });
  return win;
}

/** Bring an existing window to the front (second instance, dock click). */
export function focusWindow(win: BrowserWindow): void {
  if (win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
}
