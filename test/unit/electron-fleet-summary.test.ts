// Pure parts behind the tray: the fleet summary (tooltip, counts, which actions apply) and the
// fleet watch (coalesced refetches, never two at once), driven by a hand-made timer.
import { describe, expect, it, vi } from 'vitest';
import type { Fleet, FleetRow, FleetState } from '../../shared/domain/fleet';
import { summarizeFleet } from '../../electron/main/fleet-summary';
import { createFleetWatch } from '../../electron/main/fleet-watch';

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

describe('fleet summary', () => {
  it('counts states in reading order and skips the empty ones', () => {
    const s = summarizeFleet(fleetOf([...Array<FleetState>(12).fill('warming'), 'error', 'throttled']));
    expect(s.tooltip).toBe('Kiln — 12 warming · 1 throttled · 1 error');
    expect(s.counts).toEqual({ error: 1, paused: 0, throttled: 1, holding: 0, warming: 12, off: 0 });
    expect(s.total).toBe(14);
  });

  it('says so when there is nothing or nothing known', () => {
    expect(summarizeFleet(fleetOf([])).tooltip).toBe('Kiln — No mailboxes');
    expect(summarizeFleet(null)).toMatchObject({ tooltip: 'Kiln', canPause: true, canResume: true });
  });

  it('offers pause only with warmup running and resume only with warmup paused', () => {
    expect(summarizeFleet(fleetOf(['warming', 'off']))).toMatchObject({ canPause: true, canResume: false });
    expect(summarizeFleet(fleetOf(['paused', 'error']))).toMatchObject({ canPause: false, canResume: true });
  });
});

describe('fleet watch', () => {
  it('never overlaps fetches and refetches after an event that came in during one', async () => {
    const timers = manualTimers();
    let release: (f: Fleet) => void = () => undefined;
    const fetch = vi.fn(() => new Promise<Fleet>((resolve) => (release = resolve)));
    const onFleet = vi.fn();
    const watch = createFleetWatch({ fetch, onFleet, schedule: timers.schedule });
    void watch.now();
    watch.soon();
    timers.fire(2_000);
    expect(fetch).toHaveBeenCalledOnce();
    release(fleetOf(['warming']));
    await vi.waitFor(() => expect(timers.live(2_000)).toHaveLength(1));
    timers.fire(2_000);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(onFleet).toHaveBeenCalledOnce();
    watch.stop();
  });
});
