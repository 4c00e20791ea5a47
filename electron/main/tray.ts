// The tray icon: fleet status in the tooltip and menu, and the few actions worth having without
// the window. It only shows what fleet.get returned and calls API methods (through `actions`).
import path from 'node:path';
import { app, Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import type { Fleet } from '../../shared/domain/fleet';
import type { LocalApiStatus } from '../../shared/domain/local-api';
import { alertsLabel, summarizeFleet, type FleetSummary } from './fleet-summary';

export interface TrayActions {
  open(): void;
  pauseAll(): Promise<unknown>;
  resumeAll(): Promise<unknown>;
  quit(): void;
}

export interface KilnTray {
  update(fleet: Fleet | null): void;
  /** Show whether the local API is on, and where. */
  setLocalApi(status: LocalApiStatus | null): void;
  destroy(): void;
}

/** resources/tray.png: copied next to app.asar by electron-builder (extraResources) when packaged. */
export function trayIconPath(): string {
  return app.isPackaged
    ? path.join(process.resourcesPath, 'tray.png')
    : path.join(app.getAppPath(), 'resources', 'tray.png');
}

function loadIcon(file: string): NativeImage {
  const image = nativeImage.createFromPath(file);
  if (image.isEmpty()) console.warn(`kiln: tray icon missing or unreadable: ${file}`);
  // The menu bar is 16 pt high; the 32 px image would otherwise be drawn at double size.
  return process.platform === 'darwin' && !image.isEmpty() ? image.resize({ width: 16, height: 16 }) : image;
}

export function buildTrayMenu(
  summary: FleetSummary,
  actions: TrayActions,
  run: (label: string, action: () => Promise<unknown>) => void,
  busy: boolean,
  localApi: LocalApiStatus | null = null,
): MenuItemConstructorOptions[] {
  const api = localApiLine(localApi);
  return [
    { label: summary.status, enabled: false },
    ...(summary.alerts > 0 ? [{ label: alertsLabel(summary.alerts), enabled: false }] : []),
    ...(api ? [{ label: api, enabled: false }] : []),
    { type: 'separator' },
    { label: 'Open Kiln', click: () => actions.open() },
    {
      label: 'Pause all warmup',
      enabled: !busy && summary.canPause,
      click: () => run('warmup.pauseAll', actions.pauseAll),
    },
    {
      label: 'Resume all warmup',
      enabled: !busy && summary.canResume,
      click: () => run('warmup.resumeAll', actions.resumeAll),
    },
    { type: 'separator' },
    { label: 'Quit Kiln', click: () => actions.quit() },
  ];
}

/** The tray's line about the local API: its address while on, the failure when refused, nothing when off. */
export function localApiLine(s: LocalApiStatus | null): string | null {
  if (s?.state === 'on') return `Local API on: ${s.url}`;
  if (s?.state === 'error') return 'Local API could not start (see Settings)';
  return null;
}

export function createKilnTray(actions: TrayActions, iconFile = trayIconPath()): KilnTray {
  const tray = new Tray(loadIcon(iconFile));
  let summary = summarizeFleet(null);
  let busy = false;
  let destroyed = false;
  let localApi: LocalApiStatus | null = null;

  const render = (): void => {
    if (destroyed) return;
    const api = localApiLine(localApi);
    tray.setToolTip(api ? `${summary.tooltip}\n${api}` : summary.tooltip);
    tray.setContextMenu(Menu.buildFromTemplate(buildTrayMenu(summary, actions, run, busy, localApi)));
  };

  // One action at a time: the items are disabled until the call settles (no double pause).
  function run(label: string, action: () => Promise<unknown>): void {
    if (busy) return;
    busy = true;
    render();
    void action()
      .catch((err: unknown) => console.error(`kiln: ${label} failed`, err))
      .finally(() => {
        busy = false;
        render();
      });
  }

  // Windows: a left click opens the window (right click shows the menu). macOS and Linux
  // (AppIndicator) show the menu on click, so "Open Kiln" is the way there.
  if (process.platform === 'win32') tray.on('click', () => actions.open());
  render();

  return {
    update(fleet) {
      summary = summarizeFleet(fleet);
      render();
    },
    setLocalApi(status) {
      localApi = status;
      render();
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      tray.destroy();
    },
  };
}
