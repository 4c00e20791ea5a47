import type { Fleet } from '../../../shared/domain/fleet';
import type { Db } from '../db/connection';
import type { Clock } from '../clock';
import type { WarmupService } from '../warmup/service';
import { activityStore } from './activity';
import { alertsOf, toFleetRow } from './derive';
import { fleetFigures, sumToday } from './figures';
import { fleetStore } from './store';

/** What the fleet view uses. */
export interface FleetServiceNeeds {
  db: Db;
  clock: Clock;
  warmup: Pick<WarmupService, 'setPaused'>;
}

/** The whole workspace at a glance, and the actions that apply to all of it at once. */
export function fleetService(deps: FleetServiceNeeds) {
  const store = fleetStore(deps.db.sqlite);
  const figures = fleetFigures(deps.db.sqlite);
  const activity = activityStore(deps.db.sqlite);

  /** Pause or resume every warmup not already so, through the one path that emits warmup.updated. */
  async function setAllPaused(workspaceId: string, paused: boolean): Promise<{ count: number }> {
    const ids = store.warmupsPaused(workspaceId, !paused);
    for (const id of ids) await deps.warmup.setPaused(workspaceId, id, paused);
    return { count: ids.length };
  }

  return {
    /** A fixed handful of grouped reads whatever the number of mailboxes. */
    async get(workspaceId: string): Promise<Fleet> {
      const sources = store.mailboxes(workspaceId);
      const read = figures.read(workspaceId, sources.map((m) => ({ id: m.id, timeZone: m.ramp_tz ?? m.time_zone })), deps.clock.now());
      const mailboxes = sources.map((m, i) => toFleetRow(m, read[i]!.today, read[i]!.inboxRate7d));
      return { mailboxes, totals: sumToday(mailboxes.map((r) => r.today)), alerts: alertsOf(mailboxes) };
    },

    activity: async (workspaceId: string, mailboxId: string, limit: number, cursor?: string) => activity.page(workspaceId, mailboxId, limit, cursor),
    pauseAll: (workspaceId: string) => setAllPaused(workspaceId, true),
    resumeAll: (workspaceId: string) => setAllPaused(workspaceId, false),
  };
}
export type FleetService = ReturnType<typeof fleetService>;
