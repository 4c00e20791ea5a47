// The weekly report mail: once per week, at the chosen weekday and hour in the report time zone,
// the last seven days' report goes to the recipient through the chosen mailbox (the messages
// service, kind 'api', as an HTML mail). The slot's week is recorded before the mail is queued and
// the mail carries an idempotency key per week, so a restart never sends it twice.
import type { ReportSettings } from '../../../shared/domain/report';
import { addDays, isoWeekday, localDate, zonedTime } from '../../../shared/warmup/calendar';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { MessageService } from '../messages/service';
import type { ReportSettingsStore } from './settings';

/** The local date of the latest weekly slot at or before `now` (its week's key). */
export function currentSlot(w: ReportSettings['weekly'], timeZone: string, now: number): string {
  const today = localDate(now, timeZone);
  const back = (((isoWeekday(today) % 7) - w.weekday) % 7 + 7) % 7;
  const day = addDays(today, -back);
  const hh = `${String(w.hour).padStart(2, '0')}:00`;
  return zonedTime(day, hh, timeZone) <= now ? day : addDays(day, -7);
}

export interface WeeklyNeeds {
  clock: Clock;
  log: Logger;
  settings: ReportSettingsStore;
  messages: Pick<MessageService, 'enqueue'>;
  render: (workspaceId: string, range: { from: string; to: string }) => Promise<{ subject: string; html: string; text: string }>;
}

export class WeeklyReports {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: WeeklyNeeds,
    private readonly pollMs = 60_000,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running.catch(() => undefined);
  }

  /** Send every due weekly report; resolves with how many were queued. Passes never overlap. */
  tick(): Promise<number> {
    const next = this.running.then(() => this.pass());
    this.running = next.catch((err: unknown) => this.deps.log.error({ err: (err as Error).message }, 'weekly report failed'));
    return next;
  }

  private async pass(): Promise<number> {
    let sent = 0;
    const now = this.deps.clock.now();
    for (const ws of this.deps.settings.weeklyWorkspaces()) {
      const s = this.deps.settings.get(ws);
      const w = s.weekly;
      if (!w.enabled || !w.recipient || !w.mailboxId) continue;
      const slot = currentSlot(w, s.timeZone, now);
      if (s.lastSentWeek !== null && s.lastSentWeek >= slot) continue;
      this.deps.settings.markSent(ws, slot);
      // One workspace's failure (its mailbox deleted, a recipient suppressed) skips its week only.
      try {
        const mail = await this.deps.render(ws, { from: addDays(slot, -7), to: addDays(slot, -1) });
        const queued = await this.deps.messages.enqueue(ws, { mailboxId: w.mailboxId, to: [w.recipient], subject: mail.subject, html: mail.html, text: mail.text, idempotencyKey: `kiln-weekly-report-${slot}` }, 'api');
        this.deps.settings.recordWeekly(ws, { week: slot, at: new Date(now).toISOString(), messageId: queued.id, error: null });
        this.deps.log.info({ workspace: ws, week: slot }, 'weekly report queued');
        sent++;
      } catch (err) {
        const error = { code: (err as { code?: string }).code ?? 'INTERNAL', message: (err as Error).message };
        this.deps.settings.recordWeekly(ws, { week: slot, at: new Date(now).toISOString(), messageId: null, error });
        this.deps.log.warn({ workspace: ws, week: slot, code: error.code, err: error.message }, 'weekly report not sent');
      }
    }
    return sent;
  }
}
