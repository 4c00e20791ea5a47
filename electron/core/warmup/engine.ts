import cron, { type ScheduledTask } from 'node-cron';
import type { Db } from '../db/connection';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { SuppressionService } from '../suppressions/service';
import type { MailboxRow, MessageRow } from '../db/schema';
import { localDate } from '../../../shared/warmup/calendar';
import { windowOf } from '../../../shared/warmup/ramp';
import { newId, newMessageId } from '../util/ids';
import { Planner, rampOf } from './planner';
import { Promoter } from './promoter';
import { recordDecisions } from './decisions';
import { warmupStore, type WarmupStore } from './store';
import type { WarmupConfig } from './config';

const MINUTE = 60_000;

/** Replies go out like a person's: minutes to an hour or so after the dwell, inside the replier's window. */
const REPLY_DELAY_MS: [number, number] = [5 * MINUTE, 90 * MINUTE];

/** What the warmup scheduler uses; `kick` hands released mail to the dispatcher. */
export interface WarmupEngineNeeds {
  db: Db;
  clock: Clock;
  log: Logger;
  suppressions: Pick<SuppressionService, 'suppressed'>;
  kick: (mailboxId?: string) => void;
}

/**
 * The warmup scheduler: every tick (node-cron, every 15 s on the real clock; tests call tick()
 * after moving their clock) it plans days that have started, applies the closed loop, and
 * releases due planned mail to the dispatcher. Ticks never overlap.
 */
export class WarmupEngine {
  readonly store: WarmupStore;
  private readonly planner: Planner;
  private readonly promoter: Promoter;
  private task: ScheduledTask | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly deps: WarmupEngineNeeds,
    private readonly config: WarmupConfig,
  ) {
    this.store = warmupStore(deps.db.sqlite);
    const now = () => deps.clock.now();
    this.planner = new Planner({ store: this.store, now, limits: (ws) => config.limits(ws), suppressed: () => config.suppressedAll() });
    this.promoter = new Promoter({
      store: this.store,
      now,
      limits: (ws) => config.limits(ws),
      content: (ws) => config.content(ws),
      suppressed: async (ws, address) => (await deps.suppressions.suppressed(ws, [address])).length > 0,
      kick: (id) => deps.kick(id),
      onDropped: (m, reason) => deps.log.info({ messageId: m.id, mailboxId: m.mailbox_id, reason }, 'planned warmup message dropped'),
    });
  }

  start(): void {
    this.stopped = false;
    this.task = cron.schedule('*/15 * * * * *', () => void this.tick(), { name: 'kiln-warmup', noOverlap: true });
    void this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.task?.destroy();
    this.task = null;
    await this.running.catch(() => undefined);
  }

  /** One pass: plan, loop, release. Serialised: a tick that finds one running waits for it. */
  tick(): Promise<{ planned: number; promoted: number }> {
    const next = this.running.then(() => this.pass());
    this.running = next.catch((err: unknown) => this.deps.log.error({ err }, 'warmup tick failed'));
    return next;
  }

  private async pass(): Promise<{ planned: number; promoted: number }> {
    if (this.stopped) return { planned: 0, promoted: 0 };
    const now = this.deps.clock.now();
    const senders = this.store.senders();
    const decisions = recordDecisions(this.store, this.planner, senders, now, (id) => this.config.changed(id));
    const { planned } = this.planner.run(senders, decisions);
    const promoted = await this.promoter.promoteDue();
    return { planned, promoted };
  }

  /**
   * The receiving side answers a warmup message: planned, not sent at once, so it goes out after a
   * realistic delay, inside the replier's send window, under the same limits as warmup mail.
   * Resolves false when the original sender is suppressed in the replier's workspace.
   */
  async planReply(from: MailboxRow, original: MessageRow, random: () => number = Math.random): Promise<boolean> {
    if ((await this.deps.suppressions.suppressed(from.workspace_id, [original.from_addr])).length > 0) return false;
    const now = this.deps.clock.now();
    const [min, max] = REPLY_DELAY_MS;
    let at = now + min + random() * (max - min);
    const w = this.store.settings(from.id);
    const ramp = w ? rampOf(w) : null;
    if (ramp) {
      const window = windowOf(ramp, localDate(at, ramp.timeZone));
      // Past today's window: the first hour of the next window.
      if (at > window.end) at = windowOf(ramp, localDate(at + 12 * 3_600_000, ramp.timeZone)).start + random() * 60 * MINUTE;
      else if (at < window.start) at = window.start + random() * 60 * MINUTE;
    }
    const timeZone = ramp?.timeZone ?? from.time_zone;
    const references = original.references ? `${original.references} ${original.message_id}` : original.message_id;
    this.store.transaction(() => {
      const writer = this.store.plannedWriter(now);
      writer.add({
        id: newId('msg'),
        workspace_id: from.workspace_id,
        mailbox_id: from.id,
        kind: 'reply',
        message_id: newMessageId(from.email),
        from_addr: from.email,
        to: original.from_addr,
        at: Math.round(at),
        plan_day: localDate(at, timeZone),
        in_reply_to: original.message_id,
        references,
      });
      writer.flush();
    });
    return true;
  }
}
