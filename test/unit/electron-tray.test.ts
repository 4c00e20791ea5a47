// The tray built over a stand-in `electron`, and the desktop wiring that refreshes it from
// fleet.get on push events (debounced with a hand-driven timer). The pure parts: electron-fleet-summary.
import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PushEvent } from '../../shared/api/events';
import type { Envelope } from '../../shared/errors';
import type { Fleet, FleetRow, FleetState } from '../../shared/domain/fleet';
import type { Core } from '../../electron/core/types';

const h = vi.hoisted(() => ({
  trays: [] as Array<{ icon: unknown; tooltip: string; menu: MenuItemConstructorOptions[]; destroyed: boolean }>,
  isPackaged: false,
}));

vi.mock('electron', () => {
  class Tray {
    tooltip = '';
    menu: MenuItemConstructorOptions[] = [];
    destroyed = false;
    constructor(readonly icon: unknown) {
      h.trays.push(this);
    }
    setToolTip(text: string): void {
      this.tooltip = text;
    }
    setContextMenu(menu: MenuItemConstructorOptions[]): void {
      this.menu = menu;
    }
    on(): void {}
    destroy(): void {
      this.destroyed = true;
    }
  }
  const image = { isEmpty: () => false, resize: () => image };
  return {
    app: {
      get isPackaged() {
        return h.isPackaged;
      },
      getAppPath: () => '/src/kiln',
      setAppUserModelId: () => undefined,
    },
    Tray,
    Menu: { buildFromTemplate: (template: MenuItemConstructorOptions[]) => template },
    nativeImage: { createFromPath: () => image },
    Notification: Object.assign(class {}, { isSupported: () => false }),
  };
});

const { createKilnTray, trayIconPath } = await import('../../electron/main/tray');
const { startDesktopServices } = await import('../../electron/main/desktop');

function row(id: string, state: FleetState, warmupState: FleetRow['warmup']['state'] = 'warming'): FleetRow {
  return {
    id, email: `${id}@warm.test`, displayName: null, provider: 'custom', status: state === 'error' ? 'error' : 'active',
    lastError: null, readable: true, state,
    warmup: { enabled: state !== 'off', state: warmupState, reason: null, reasonCode: null, until: null, progress: 1 },
    today: { day: '2025-01-01', target: 5, planned: 1, sent: 4, mailSent: 4, inbox: 3, spam: 0, other: 0, bounced: 0, complained: 0 },
    inboxRate7d: null,
  };
}

function fleetOf(states: FleetState[]): Fleet {
  return { mailboxes: states.map((s, i) => row(`m${i}`, s, s === 'paused' ? 'paused' : 'warming')), totals: { target: 0, planned: 0, sent: 0, mailSent: 0, inbox: 0, spam: 0, other: 0, bounced: 0, complained: 0 }, alerts: [] };
}

const labels = (menu: MenuItemConstructorOptions[]): string[] => menu.map((m) => m.label ?? `-${m.type}-`);
const item = (label: string): MenuItemConstructorOptions => {
  const found = h.trays.at(-1)?.menu.find((m) => m.label === label);
  if (!found) throw new Error(`no menu item ${label}`);
  return found;
};
const click = (label: string): void => (item(label).click as () => void)();

beforeEach(() => {
  h.trays.length = 0;
  h.isPackaged = false;
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

describe('tray', () => {
  const actions = () => ({ open: vi.fn(), quit: vi.fn(), pauseAll: vi.fn(async () => ({ count: 2 })), resumeAll: vi.fn(async () => ({ count: 0 })) });

  it('finds its icon in the app in development and next to app.asar when packaged', () => {
    expect(trayIconPath()).toBe(path.join('/src/kiln', 'resources', 'tray.png'));
    h.isPackaged = true;
    Object.defineProperty(process, 'resourcesPath', { value: '/opt/kiln/resources', configurable: true });
    expect(trayIconPath()).toBe(path.join('/opt/kiln/resources', 'tray.png'));
  });

  it('shows the fleet status in the tooltip and the menu', () => {
    const tray = createKilnTray(actions(), '/x/tray.png');
    expect(h.trays[0]?.tooltip).toBe('Kiln');
    tray.update({ ...fleetOf(['warming', 'warming', 'error']), alerts: [{ mailboxId: 'm2', email: 'm2@warm.test', severity: 'critical', code: 'AUTH', reason: 'x', since: null }] });
    expect(h.trays[0]?.tooltip).toBe('Kiln — 2 warming · 1 error');
    expect(labels(h.trays[0]!.menu)).toEqual([
      '2 warming · 1 error', '1 alert to review', '-separator-', 'Open Kiln', 'Pause all warmup', 'Resume all warmup', '-separator-', 'Quit Kiln',
    ]);
    expect(item('Resume all warmup').enabled).toBe(false);
    tray.destroy();
    expect(h.trays[0]?.destroyed).toBe(true);
  });

  it('runs one action at a time and opens / quits on demand', async () => {
    const a = actions();
    let finish: (v: { count: number }) => void = () => undefined;
    a.pauseAll.mockImplementation(() => new Promise((resolve) => (finish = resolve)));
    createKilnTray(a, '/x/tray.png');
    click('Pause all warmup');
    expect(a.pauseAll).toHaveBeenCalledOnce();
    expect(item('Pause all warmup').enabled).toBe(false);
    expect(item('Resume all warmup').enabled).toBe(false);
    finish({ count: 1 });
    await vi.waitFor(() => expect(item('Pause all warmup').enabled).toBe(true));
    click('Open Kiln');
    click('Quit Kiln');
    expect(a.open).toHaveBeenCalledOnce();
    expect(a.quit).toHaveBeenCalledOnce();
  });
});

function fakeCore(fleets: Fleet[]) {
  const listeners = new Set<(e: PushEvent) => void>();
  let fetches = 0;
  const call = vi.fn(async (method: string): Promise<Envelope<unknown>> => {
    if (method === 'fleet.get') return { ok: true, data: fleets[Math.min(fetches++, fleets.length - 1)] };
    if (method === 'preferences.get') return { ok: false, error: { code: 'NOT_FOUND', message: 'not yet' } };
    return { ok: true, data: { count: 3 } };
  });
  const core: Core = {
    defaultWorkspaceId: 'ws-1', call, authenticate: vi.fn(), metrics: vi.fn(), ready: vi.fn(), close: vi.fn(),
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
  };
  const emit = (name: PushEvent['name'], workspaceId = 'ws-1'): void => {
    for (const l of listeners) l({ workspaceId, name, data: {} } as PushEvent);
  };
  const fleetCalls = () => call.mock.calls.filter(([m]) => m === 'fleet.get').length;
  return { core, call, emit, fleetCalls, listeners };
}

function manualTimers() {
  const pending: Array<{ fn: () => void; ms: number; cancelled: boolean }> = [];
  const schedule = (fn: () => void, ms: number) => {
    const t = { fn, ms, cancelled: false };
    pending.push(t);
    return () => void (t.cancelled = true);
  };
  const live = (ms: number) => pending.filter((t) => !t.cancelled && t.ms === ms);
  const fire = (ms: number) => {
    for (const t of live(ms)) {
      t.cancelled = true;
      t.fn();
    }
  };
  return { schedule, live, fire };
}

describe('desktop wiring of the tray', () => {
  it('calls warmup.pauseAll / resumeAll in the default workspace as the owner (admin)', async () => {
    const { core, call } = fakeCore([fleetOf(['warming', 'paused'])]);
    const timers = manualTimers();
    startDesktopServices(core, { openWindow: vi.fn(), quit: vi.fn(), schedule: timers.schedule });
    await vi.waitFor(() => expect(h.trays[0]?.tooltip).toBe('Kiln — 1 warming · 1 paused'));
    click('Pause all warmup');
    await vi.waitFor(() => expect(call).toHaveBeenCalledWith('warmup.pauseAll', {}, { workspaceId: 'ws-1', scopes: ['admin'], owner: true }));
    await vi.waitFor(() => expect(item('Resume all warmup').enabled).toBe(true));
    click('Resume all warmup');
    await vi.waitFor(() => expect(call).toHaveBeenCalledWith('warmup.resumeAll', {}, { workspaceId: 'ws-1', scopes: ['admin'], owner: true }));
  });

  it('refetches the fleet once per burst of relevant events of its own workspace', async () => {
    const { core, emit, fleetCalls, listeners } = fakeCore([fleetOf(['warming']), fleetOf(['throttled'])]);
    const timers = manualTimers();
    const services = startDesktopServices(core, { openWindow: vi.fn(), quit: vi.fn(), schedule: timers.schedule });
    await vi.waitFor(() => expect(h.trays[0]?.tooltip).toBe('Kiln — 1 warming'));
    expect(fleetCalls()).toBe(1);

    emit('message.updated');
    emit('warmup.updated', 'ws-other');
    expect(timers.live(2_000)).toHaveLength(0);
    for (let i = 0; i < 5; i++) emit(i % 2 ? 'mailbox.updated' : 'warmup.updated');
    expect(timers.live(2_000)).toHaveLength(1);
    timers.fire(2_000);
    await vi.waitFor(() => expect(h.trays[0]?.tooltip).toBe('Kiln — 1 throttled'));
    expect(fleetCalls()).toBe(2);

    // The safety poll refetches without events; stop ends it all.
    expect(timers.live(300_000)).toHaveLength(1);
    services.stop();
    expect(timers.live(300_000)).toHaveLength(0);
    expect(listeners.size).toBe(0);
    expect(h.trays[0]?.destroyed).toBe(true);
  });
});

