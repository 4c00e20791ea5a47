// Applies the desktop preferences the core stores: the login item here, and the current values
// for the window-closing rule (index.ts) and the notifier to read.
import { app } from 'electron';
import { preferences, type Preferences } from '../../shared/domain/preferences';

export type DesktopPreferences = Preferences['desktop'];

export interface PreferenceApplier {
  /** The last applied values; the schema defaults until the core answered. */
  readonly current: DesktopPreferences;
  apply(prefs: Preferences): void;
}

export function createPreferenceApplier(platform: NodeJS.Platform = process.platform): PreferenceApplier {
  let current: DesktopPreferences = preferences.parse({}).desktop;
  let loginItem: boolean | null = null;
  const logged = new Set<string>();
  const logOnce = (message: string): void => {
    if (logged.has(message)) return;
    logged.add(message);
    console.info(`kiln: ${message}`);
  };

  const applyLoginItem = (openAtLogin: boolean): void => {
    // Electron's login items exist on macOS and Windows only.
    if (platform !== 'darwin' && platform !== 'win32') {
      if (openAtLogin) logOnce('start at login is not supported on this platform; add Kiln to your session autostart instead');
      return;
    }
    // Unpackaged, the login item would launch the bare Electron binary, not Kiln.
    if (!app.isPackaged) {
      if (openAtLogin) logOnce('start at login is only registered by the packaged app');
      return;
    }
    if (loginItem === openAtLogin) return;
    try {
      app.setLoginItemSettings({ openAtLogin });
      loginItem = openAtLogin;
    } catch (err) {
      console.error('kiln: could not change the login item', err);
    }
  };

  return {
    get current() {
      return current;
    },
    apply(prefs) {
      current = prefs.desktop;
      applyLoginItem(current.startAtLogin);
    },
  };
}
