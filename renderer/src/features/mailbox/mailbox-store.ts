// One mailbox's detail: warmup state and ramp, daily stats, today's plan, activity log, and the
// ramp editor's live preview. Push events for this mailbox keep it fresh while its screen is open.
import { create } from 'zustand';
import type { Output } from '../../../../shared/api/table';
import type { WarmupStatus, DailyStats, DayPlan } from '../../../../shared/domain/warmup';
import type { ActivityItem } from '../../../../shared/domain/fleet';
import type { Mailbox } from '../../../../shared/domain/mailbox';
import type { RampPatch } from '../../../../shared/warmup/ramp';
import { client } from '../../api/index';
import { failed, idle, loading, ready, throttle, toAppError, type AppError, type Remote } from '../../stores/errors';

type Preview = Output<'warmup.preview'>;
export type RampPreset = 'gentle' | 'standard' | 'aggressive';
export interface ActivityPage {
  items: ActivityItem[];
  nextCursor: string | null;
}
type Loaded = 'mailbox' | 'warmup' | 'stats' | 'plan';

export interface MailboxStore {
  id: string | null;
  mailbox: Remote<Mailbox>;
  warmup: Remote<WarmupStatus>;
  stats: Remote<DailyStats[]>;
  plan: Remote<DayPlan>;
  activity: Remote<ActivityPage>;
  preview: Remote<Preview>;
  saving: boolean;
  /** The ramp editor's save refused (validation errors in details). */
  saveError: AppError | null;
  /** A warmup switch (on/off, pool, pause) refused. */
  warmupError: AppError | null;
  /** Load a mailbox and follow its events; `close` stops following (the data stays for a quick return). */
  open(id: string): Promise<void>;
  close(): void;
  /** First page again, or (more) the page after the last one loaded. */
  loadActivity(more?: boolean): Promise<void>;
  /** Debounced preview of a ramp being edited. */
  previewRamp(patch: RampPatch, preset?: RampPreset): void;
  saveRamp(patch: RampPatch, preset?: RampPreset): Promise<boolean>;
  setWarmup(change: { enabled?: boolean; pool?: boolean; paused?: boolean }): Promise<void>;
}

const DAYS = 30;
let previewTimer: ReturnType<typeof setTimeout> | null = null;
let previewSeq = 0;
let subscribed = false;
let watching = false;

/** New events first, then what was already loaded (pages loaded with "Load more" are kept). */
function merge(prev: ActivityPage | null, first: ActivityPage): ActivityPage {
  if (!prev || prev.items.length === 0) return first;
  const known = new Set(prev.items.map((i) => i.id));
  const fresh = first.items.filter((i) => !known.has(i.id));
  // More new events than one page holds: the gap cannot be joined, start over from the top.
  if (fresh.length === first.items.length && first.nextCursor) return first;
  return { items: [...fresh, ...prev.items], nextCursor: prev.nextCursor };
}

export const useMailbox = create<MailboxStore>()((set, get) => {
  const mine = (id: string | undefined) => watching && id !== undefined && id === get().id;
  const fetchInto = async <K extends Loaded>(id: string, key: K, call: () => Promise<NonNullable<MailboxStore[K]['data']>>) => {
    set((s) => ({ [key]: loading(s[key] as Remote<unknown>) }) as Partial<MailboxStore>);
    try {
      const data = await call();
      if (get().id === id) set({ [key]: ready(data) } as Partial<MailboxStore>);
    } catch (err) {
      if (get().id === id) set((s) => ({ [key]: failed(s[key] as Remote<unknown>, err) }) as Partial<MailboxStore>);
    }
  };
  const loadNumbers = (id: string) =>
    Promise.all([fetchInto(id, 'stats', () => client.call('warmup.stats', { id, days: DAYS })), fetchInto(id, 'plan', () => client.call('warmup.plan', { id }))]);
  // A burst of message events (queued, sending, sent, placement…) becomes one refetch a second.
  const refresh = throttle(() => {
    const id = get().id;
    if (id && watching) void Promise.all([loadNumbers(id), get().loadActivity()]);
  }, 1000);
  const subscribe = () => {
    if (subscribed) return;
    subscribed = true;
    client.on('message.updated', (e) => mine(e.mailboxId) && refresh());
    client.on('warmup.updated', (w) => mine(w.mailboxId) && (set({ warmup: ready(w) }), refresh()));
    client.on('mailbox.updated', (m) => mine(m.id) && set({ mailbox: ready(m) }));
    client.on('mailbox.deleted', (e) => mine(e.id) && set({ mailbox: { status: 'error', data: null, error: { code: 'NOT_FOUND', message: 'This mailbox was deleted.' } } }));
  };

  return {
    id: null,
    mailbox: idle(),
    warmup: idle(),
    stats: idle(),
    plan: idle(),
    activity: idle(),
    preview: idle(),
    saving: false,
    saveError: null,
    warmupError: null,

    async open(id) {
      subscribe();
      watching = true;
      if (get().id !== id) set({ id, mailbox: idle(), warmup: idle(), stats: idle(), plan: idle(), activity: idle(), preview: idle(), saveError: null, warmupError: null });
      await Promise.all([
        fetchInto(id, 'mailbox', () => client.call('mailboxes.get', { id })),
        fetchInto(id, 'warmup', () => client.call('warmup.get', { id })),
        loadNumbers(id),
        get().loadActivity(),
      ]);
    },

    close() {
      watching = false;
    },

    async loadActivity(more = false) {
      const id = get().id;
      if (!id) return;
      const prev = get().activity;
      const cursor = more ? prev.data?.nextCursor : undefined;
      if (more && !cursor) return;
      set({ activity: loading(prev) });
      try {
        const page = await client.call('mailboxes.activity', { id, limit: 50, ...(cursor ? { cursor } : {}) });
        if (get().id !== id) return;
        const cur = get().activity.data;
        set({ activity: ready(more && cur ? { items: [...cur.items, ...page.items], nextCursor: page.nextCursor } : merge(cur, page)) });
      } catch (err) {
        if (get().id === id) set((s) => ({ activity: failed(s.activity, err) }));
      }
    },

    // Typing a number asks for one preview, not one per keystroke; stale answers are dropped.
    previewRamp(patch, preset) {
      if (previewTimer) clearTimeout(previewTimer);
      previewTimer = setTimeout(() => {
        const id = get().id;
        const seq = ++previewSeq;
        set((s) => ({ preview: loading(s.preview) }));
        client.call('warmup.preview', { ...(id ? { mailboxId: id } : {}), ...(preset ? { preset } : {}), ramp: patch, days: DAYS }).then(
          (p) => seq === previewSeq && set({ preview: ready(p) }),
          (err: unknown) => seq === previewSeq && set((s) => ({ preview: failed(s.preview, err) })),
        );
      }, 250);
    },

    async saveRamp(patch, preset) {
      const id = get().id;
      if (!id) return false;
      set({ saving: true, saveError: null });
      try {
        set({ warmup: ready(await client.call('warmup.update', { id, ...(preset ? { preset } : {}), ramp: patch })) });
        void loadNumbers(id);
        return true;
      } catch (err) {
        set({ saveError: toAppError(err) });
        return false;
      } finally {
        set({ saving: false });
      }
    },

    async setWarmup({ enabled, pool, paused }) {
      const id = get().id;
      if (!id) return;
      set({ warmupError: null });
      try {
        const w =
          paused === undefined
            ? await client.call('warmup.update', { id, ...(enabled !== undefined ? { enabled } : {}), ...(pool !== undefined ? { pool } : {}) })
            : await client.call(paused ? 'warmup.pause' : 'warmup.resume', { id });
        set({ warmup: ready(w) });
        void loadNumbers(id);
      } catch (err) {
        set({ warmupError: toAppError(err) });
      }
    },
  };
});
