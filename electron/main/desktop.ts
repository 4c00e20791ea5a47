// The desktop extras around the running core: tray, alert notifications and the desktop
// preferences. Everything goes through API methods (callCore); nothing here decides domain state.
import { app } from 'electron';
import type { EventName, EventPayload } from '../../shared/api/events';
import type { Core } from '../core/types';
import type { LocalApiStatus } from '../../shared/domain/local-api';
import { callCore } from './call-core';
import { createFleetWatch, type Schedule } from './fleet-watch';
import { createAlertNotifier } from './notifications';
import { createPreferenceApplier } from './preferences';
import { createKilnTray, type KilnTray } from './tray';

/** Must equal `appId` in electron-builder.yml: Windows matches toasts to the Start-menu shortcut by it. */
export const APP_ID = 'app.kiln.desktop';

/** Events that can change a mailbox's state or alerts. message.updated is left out: it fires on
 * every send and changes neither; the fleet watch's poll catches anything else. */
const fleetEvents: ReadonlySet<EventName> = new Set<EventName>(['warmup.updated', 'mailbox.updated', 'mailbox.deleted']);

export interface DesktopOptions {
  openWindow: () => void;
  quit: () => void;
  /** Tests drive the refetch timers by hand. */
  schedule?: Schedule;
  /** The local API's state, which the tray shows while it is on. */
  localApi?: () => LocalApiStatus;
}

export interface DesktopServices {
  /** True when closing the last window should leave Kiln running in the tray. */
  keepRunningWithoutWindow(): boolean;
  /** Called when the last window closed and Kiln stays in the tray: says so, once. */
  announceBackground(): void;
  /** The local API started, stopped or failed: the tray says so. */
  localApiChanged(): void;
  stop(): void;
}

export function startDesktopServices(core: Core, opts: DesktopOptions): DesktopServices {
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
  const prefs = createPreferenceApplier();

  let tray: KilnTray | null = null;
  try {
    tray = createKilnTray({
      open: opts.openWindow,
      quit: opts.quit,
      pauseAll: () => callCore(core, 'warmup.pauseAll', {}).finally(() => watch.soon()),
      resumeAll: () => callCore(core, 'warmup.resumeAll', {}).finally(() => watch.soon()),
    });
    tray.setLocalApi(opts.localApi?.() ?? null);
  } catch (err) {
    // Without a tray there is no way back to a hidden Kiln: closing the window will quit.
    console.error('kiln: could not create the tray icon', err);
  }

  const notifier = createAlertNotifier({ enabled: () => prefs.current.notifications, onClick: opts.openWindow });
  const watch = createFleetWatch({
    fetch: () => callCore(core, 'fleet.get', {}),
    onFleet: (fleet) => {
      tray?.update(fleet);
      notifier.update(fleet);
    },
    schedule: opts.schedule,
  });

  let prefsFromEvent = false;
  const unsubscribe = core.subscribe((event) => {
    // Stored alerts (listings, failing authentication...) are raised once per change in any
    // workspace: each one is worth a notification as it comes.
    if (event.name === 'alert.raised') {
      const alert = event.data as EventPayload<'alert.raised'>;
      notifier.info({ title: alert.title, body: alert.detail });
      return;
    }
    if (event.workspaceId !== core.defaultWorkspaceId) return;
    if (event.name === 'preferences.updated') {
      prefsFromEvent = true;
      prefs.apply(event.data as EventPayload<'preferences.updated'>);
    } else if (fleetEvents.has(event.name)) {
      watch.soon();
    }
  });

  callCore(core, 'preferences.get', {}).then(
    // An update that arrived meanwhile is newer than this answer.
    (value) => {
      if (!prefsFromEvent) prefs.apply(value);
    },
    (err: unknown) => console.error('kiln: could not read the preferences', err),
  );
  void watch.now();

  let announced = false;
  return {
    keepRunningWithoutWindow: () => tray !== null && prefs.current.runInBackground,
    announceBackground() {
      if (announced) return;
      announced = true;
      notifier.info({ title: 'Kiln is still running', body: 'Warmup continues in the background. Quit from the tray icon.' });
    },
    localApiChanged() {
      tray?.setLocalApi(opts.localApi?.() ?? null);
    },
    stop() {
      unsubscribe();
      watch.stop();
      notifier.dispose();
      tray?.destroy();
      tray = null;
    },
  };
}
