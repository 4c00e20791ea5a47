// Alert notifications: the pure diff (what is new since the last fleet) and the notifier over a
// stand-in `electron` Notification: the first fleet is a silent baseline, later alerts notify,
// the preference and platform support are respected, and a click opens the window.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PushEvent } from '../../shared/api/events';
import type { Envelope } from '../../shared/errors';
import type { Fleet, FleetAlert } from '../../shared/domain/fleet';
import type { Core } from '../../electron/core/types';

type Handler = () => void;

const h = vi.hoisted(() => ({
  shown: [] as Array<{ title: string; body: string; handlers: Map<string, Handler>; closed: boolean }>,
  supported: true,
}));

vi.mock('electron', () => {
  class Notification {
    readonly handlers = new Map<string, Handler>();
    closed = false;
    title: string;
    body: string;
    constructor(opts: { title: string; body: string }) {
      this.title = opts.title;
      this.body = opts.body;
    }
    static isSupported(): boolean {
      return h.supported;
    }
    on(name: string, fn: Handler): void {
      this.handlers.set(name, fn);
    }
    show(): void {
      h.shown.push(this);
    }
    close(): void {
      this.closed = true;
    }
  }
  return {
    app: { isPackaged: true, setAppUserModelId: () => undefined, setLoginItemSettings: () => undefined },
    Notification,
  };
});

const { alertKey, diffAlerts, notificationsFor } = await import('../../electron/main/alert-diff');
const { createAlertNotifier } = await import('../../electron/main/notifications');
const { startDesktopServices } = await import('../../electron/main/desktop');

function alert(mailboxId: string, code: string, reason = `${code} on ${mailboxId}`): FleetAlert {
  return { mailboxId, email: `${mailboxId}@warm.test`, severity: 'critical', code, reason, since: null };
}
const fleet = (...alerts: FleetAlert[]): Fleet => ({ mailboxes: [], totals: { target: 0, planned: 0, sent: 0, mailSent: 0, inbox: 0, spam: 0, other: 0, bounced: 0, complained: 0 }, alerts });

beforeEach(() => {
  h.shown.length = 0;
  h.supported = true;
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

describe('alert diff', () => {
  it('treats the first look as the baseline', () => {
    const first = diffAlerts(null, [alert('m1', 'AUTH')]);
    expect(first.fresh).toEqual([]);
    expect([...first.keys]).toEqual([alertKey({ mailboxId: 'm1', code: 'AUTH' })]);
  });

  it('reports alerts whose mailbox and code were not there before, once', () => {
    const base = diffAlerts(null, [alert('m1', 'AUTH')]).keys;
    const next = diffAlerts(base, [alert('m1', 'AUTH'), alert('m1', 'SPAM_SIGNAL'), alert('m2', 'AUTH'), alert('m2', 'AUTH')]);
    expect(next.fresh.map(alertKey)).toEqual([alertKey(alert('m1', 'SPAM_SIGNAL')), alertKey(alert('m2', 'AUTH'))]);
    expect(diffAlerts(next.keys, [alert('m2', 'AUTH')]).fresh).toEqual([]);
  });

  it('reports an alert again after it went away', () => {
    const gone = diffAlerts(diffAlerts(null, [alert('m1', 'AUTH')]).keys, []).keys;
    expect(diffAlerts(gone, [alert('m1', 'AUTH')]).fresh).toHaveLength(1);
  });

  it('turns a burst into one summary', () => {
    expect(notificationsFor([alert('m1', 'AUTH', 'SMTP auth failed')])).toEqual([
      { title: 'Kiln · m1@warm.test', body: 'SMTP auth failed' },
    ]);
    const burst = notificationsFor(['a', 'b', 'c', 'd', 'e'].map((id) => alert(id, 'CONNECT')));
    expect(burst).toHaveLength(1);
    expect(burst[0]?.title).toBe('Kiln · 5 new alerts');
    expect(burst[0]?.body.split('\n')).toEqual(['a@warm.test: CONNECT on a', 'b@warm.test: CONNECT on b', 'c@warm.test: CONNECT on c', '…and 2 more']);
  });
});

describe('alert notifier', () => {
  it('is silent on the first fleet and notifies new alerts after', () => {
    const onClick = vi.fn();
    const notifier = createAlertNotifier({ enabled: () => true, onClick });
    notifier.update(fleet(alert('m1', 'AUTH')));
    expect(h.shown).toHaveLength(0);
    notifier.update(fleet(alert('m1', 'AUTH'), alert('m2', 'THROTTLED', 'Spam placement: sending cut to 75%')));
    expect(h.shown.map((n) => [n.title, n.body])).toEqual([['Kiln · m2@warm.test', 'Spam placement: sending cut to 75%']]);
    h.shown[0]?.handlers.get('click')?.();
    expect(onClick).toHaveBeenCalledOnce();
  });

  it('respects the preference without replaying old alerts when it is turned on', () => {
    let enabled = false;
    const notifier = createAlertNotifier({ enabled: () => enabled, onClick: vi.fn() });
    notifier.update(fleet());
    notifier.update(fleet(alert('m1', 'AUTH')));
    expect(h.shown).toHaveLength(0);
    enabled = true;
    notifier.update(fleet(alert('m1', 'AUTH')));
    expect(h.shown).toHaveLength(0);
    notifier.update(fleet(alert('m1', 'AUTH'), alert('m3', 'BOUNCES')));
    expect(h.shown).toHaveLength(1);
  });

  it('does nothing where notifications are not supported', () => {
    h.supported = false;
    const notifier = createAlertNotifier({ enabled: () => true, onClick: vi.fn() });
    notifier.update(fleet());
    notifier.update(fleet(alert('m1', 'AUTH')));
    notifier.info({ title: 't', body: 'b' });
    expect(h.shown).toHaveLength(0);
  });

  it('closes what it still shows when disposed', () => {
    const notifier = createAlertNotifier({ enabled: () => true, onClick: vi.fn() });
    notifier.update(fleet());
    notifier.update(fleet(alert('m1', 'AUTH')));
    notifier.dispose();
    expect(h.shown[0]?.closed).toBe(true);
  });
});

describe('desktop wiring of notifications', () => {
  function fakeCore(fleets: Fleet[], notifications = true) {
    const listeners = new Set<(e: PushEvent) => void>();
    let fetches = 0;
    const prefs = { defaultPreset: 'standard', defaultTimeZone: null, desktop: { startAtLogin: false, runInBackground: true, notifications } };
    const call = vi.fn(async (method: string): Promise<Envelope<unknown>> => {
      if (method === 'fleet.get') return { ok: true, data: fleets[Math.min(fetches++, fleets.length - 1)] };
      if (method === 'preferences.get') return { ok: true, data: prefs };
      return { ok: true, data: { count: 0 } };
    });
    const core: Core = {
      defaultWorkspaceId: 'ws-1', call, authenticate: vi.fn(), metrics: vi.fn(), ready: vi.fn(), close: vi.fn(),
      subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
    };
    const emit = (name: PushEvent['name'], data: unknown = {}, workspaceId = 'ws-1'): void => {
      for (const l of listeners) l({ workspaceId, name, data } as PushEvent);
    };
    return { core, call, emit, prefs };
  }

  const immediate = (fn: () => void): (() => void) => {
    queueMicrotask(fn);
    return () => undefined;
  };

  it('keeps the fetch at start silent, notifies what appears later and opens the window on click', async () => {
    const { core, call, emit } = fakeCore([fleet(alert('m1', 'AUTH')), fleet(alert('m1', 'AUTH'), alert('m2', 'AUTH'))]);
    const openWindow = vi.fn();
    startDesktopServices(core, { openWindow, quit: vi.fn(), schedule: (fn, ms) => (ms === 2_000 ? immediate(fn) : () => undefined) });
    await vi.waitFor(() => expect(call).toHaveBeenCalledWith('fleet.get', {}, expect.anything()));
    await Promise.resolve();
    expect(h.shown).toHaveLength(0);
    emit('mailbox.updated');
    await vi.waitFor(() => expect(h.shown).toHaveLength(1));
    expect(h.shown[0]?.title).toBe('Kiln · m2@warm.test');
    h.shown[0]?.handlers.get('click')?.();
    expect(openWindow).toHaveBeenCalledOnce();
  });

  it('follows preferences.desktop.notifications, including live updates', async () => {
    const { core, call, emit, prefs } = fakeCore([fleet(), fleet(alert('m1', 'AUTH')), fleet(alert('m1', 'AUTH'), alert('m2', 'AUTH'))], false);
    startDesktopServices(core, { openWindow: vi.fn(), quit: vi.fn(), schedule: (fn, ms) => (ms === 2_000 ? immediate(fn) : () => undefined) });
    await vi.waitFor(() => expect(call).toHaveBeenCalledWith('preferences.get', {}, expect.anything()));
    await vi.waitFor(() => expect(call.mock.calls.filter(([m]) => m === 'fleet.get')).toHaveLength(1));
    emit('warmup.updated');
    await vi.waitFor(() => expect(call.mock.calls.filter(([m]) => m === 'fleet.get')).toHaveLength(2));
    await Promise.resolve();
    expect(h.shown).toHaveLength(0);
    emit('preferences.updated', { ...prefs, desktop: { ...prefs.desktop, notifications: true } });
    emit('warmup.updated');
    await vi.waitFor(() => expect(h.shown).toHaveLength(1));
    expect(h.shown[0]?.title).toBe('Kiln · m2@warm.test');
  });

  it('notifies each stored alert as it is raised, in any workspace, under the same preference', async () => {
    const { core, call, emit } = fakeCore([fleet()]);
    startDesktopServices(core, { openWindow: vi.fn(), quit: vi.fn(), schedule: () => () => undefined });
    await vi.waitFor(() => expect(call).toHaveBeenCalledWith('preferences.get', {}, expect.anything()));
    await Promise.resolve();
    emit('alert.raised', { title: '192.0.2.1 is listed on zen.spamhaus.org', detail: 'SBL: Spamhaus Block List' }, 'ws-other');
    expect(h.shown.map((n) => [n.title, n.body])).toEqual([['192.0.2.1 is listed on zen.spamhaus.org', 'SBL: Spamhaus Block List']]);
    emit('alert.resolved', { title: 'x', detail: 'y' });
    expect(h.shown).toHaveLength(1);
  });
});
