import type { Fleet } from '../../../shared/domain/fleet';
import { localDate } from '../../../shared/warmup/calendar';
import type { Deps } from '../deps';
import { emptyDay, warmupStatsStore } from '../warmup/stats';
import { activityStore } from './activity';
import { alertsOf, toFleetRow } from './derive';
import { fleetStore } from './store';

const WEEK = 7 * 24 * 3_600_000;

/** The whole workspace at a glance, and the actions that apply to all of it at once. */
export function fleetService(deps: Deps) {
  const store = fleetStore(deps.db.sqlite);
  const stats = warmupStatsStore(deps.db.sqlite);
  const activity = activityStore(deps.db.sqlite);

  /** Pause or resume every warmup not already so, through the one path that emits warmup.updated. */
  async function setAllPaused(workspaceId: string, paused: boolean): Promise<{ count: number }> {
    const ids = store.warmupsPaused(workspaceId, !paused);
    for (const id of ids) await deps.warmup.setPaused(workspaceId, id, paused);
    return { count: ids.length };
  }

  return {
    /** Five grouped reads whatever the number of mailboxes. */
    async get(workspaceId: string): Promise<Fleet> {
      const now = deps.clock.now();
      const sources = store.mailboxes(workspaceId);
      const dayIn = new Map<string, string>();
      const dayOf = (tz: string) => dayIn.get(tz) ?? dayIn.set(tz, localDate(now, tz)).get(tz)!;
      const days = sources.map((m) => dayOf(m.ramp_tz ?? m.time_zone));
      const today = stats.workspaceDays(workspaceId, [...new Set(days)]);
      const rates = store.inboxRates(workspaceId, now - WEEK);
      const mailboxes = sources.map((m, i) => {
        const day = days[i]!;
        return toFleetRow(m, today.get(`${m.id}|${day}`) ?? emptyDay(day), rates.get(m.id) ?? null);
      });
      return { mailboxes, alerts: alertsOf(mailboxes) };
    },

    activity: async (workspaceId: string, mailboxId: string, limit: number, cursor?: string) => activity.page(workspaceId, mailboxId, limit, cursor),
    pauseAll: (workspaceId: string) => setAllPaused(workspaceId, true),
    resumeAll: (workspaceId: string) => setAllPaused(workspaceId, false),
  };
}
export type FleetService = ReturnType<typeof fleetService>;
