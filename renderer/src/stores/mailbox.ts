// One mailbox's detail: warmup state and ramp, daily stats, today's plan, activity log, and the
// ramp editor's live preview. Refreshed by push events for this mailbox only.
import { create } from 'zustand';
import type { Output } from '../../../shared/api/table';
import type { WarmupStatus, DailyStats, DayPlan } from '../../../shared/domain/warmup';
import type { ActivityItem } from '../../../shared/domain/fleet';
import type { Mailbox } from '../../../shared/domain/mailbox';
import type { RampPatch } from '../../../shared/warmup/ramp';
import { client } from '../api';
import { failed, idle, loading, ready, throttle, toAppError, type AppError, type Remote } from './errors';

type Preview = Output<'warmup.preview'>;
type Preset = 'gentle' | 'standard' | 'aggressive';

export interface MailboxStore {
  id: string | null;
  mailbox: Remote<Mailbox>;
  warmup: Remote<WarmupStatus>;
  stats: Remote<DailyStats[]>;
  plan: Remote<DayPlan>;
  activity: Remote<{ items: ActivityItem[]; nextCursor: string | null }>;
  preview: Remote<Preview>;
  saving: boolean;
  saveError: AppError | null;
  open(id: string): Promise<void>;
  loadActivity(more?: boolean): Promise<void>;
  previewRamp(patch: RampPatch, preset?: Preset): void;
  saveRamp(patch: RampPatch, preset?: Preset): Promise<boolean>;
  setWarmup(change: { enabled?: boolean; pool?: boolean; paused?: boolean }): Promise<void>;
}

let previewTimer: ReturnType<typeof setTimeout> | null = null;
let previewSeq = 0;
let subscribed = false;

export const useMailbox = create<MailboxStore>()((set, get) => {
  const refresh = throttle(() => {
    const id = get().id;
    if (id) void Promise.all([loadCore(id), get().loadActivity()]);
  }, 1000);
  const mine = (id: string | undefined) => id !== undefined && id === get().id;
  const subscribe = () => {
    if (subscribed) return;
    subscribed = true;
    client.on('message.updated', (e) => mine(e.mailboxId) && refresh());
    client.on('warmup.updated', (w) => mine(w.mailboxId) && set({ warmup: ready(w) }));
    client.on('mailbox.updated', (m) => mine(m.id) && set({ mailbox: ready(m) }));
  };
  const fetchInto = async <K extends 'mailbox' | 'warmup' | 'stats' | 'plan'>(key: K, call: () => Promise<NonNullable<MailboxStore[K]['data']>>) => {
    set((s) => ({ [key]: loading(s[key] as Remote<unknown>) }) as Partial<MailboxStore>);
    try {
      const data = await call();
      set({ [key]: ready(data) } as Partial<MailboxStore>);
    } catch (err) {
      set((s) => ({ [key]: failed(s[key] as Remote<unknown>, err) }) as Partial<MailboxStore>);
    }
  };
  const loadCore = (id: string) =>
    Promise.all([
      fetchInto('mailbox', () => client.call('mailboxes.get', { id })),
      fetchInto('warmup', () => client.call('warmup.get', { id })),
      fetchInto('stats', () => client.call('warmup.stats', { id, days: 30 })),
      fetchInto('plan', () => client.call('warmup.plan', { id })),
    ]);

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

    async open(id) {
      subscribe();
      if (get().id !== id) set({ id, mailbox: idle(), warmup: idle(), stats: idle(), plan: idle(), activity: idle(), preview: idle(), saveError: null });
      await Promise.all([loadCore(id), get().loadActivity()]);
    },

    async loadActivity(more = false) {
      const id = get().id;
      if (!id) return;
      const prev = get().activity;
      const cursor = more ? (prev.data?.nextCursor ?? undefined) : undefined;
      set({ activity: loading(prev) });
      try {
        const page = await client.call('mailboxes.activity', { id, limit: 50, cursor });
        const items = more && prev.data ? [...prev.data.items, ...page.items] : page.items;
        set({ activity: ready({ items, nextCursor: page.nextCursor }) });
      } catch (err) {
        set({ activity: failed(prev, err) });
      }
    },

    // Debounced: typing a number asks for one preview, not one per keystroke; stale answers are dropped.
    previewRamp(patch, preset) {
      if (previewTimer) clearTimeout(previewTimer);
      previewTimer = setTimeout(() => {
        const id = get().id ?? undefined;
        const seq = ++previewSeq;
        set((s) => ({ preview: loading(s.preview) }));
        client.call('warmup.preview', { mailboxId: id, preset, ramp: patch, days: 30 }).then(
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
        set({ warmup: ready(await client.call('warmup.update', { id, preset, ramp: patch })) });
        void loadCore(id);
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
      set({ saveError: null });
      try {
        const w =
          paused === undefined
            ? await client.call('warmup.update', { id, enabled, pool })
            : await client.call(paused ? 'warmup.pause' : 'warmup.resume', { id });
        set({ warmup: ready(w) });
      } catch (err) {
        set({ saveError: toAppError(err) });
      }
    },
  };
});
