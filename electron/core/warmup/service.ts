import { ZodError } from 'zod';
import type { ParsedInput } from '../../../shared/api/table';
import type { DailyStats, DayPlan, PoolRecipient, WarmupStatus } from '../../../shared/domain/warmup';
import { KilnError } from '../../../shared/errors';
import { addDays, localDate } from '../../../shared/warmup/calendar';
import { loopSettingsSchema } from '../../../shared/warmup/loop';
import { applyRampPatch, defaultRamp, rampPresets, type Ramp, type RampPatch } from '../../../shared/warmup/ramp';
import { previewRamp, type LoopOutlook } from '../../../shared/warmup/effective';
import type { MailboxRow, PoolRecipientRow, WarmupSettingsRow } from '../db/schema';
import type { Db } from '../db/connection';
import type { Clock } from '../clock';
import type { WarmupConfig } from './config';
import { newId } from '../util/ids';
import { iso, isoOrNull } from '../util/time';
import { loopOf, Planner, rampOf } from './planner';
import { closeHeldDays } from './hold';
import { warmupStatsStore } from './stats';
import type { WarmupStore } from './store';
import { hasImapAccess } from '../mail/imap';

export function toWarmupStatus(w: WarmupSettingsRow): WarmupStatus {
  return {
    mailboxId: w.mailbox_id,
    enabled: w.enabled === 1,
    pool: w.pool === 1,
    ramp: rampOf(w),
    loop: loopOf(w),
    progress: w.progress,
    state: w.state as WarmupStatus['state'],
    reason: w.state_reason,
    reasonCode: w.state_code,
    until: isoOrNull(w.state_until),
    pausedAt: isoOrNull(w.paused_at),
  };
}

/** The loop's standing decision as the preview applies it, from the state the scheduler last recorded. */
function loopOutlook(w: WarmupSettingsRow): LoopOutlook | null {
  if (w.state_until == null) return null;
  if (w.state === 'throttled') return { state: 'throttled', factor: loopOf(w).throttleFactor, frozen: true, until: w.state_until };
  if (w.state === 'holding') return { state: 'holding', factor: 1, frozen: true, until: w.state_until };
  return null;
}

const toPoolRecipient = (r: PoolRecipientRow): PoolRecipient => ({
  id: r.id,
  address: r.address,
  name: r.name,
  provider: r.provider,
  dailyCap: r.daily_cap,
  createdAt: iso(r.created_at),
});

/** A ramp with a patch applied; applyRampPatch re-validates the whole (cross-field rules run after the merge). */
function patchedRamp(base: Ramp, patch: RampPatch | undefined): Ramp {
  try {
    return applyRampPatch(base, patch ?? {});
  } catch (e) {
    if (!(e instanceof ZodError)) throw e;
    // The same field errors as the call path's input validation, so forms show them under the field.
    const fields = e.issues.map((i) => ({ path: ['ramp', ...i.path.map(String)].join('.'), message: i.message }));
    throw new KilnError('VALIDATION_FAILED', fields.map((f) => `${f.path}: ${f.message}`).join('; '), { fields });
  }
}

/** What the warmup service uses. */
export interface WarmupServiceNeeds {
  db: Db;
  clock: Clock;
  warmupConfig: Pick<WarmupConfig, 'limits' | 'suppressedAll'>;
}

export function warmupService(deps: WarmupServiceNeeds, store: WarmupStore, emit: (mailboxId: string) => void) {
  const sqlite = deps.db.sqlite;
  const mailboxSt = sqlite.prepare('SELECT * FROM mailboxes WHERE id = ? AND workspace_id = ? AND deleted_at IS NULL');
  const poolSt = sqlite.prepare(
    `SELECT b.id, b.email, b.provider, b.workspace_id, b.imap_host, w.enabled FROM warmup_settings w JOIN mailboxes b ON b.id = w.mailbox_id
      WHERE w.pool = 1 AND b.deleted_at IS NULL`,
  );
  const externalsSt = sqlite.prepare('SELECT * FROM pool_recipients WHERE workspace_id = ? ORDER BY created_at');
  const insertExternal = sqlite.prepare(
    'INSERT INTO pool_recipients (id, workspace_id, address, name, provider, daily_cap, created_at) VALUES (@id, @workspace_id, @address, @name, @provider, @daily_cap, @created_at)',
  );
  const externalSt = sqlite.prepare('SELECT * FROM pool_recipients WHERE id = ? AND workspace_id = ?');
  const deleteExternal = sqlite.prepare('DELETE FROM pool_recipients WHERE id = ? AND workspace_id = ?');
  const planItems = sqlite.prepare(
    `SELECT m.id, m.kind, r.address AS to_addr, m.next_attempt_at, m.created_at, m.status, m.sent_at FROM messages m
       JOIN message_recipients r ON r.message_id = m.id WHERE m.mailbox_id = ? AND m.plan_day = ? ORDER BY coalesce(m.sent_at, m.next_attempt_at, m.created_at)`,
  );
  const stats = warmupStatsStore(sqlite);
  const planner = new Planner({ store, now: () => deps.clock.now(), limits: (ws) => deps.warmupConfig.limits(ws), suppressed: () => deps.warmupConfig.suppressedAll() });

  /**
   * Hold or release one mailbox's day now, with the loop's current decision (in any process: the
   * CLI has no scheduler). On a resume by hand, the recorded "paused by hand" state is replaced by
   * that decision at once; other recorded states are the scheduler's to update.
   */
  function refresh(mailboxId: string, resumed: boolean): void {
    const s = store.sender(mailboxId);
    if (s) {
      const now = deps.clock.now();
      // Days a pause outlasted are over whatever happens next: closed now, not at the next plan.
      closeHeldDays({ store, limits: (ws) => deps.warmupConfig.limits(ws) }, s, localDate(now, rampOf(s).timeZone), now);
      const fresh = store.sender(mailboxId)!;
      const d = planner.decisions([fresh], now).get(mailboxId)!;
      if (resumed && fresh.state === 'paused' && fresh.state_code === 'MANUAL_PAUSE') {
        store.setState({ mailbox: mailboxId, state: d.state, code: d.code, reason: d.reason, until: d.until });
      }
      // Today's day only if already planned: a new day is the scheduler's to plan.
      planner.reconcileOne(fresh, d);
    }
    // One update, whatever changed: clients reload the status and the day plan from it.
    emit(mailboxId);
  }

  function mailbox(workspaceId: string, id: string): MailboxRow {
    const m = mailboxSt.get(id, workspaceId) as MailboxRow | undefined;
    if (!m) throw new KilnError('NOT_FOUND', `No mailbox ${id} in this workspace`);
    return m;
  }

  /** The mailbox's warmup row, created with defaults (off, its time zone) on first use. */
  function row(m: MailboxRow): WarmupSettingsRow {
    const existing = store.settings(m.id);
    if (existing) return existing;
    store.insertSettings({
      mailbox_id: m.id,
      workspace_id: m.workspace_id,
      enabled: 0,
      pool: 0,
      ramp: JSON.stringify(defaultRamp(m.time_zone)),
      loop: JSON.stringify(loopSettingsSchema.parse({})),
      updated_at: deps.clock.now(),
    });
    return store.settings(m.id)!;
  }

  function save(w: WarmupSettingsRow): WarmupStatus {
    store.saveSettings({ ...w, updated_at: deps.clock.now() });
    emit(w.mailbox_id);
    return toWarmupStatus(store.settings(w.mailbox_id)!);
  }


  return {
    get: async (workspaceId: string, id: string) => toWarmupStatus(row(mailbox(workspaceId, id))),

    async update(workspaceId: string, input: ParsedInput<'warmup.update'>): Promise<WarmupStatus> {
      const m = mailbox(workspaceId, input.id);
      const w = { ...row(m) };
      if (input.pool === true && !hasImapAccess(m)) {
        throw new KilnError('MAILBOX_NOT_READABLE', `${m.email} has no IMAP settings: pool members must be readable so Kiln can see where warmup mail lands`);
      }
      if (input.enabled !== undefined) {
        w.enabled = input.enabled ? 1 : 0;
        // Warming a readable mailbox puts it in the pool unless told otherwise: it receives as it sends.
        if (input.enabled && input.pool === undefined && hasImapAccess(m) && store.settings(m.id)?.enabled === 0) w.pool = 1;
      }
      if (input.pool !== undefined) w.pool = input.pool ? 1 : 0;
      if (input.preset || input.ramp) {
        // A new max or curve never restarts the ramp: `progress` is kept as is.
        const base: Ramp = input.preset ? { ...rampPresets[input.preset], timeZone: rampOf(w).timeZone, window: rampOf(w).window } : rampOf(w);
        w.ramp = JSON.stringify(patchedRamp(base, input.ramp));
      }
      if (input.loop) w.loop = JSON.stringify(loopSettingsSchema.parse({ ...loopOf(w), ...input.loop }));
      return save(w);
    },

    async setPaused(workspaceId: string, id: string, paused: boolean): Promise<WarmupStatus> {
      const w = { ...row(mailbox(workspaceId, id)) };
      const now = deps.clock.now();
      if (paused && w.paused_at == null) w.paused_at = now;
      if (!paused && w.paused_at != null) {
        w.paused_at = null;
        // Bounce and complaint counts restart from here: a person looked and decided to go on.
        w.resumed_at = now;
      }
      store.saveSettings({ ...w, updated_at: now });
      // The day is held or released now, not at the next tick: no screen says "paused" after Resume.
      refresh(id, !paused);
      return toWarmupStatus(store.settings(id)!);
    },

    /** A mailbox was paused or resumed: hold or release its day of warmup mail now. */
    async mailboxPaused(id: string): Promise<void> {
      refresh(id, false);
    },

    async preview(workspaceId: string, input: ParsedInput<'warmup.preview'>) {
      let base: Ramp = defaultRamp();
      let progress = 0;
      let seed = 'preview';
      let loop: LoopOutlook | null = null;
      let w: WarmupSettingsRow | null = null;
      if (input.mailboxId) {
        w = row(mailbox(workspaceId, input.mailboxId));
        base = rampOf(w);
        progress = w.progress;
        seed = w.mailbox_id;
        loop = loopOutlook(w);
      }
      if (input.preset) base = { ...rampPresets[input.preset], timeZone: base.timeZone, window: base.window };
      const ramp = patchedRamp(base, input.ramp);
      const from = input.from ?? localDate(deps.clock.now(), ramp.timeZone);
      // A day already planned keeps its sending day: the position has moved past it when it advanced.
      const planned = w ? store.day(w.mailbox_id, from) : undefined;
      if (planned?.sending_day != null) progress = planned.sending_day;
      const days = previewRamp(ramp, { from, days: input.days, progress, seed, loop });
      return { ramp, days, loop: loop && { state: loop.state, factor: loop.factor, until: iso(loop.until) } };
    },

    async plan(workspaceId: string, id: string, day?: string): Promise<DayPlan> {
      const m = mailbox(workspaceId, id);
      const w = row(m);
      const d = day ?? localDate(deps.clock.now(), rampOf(w).timeZone);
      const dr = store.day(m.id, d);
      const c = store.countsOne(m.id, d);
      const items = (planItems.all(m.id, d) as { id: string; kind: string; to_addr: string; next_attempt_at: number | null; created_at: number; status: string; sent_at: number | null }[]).map((r) => ({
        id: r.id,
        kind: r.kind as 'warmup' | 'reply',
        to: r.to_addr,
        at: iso(r.next_attempt_at ?? r.created_at),
        status: r.status,
        sentAt: isoOrNull(r.sent_at),
      }));
      return {
        mailboxId: m.id,
        day: d,
        planned: dr !== undefined,
        state: (dr?.state ?? null) as DayPlan['state'],
        reason: dr?.reason ?? dr?.dropped_reason ?? null,
        sendingDay: dr?.sending_day ?? null,
        volume: dr?.volume ?? 0,
        target: dr?.target ?? 0,
        sent: c.accepted,
        pending: c.pending,
        failed: c.failed,
        replies: c.replies,
        dropped: dr?.dropped ?? 0,
        droppedReason: dr?.dropped_reason ?? null,
        items,
      };
    },

    async stats(workspaceId: string, id: string, days: number): Promise<DailyStats[]> {
      const m = mailbox(workspaceId, id);
      const w = row(m);
      const today = localDate(deps.clock.now(), rampOf(w).timeZone);
      return stats.daily(m, addDays(today, -(days - 1)), today);
    },

    async pool(workspaceId: string) {
      const all = poolSt.all() as { id: string; email: string; provider: string; workspace_id: string; imap_host: string | null; enabled: number }[];
      const externals = externalsSt.all(workspaceId) as PoolRecipientRow[];
      const providers: Record<string, number> = {};
      for (const r of all) providers[r.provider] = (providers[r.provider] ?? 0) + 1;
      const allExternal = store.externals();
      for (const r of allExternal) providers[r.provider] = (providers[r.provider] ?? 0) + 1;
      return {
        mailboxes: all
          .filter((r) => r.workspace_id === workspaceId)
          .map((r) => ({ id: r.id, email: r.email, provider: r.provider, readable: r.imap_host != null, warming: r.enabled === 1 })),
        external: externals.map(toPoolRecipient),
        totals: { members: all.length + allExternal.length, providers, workspaces: new Set([...all.map((r) => r.workspace_id), ...allExternal.map((r) => r.workspace_id)]).size },
      };
    },

    async addRecipient(workspaceId: string, input: ParsedInput<'pool.addRecipient'>): Promise<PoolRecipient> {
      const row = { id: newId('pr'), workspace_id: workspaceId, address: input.address, name: input.name ?? null, provider: input.provider, daily_cap: input.dailyCap ?? null, created_at: deps.clock.now() };
      try {
        insertExternal.run(row);
      } catch (e) {
        if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new KilnError('CONFLICT', `${input.address} is already a pool recipient of this workspace`);
        throw e;
      }
      return toPoolRecipient(row);
    },

    async removeRecipient(workspaceId: string, id: string) {
      if (!externalSt.get(id, workspaceId)) throw new KilnError('NOT_FOUND', `No pool recipient ${id} in this workspace`);
      deleteExternal.run(id, workspaceId);
      return { id, deleted: true as const };
    },
  };
}
export type WarmupService = ReturnType<typeof warmupService>;
