import type { MessageRow, WarmupSettingsRow } from '../db/schema';
import type { WarmupLimits } from '../../../shared/domain/warmup';
import { localDate } from '../../../shared/warmup/calendar';
import type { ContentProvider, ContentRequest } from './content';
import { Limiter } from './limiter';
import { rampOf } from './planner';
import { domainOf } from '../mail/address';
import type { WarmupStore } from './store';
import { newRef } from '../util/ids';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const BATCH = 200;

export interface PromoterEnv {
  store: WarmupStore;
  now(): number;
  limits(workspaceId: string): WarmupLimits;
  content(workspaceId: string): Promise<ContentProvider>;
  suppressed(workspaceId: string, address: string): Promise<boolean>;
  /** Tell the dispatcher a mailbox has mail due. */
  kick(mailboxId: string): void;
  onDropped(m: MessageRow, reason: string): void;
  random?: () => number;
}

const firstNameless = (address: string) => ({ address, name: null });

/**
 * Turns planned messages into queued ones when they fall due: under per-mailbox and per-domain
 * limits, with content rendered at the last moment (so an LLM endpoint is asked only for mail
 * that really goes out, and a slow one delays one message, not the plan).
 */
export class Promoter {
  private readonly limiter = new Limiter();
  private rebuilt = false;

  constructor(private readonly env: PromoterEnv) {}

  async promoteDue(): Promise<number> {
    const { store } = this.env;
    const now = this.env.now();
    if (!this.rebuilt) this.rebuild(now);
    let promoted = 0;
    const kicked = new Set<string>();
    for (const m of store.due(now, BATCH)) {
      const to = store.recipientOf(m.id);
      const w = store.settings(m.mailbox_id);
      // Held by a pause (the due query leaves these out; a pause between that read and now lands here).
      if (m.kind === 'warmup' && (w?.paused_at != null || w?.state === 'paused')) continue;
      const drop = to ? await this.dropReason(m, w, to, now) : 'no recipient';
      if (drop) {
        if (store.deletePlanned(m.id)) this.dropped(m, drop, now);
        continue;
      }
      const keys = this.keys(m, to!);
      const at = Math.max(...keys.map(([key, limits]) => this.limiter.nextAllowed(key, limits, now)));
      if (at > now) {
        // Deferred past the limit plus a little noise, so deferred mail does not go out in a burst.
        store.defer(m.id, at + Math.round((this.env.random ?? Math.random)() * MINUTE), now);
        continue;
      }
      let content;
      try {
        content = await (await this.env.content(m.workspace_id)).generate(this.request(m, w, to!, now));
      } catch (err) {
        // One message that cannot be written (e.g. a reply whose original is gone) must not stall
        // the queue behind it: a reply is dropped, anything else tried again in a few minutes.
        if (m.kind === 'reply') {
          if (store.deletePlanned(m.id)) this.dropped(m, `content failed: ${(err as Error).message}`, now);
        } else store.defer(m.id, now + 5 * MINUTE, now);
        continue;
      }
      for (const [key] of keys) this.limiter.record(key, now);
      if (store.transaction(() => store.promote(m, content.subject, content.text, newRef(), this.env.now()))) {
        promoted++;
        kicked.add(m.mailbox_id);
      }
    }
    for (const id of kicked) this.env.kick(id);
    return promoted;
  }

  /** A planned message dropped: logged, and a warmup message counted on its day with the reason. */
  private dropped(m: MessageRow, reason: string, now: number): void {
    if (m.kind === 'warmup' && m.plan_day) this.env.store.noteDropped(m.mailbox_id, m.plan_day, 1, `A planned warmup message was dropped: ${reason}.`, now);
    this.env.onDropped(m, reason);
  }

  private keys(m: MessageRow, to: string): [string, { windowMs: number; max: number }[]][] {
    const l = this.env.limits(m.workspace_id);
    return [
      [`mailbox:${m.mailbox_id}`, [{ windowMs: MINUTE, max: l.mailboxPerMinute }, { windowMs: HOUR, max: l.mailboxPerHour }]],
      [`domain:${domainOf(to)}`, [{ windowMs: MINUTE, max: l.domainPerMinute }, { windowMs: HOUR, max: l.domainPerHour }, { windowMs: DAY, max: l.domainPerDay }]],
    ];
  }

  /** Why a due message must not go out any more (null: it may). */
  private async dropReason(m: MessageRow, w: WarmupSettingsRow | undefined, to: string, now: number): Promise<string | null> {
    if (await this.env.suppressed(m.workspace_id, to)) return 'recipient suppressed';
    if (m.kind !== 'warmup') return null;
    if (!w || w.enabled !== 1) return 'warmup turned off';
    // Yesterday's plan is not sent today on top of today's (Kiln was stopped, or a pause outlasted it).
    if (m.plan_day && m.plan_day < localDate(now, rampOf(w).timeZone)) return 'plan day over';
    return null;
  }

  private request(m: MessageRow, w: WarmupSettingsRow | undefined, to: string, now: number): ContentRequest {
    const { store } = this.env;
    const timeZone = w ? rampOf(w).timeZone : 'UTC';
    const req: ContentRequest = { kind: m.kind === 'reply' ? 'reply' : 'warmup', seed: m.id, from: firstNameless(m.from_addr), to: firstNameless(to), at: now, timeZone };
    if (m.kind === 'reply' && m.in_reply_to) {
      const original = store.messageByMessageId(m.in_reply_to);
      if (original) req.original = { subject: original.subject, text: store.textOf(original.id), from: original.from_addr, sentAt: original.sent_at ?? now };
    }
    return req;
  }

  private rebuild(now: number): void {
    for (const r of this.env.store.released(now - DAY)) {
      this.limiter.record(`mailbox:${r.mailbox}`, r.at);
      this.limiter.record(`domain:${domainOf(r.address)}`, r.at);
    }
    this.rebuilt = true;
  }
}
