// Keeps one fresh fleet snapshot for the tray and the notifications: refetched shortly after a
// relevant push event (bursts coalesced into one fetch) and on a slow safety poll, because some
// state changes are time-based (a hold expiring) and emit no event.
import type { Fleet } from '../../shared/domain/fleet';

/** Run `fn` after `ms`; returns a cancel. Injected so tests drive time by hand. */
export type Schedule = (fn: () => void, ms: number) => () => void;

export const realSchedule: Schedule = (fn, ms) => {
  const timer = setTimeout(fn, ms);
  return () => clearTimeout(timer);
};

export interface FleetWatchOptions {
  fetch: () => Promise<Fleet>;
  onFleet: (fleet: Fleet) => void;
  onError?: (err: unknown) => void;
  /** Delay between the first event of a burst and the fetch (default 2 s). */
  debounceMs?: number;
  /** Refetch this long after the last fetch even without events (default 5 min). */
  pollMs?: number;
  schedule?: Schedule;
}

export interface FleetWatch {
  /** Fetch now (start-up); a fetch already running is followed by one more. */
  now(): Promise<void>;
  /** Fetch after the debounce delay; calls during the wait join that one fetch. */
  soon(): void;
  stop(): void;
}

export function createFleetWatch(opts: FleetWatchOptions): FleetWatch {
  const schedule = opts.schedule ?? realSchedule;
  const debounceMs = opts.debounceMs ?? 2_000;
  const pollMs = opts.pollMs ?? 5 * 60_000;
  const onError = opts.onError ?? ((err: unknown) => console.error('kiln: could not read the fleet', err));
  let cancelSoon: (() => void) | null = null;
  let cancelPoll: (() => void) | null = null;
  let inFlight = false;
  let again = false;
  let stopped = false;

  const soon = (): void => {
    if (stopped || cancelSoon) return;
    cancelSoon = schedule(() => {
      cancelSoon = null;
      void now();
    }, debounceMs);
  };

  const now = async (): Promise<void> => {
    if (stopped) return;
    // Never two fetches at once: an event during a fetch may not be in its result, so fetch again after.
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    try {
      const fleet = await opts.fetch();
      if (!stopped) opts.onFleet(fleet);
    } catch (err) {
      if (!stopped) onError(err);
    } finally {
      inFlight = false;
      if (!stopped) {
        cancelPoll?.();
        cancelPoll = schedule(() => void now(), pollMs);
        if (again) {
          again = false;
          soon();
        }
      }
    }
  };

  return {
    now,
    soon,
    stop() {
      stopped = true;
      cancelSoon?.();
      cancelPoll?.();
      cancelSoon = cancelPoll = null;
    },
  };
}
