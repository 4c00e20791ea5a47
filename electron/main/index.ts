// Electron main process: lifecycle only. Starts the core (the same engine `kiln serve` runs),
// opens the locked-down window, bridges IPC to the API table and closes the core on quit.
// No business logic lives in electron/main.
import { app, dialog, shell, type BrowserWindow } from 'electron';
import { createCore, type CoreInternals } from '../core/app';
import type { Core } from '../core/types';
import { localApiStatusOf, type LocalApiStatus } from '../../shared/domain/local-api';
import { DESKTOP_HOLDER, startLocalApi, type LocalApi } from './local-api';
import { startFailure } from './start-failure';
import { forwardEvents, registerIpcBridge } from './ipc';
import { startDesktopServices, type DesktopServices } from './desktop';
import { chooseSecretStore } from './secret-choice';
import { installSecurity } from './security';
import { createMainWindow, focusWindow, resolveAppPaths } from './window';
import { printPdf } from './print-pdf';

const CLOSE_TIMEOUT_MS = 15_000;

const localApiOff = localApiStatusOf({ state: 'off', port: null, url: null, error: null, at: null });

async function startCore(localApi: () => LocalApiStatus): Promise<CoreInternals> {
  const dataDir = app.getPath('userData');
  const { store, reason } = chooseSecretStore(dataDir);
  console.info(`kiln: data in ${dataDir}; secret store: ${store ? store.backend : 'file'} (${reason})`);
  return createCore({ dataDir, secretStore: store, blocklistScanHours: 6, openBrowser, printPdf, lockHolder: DESKTOP_HOLDER, localApi });
}

/** OAuth sign-ins open the provider's page in the system browser: http(s) only, never a file or app URL. */
async function openBrowser(url: string): Promise<void> {
  const protocol = new URL(url).protocol;
  if (protocol !== 'https:' && protocol !== 'http:') throw new Error(`refusing to open a ${protocol} URL`);
  await shell.openExternal(url);
}

function run(): void {
  const paths = resolveAppPaths();
  installSecurity(paths.rendererDir);

  let window: BrowserWindow | null = null;
  let corePromise: Promise<Core> | null = null;
  let stopEvents: (() => void) | null = null;
  let desktop: DesktopServices | null = null;
  let localApi: { api: LocalApi; unsubscribe: () => void } | null = null;
  let quitState: 'running' | 'closing' | 'closed' = 'running';

  const openWindow = (): void => {
    if (window && !window.isDestroyed()) return focusWindow(window);
    window = createMainWindow(paths);
    window.on('closed', () => {
      window = null;
    });
  };

  app.on('second-instance', () => {
    if (app.isReady()) openWindow();
  });

  app.on('window-all-closed', () => {
    // macOS apps stay alive in the dock. Elsewhere Kiln stays in the tray (the core keeps warming)
    // when the user chose to run in the background, else closing the window quits.
    if (process.platform === 'darwin') return;
    if (desktop?.keepRunningWithoutWindow()) return desktop.announceBackground();
    app.quit();
  });

  app.on('activate', () => {
    if (app.isReady() && quitState === 'running') openWindow();
  });

  // Let in-flight sends finish and close the database before the process goes away.
  app.on('before-quit', (event) => {
    if (quitState === 'closed') return;
    event.preventDefault();
    if (quitState === 'closing') return;
    quitState = 'closing';
    stopEvents?.();
    desktop?.stop();
    desktop = null;
    localApi?.unsubscribe();
    // The local API stops taking requests first; a core still starting is awaited, then closed;
    // one that failed to start has nothing to close.
    const stopping = localApi ? localApi.api.stop() : Promise.resolve();
    const closing = stopping.then(() => (corePromise ? corePromise.then((core) => core.close(CLOSE_TIMEOUT_MS)) : undefined));
    closing
      .catch((err: unknown) => console.error('kiln: error while closing the core', err))
      .finally(() => {
        quitState = 'closed';
        app.quit();
      });
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  void app.whenReady().then(async () => {
    const starting = startCore(() => localApi?.api.status ?? localApiOff);
    corePromise = starting;
    // The window's workspace: the one its calls name (the renderer remembers the user's choice).
    let windowWorkspace: string | null = null;
    registerIpcBridge({ core: starting, rendererDir: paths.rendererDir, onWorkspace: (ws) => (windowWorkspace = ws) });
    // The window opens at once; its first calls wait for the core inside the IPC handler.
    openWindow();
    let core: CoreInternals;
    try {
      core = await starting;
    } catch (err) {
      console.error('kiln: the core could not start', err);
      // Another Kiln (kiln serve) owning the data folder is said in so many words, with its code.
      const failure = startFailure(err);
      dialog.showErrorBox(failure.title, failure.body);
      quitState = 'closed';
      app.exit(1);
      return;
    }
    if (quitState !== 'running') return;
    stopEvents = forwardEvents(core, () => window, () => windowWorkspace ?? core.defaultWorkspaceId);
    localApi = startLocalApi(core, { staticDir: paths.rendererDir, dataDir: app.getPath('userData'), onChange: () => desktop?.localApiChanged() });
    try {
      desktop = startDesktopServices(core, {
        openWindow: () => {
          if (quitState === 'running') openWindow();
        },
        quit: () => app.quit(),
        localApi: () => localApi?.api.status ?? localApiOff,
      });
    } catch (err) {
      // The window and the core work without the tray extras; closing the window then quits.
      console.error('kiln: tray and notifications unavailable', err);
    }
  });
}

// One Kiln per user: a second launch focuses the first one's window and exits.
if (app.requestSingleInstanceLock()) {
  run();
} else {
  app.quit();
}
