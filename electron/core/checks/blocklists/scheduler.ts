import type { Clock } from '../../clock';
import type { Logger } from '../../log';
import type { BlocklistService } from './service';

/** Default time between scheduled scans of a workspace. */
export const DEFAULT_SCAN_INTERVAL_MS = 6 * 3_600_000;

/** What scheduled blocklist scans use. */
export interface BlocklistSchedulerNeeds {
  clock: Clock;
  log: Logger;
  blocklists: BlocklistService;
}

/**
 * Scheduled blocklist scans. A real-time poll (every minute) asks the injected clock whether a
 * workspace's last scan is older than the interval, so a simulated clock drives it in tests
 * (`tick()` after moving the clock) and the same code runs on the real clock. A workspace never
 * scanned is due at the first tick. Ticks never overlap; `stop()` ends the timer (core close).
 */
export class BlocklistScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly deps: BlocklistSchedulerNeeds,
    private readonly intervalMs = DEFAULT_SCAN_INTERVAL_MS,
    private readonly pollMs = 60_000,
  ) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => void this.tick(), this.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running.catch(() => undefined);
  }

  /** Scan every workspace that is due; resolves with how many were scanned. */
  tick(): Promise<number> {
    const next = this.running.then(() => this.pass());
    this.running = next.catch((err: unknown) => this.deps.log.error({ err }, 'scheduled blocklist scan failed'));
    return next;
  }

  private async pass(): Promise<number> {
    let scanned = 0;
    if (this.stopped) return scanned;
    const s = this.deps.blocklists;
    for (const ws of await s.workspaceIds()) {
      if (this.stopped) break;
      const last = await s.lastScanAt(ws);
      if (last !== null && this.deps.clock.now() - last < this.intervalMs) continue;
      try {
        await s.scan(ws, 'schedule');
        scanned++;
      } catch (err) {
        // One workspace's failure (e.g. its secret store) must not starve the others.
        this.deps.log.error({ err, workspaceId: ws }, 'scheduled blocklist scan failed');
      }
    }
    return scanned;
  }
}
