// Health scores: computed from what Kiln measured (see score.ts, inputs.ts), stored once per
// mailbox per day (the day's latest), with a `score.dropped` alert when a score falls below 70 or
// by 15 points from the previous stored day — raised on that change only, resolved on recovery.
import type { HealthComponent, MailboxHealth } from '../../../shared/domain/health';
import { localDate } from '../../../shared/warmup/calendar';
import type { MailboxRow } from '../db/schema';
import type { Db } from '../db/connection';
import type { Clock } from '../clock';
import type { EventBus } from '../events/bus';
import type { Logger } from '../log';
import type { AlertService } from '../alerts/service';
import type { DmarcService } from '../dmarc/service';
import type { PlacementTestService } from '../placement-tests/service';
import { KilnError } from '../../../shared/errors';
import { domainCompliance } from './compliance';
import { healthInputs } from './inputs';
import { healthScoreOf } from './score';
import { watchOutcomeAlerts } from './watch-alerts';

const LOW = 70;
const DROP = 15;

/** What mailbox health uses (its inputs, compliance and outcome alerts too). */
export interface HealthServiceNeeds {
  db: Db;
  clock: Clock;
  bus: EventBus;
  log: Logger;
  alerts: Pick<AlertService, 'raise' | 'resolve'>;
  dmarc: Pick<DmarcService, 'summary'>;
  placementTests: Pick<PlacementTestService, 'get'>;
}

export function healthService(deps: HealthServiceNeeds) {
  const sqlite = deps.db.sqlite;
  const inputsFor = healthInputs(deps);
  const mailboxSt = sqlite.prepare('SELECT * FROM mailboxes WHERE workspace_id = ? AND id = ? AND deleted_at IS NULL');
  const allSt = sqlite.prepare('SELECT * FROM mailboxes WHERE deleted_at IS NULL');
  const upsert = sqlite.prepare(
    `INSERT INTO health_scores (mailbox_id, workspace_id, day, score, components, computed_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (mailbox_id, day) DO UPDATE SET score = excluded.score, components = excluded.components, computed_at = excluded.computed_at`,
  );
  const previousSt = sqlite.prepare('SELECT score FROM health_scores WHERE mailbox_id = ? AND day < ? AND score IS NOT NULL ORDER BY day DESC LIMIT 1').pluck();
  const historySt = sqlite.prepare('SELECT day, score FROM health_scores WHERE mailbox_id = ? AND day >= ? ORDER BY day');
  const rangeSt = sqlite.prepare('SELECT day, score, components FROM health_scores WHERE workspace_id = ? AND mailbox_id = ? AND day >= ? AND day <= ? ORDER BY day');
  let timer: NodeJS.Timeout | null = null;
  const outcomeAlerts = watchOutcomeAlerts(deps);

  async function compute(mb: MailboxRow): Promise<{ day: string; score: number | null; components: HealthComponent[] }> {
    const now = deps.clock.now();
    const day = localDate(now, mb.time_zone);
    const { score, components } = healthScoreOf(await inputsFor(mb, now));
    upsert.run(mb.id, mb.workspace_id, day, score, JSON.stringify(components), now);
    outcomeAlerts.checkMailbox(mb.id);
    const previous = previousSt.get(mb.id, day) as number | undefined;
    const key = `score:${mb.id}`;
    if (score !== null && previous !== undefined) {
      if ((previous >= LOW && score < LOW) || previous - score >= DROP) {
        const weakest = components.filter((c) => c.score !== null).sort((a, b) => a.score! - b.score!)[0];
        deps.alerts.raise(mb.workspace_id, {
          kind: 'score.dropped',
          severity: score < 50 ? 'critical' : 'warning',
          key,
          title: `${mb.email}: health score ${previous} → ${score}`,
          detail: weakest ? `Weakest part: ${weakest.label} (${weakest.score}): ${weakest.detail}` : 'See the health breakdown',
          mailboxId: mb.id,
        });
      } else if (score >= LOW && previous - score < DROP) {
        deps.alerts.resolve(mb.workspace_id, key);
      }
    }
    return { day, score, components };
  }

  return {
    async mailbox(workspaceId: string, id: string, days: number): Promise<MailboxHealth> {
      const mb = mailboxSt.get(workspaceId, id) as MailboxRow | undefined;
      if (!mb) throw new KilnError('NOT_FOUND', `No mailbox ${id} in this workspace`);
      const now = await compute(mb);
      const from = localDate(deps.clock.now() - (days - 1) * 86_400_000, mb.time_zone);
      const history = historySt.all(mb.id, from) as Array<{ day: string; score: number | null }>;
      return { mailboxId: mb.id, day: now.day, score: now.score, components: now.components, history };
    },

    /** The stored daily scores with their parts, from..to (local days), as they were computed: reports read these. */
    storedRange(workspaceId: string, mailboxId: string, from: string, to: string): Array<{ day: string; score: number | null; components: HealthComponent[] }> {
      const rows = rangeSt.all(workspaceId, mailboxId, from, to) as Array<{ day: string; score: number | null; components: string }>;
      return rows.map((r) => ({ day: r.day, score: r.score, components: (JSON.parse(r.components) as HealthComponent[]) ?? [] }));
    },

    compliance: domainCompliance(deps),

    /** Score every mailbox (the daily record, and alerts on a drop). */
    async refreshAll(): Promise<number> {
      const rows = allSt.all() as MailboxRow[];
      for (const mb of rows) await compute(mb);
      return rows.length;
    },

    start(everyMs = 3_600_000): void {
      timer ??= setInterval(() => void this.refreshAll().catch((e: unknown) => deps.log.warn({ err: (e as Error).message }, 'health scoring failed')), everyMs);
      timer.unref?.();
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
export type HealthService = ReturnType<typeof healthService>;
