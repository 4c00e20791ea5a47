// Desktop preferences applied by the shell: the login item (macOS / Windows, packaged app only,
// only when it changes) and the current values the window-closing rule reads.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Preferences } from '../../shared/domain/preferences';

const h = vi.hoisted(() => ({ setLoginItemSettings: vi.fn(), isPackaged: true }));

vi.mock('electron', () => ({
  app: {
    setLoginItemSettings: h.setLoginItemSettings,
    get isPackaged() {
      return h.isPackaged;
    },
  },
}));

const { createPreferenceApplier } = await import('../../electron/main/preferences');

function prefs(desktop: Partial<Preferences['desktop']> = {}): Preferences {
  return {
    defaultPreset: 'standard',
    defaultTimeZone: null,
    desktop: { startAtLogin: false, runInBackground: true, notifications: true, localApi: { enabled: false, port: 7421 }, ...desktop },
    engagement: { otherKilnMail: false },
  };
}

beforeEach(() => {
  h.setLoginItemSettings.mockReset();
  h.isPackaged = true;
});

describe('desktop preferences', () => {
  it('starts from the schema defaults until the core answers', () => {
    expect(createPreferenceApplier('win32').current).toEqual({ startAtLogin: false, runInBackground: true, notifications: true, localApi: { enabled: false, port: 7421 } });
  });

  it.each(['darwin', 'win32'] as const)('sets the login item on %s when the choice changes', (platform) => {
    const applier = createPreferenceApplier(platform);
    applier.apply(prefs({ startAtLogin: true }));
    applier.apply(prefs({ startAtLogin: true, notifications: false }));
    expect(h.setLoginItemSettings.mock.calls).toEqual([[{ openAtLogin: true }]]);
    applier.apply(prefs({ startAtLogin: false }));
    expect(h.setLoginItemSettings).toHaveBeenLastCalledWith({ openAtLogin: false });
    expect(applier.current).toEqual({ startAtLogin: false, runInBackground: true, notifications: true, localApi: { enabled: false, port: 7421 } });
  });

  it('does nothing on Linux and says so once', () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    const applier = createPreferenceApplier('linux');
    applier.apply(prefs({ startAtLogin: true }));
    applier.apply(prefs({ startAtLogin: true, runInBackground: false }));
    expect(h.setLoginItemSettings).not.toHaveBeenCalled();
    expect(info).toHaveBeenCalledOnce();
    expect(applier.current.runInBackground).toBe(false);
  });

  it('leaves the login item alone in an unpackaged development run', () => {
    vi.spyOn(console, 'info').mockImplementation(() => undefined);
    h.isPackaged = false;
    createPreferenceApplier('darwin').apply(prefs({ startAtLogin: true }));
    expect(h.setLoginItemSettings).not.toHaveBeenCalled();
  });

  it('survives a login item the OS refuses, and retries on the next change', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    h.setLoginItemSettings.mockImplementationOnce(() => {
      throw new Error('denied');
    });
    const applier = createPreferenceApplier('darwin');
    applier.apply(prefs({ startAtLogin: true }));
    applier.apply(prefs({ startAtLogin: true }));
    expect(h.setLoginItemSettings).toHaveBeenCalledTimes(2);
  });
});
