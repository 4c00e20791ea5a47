// The delivery log across the workspace's webhooks: filters (webhook, status, event type), one
// page at a time (newest first, "More" follows the cursor), and Redeliver, which queues a delivery
// again with the same webhook-id and reloads the log.
import { create } from 'zustand';
import type { DeliveryStatus, WebhookDelivery, WebhookEventType } from '../../../../shared/domain/webhook';
import { client } from '../../api/index';
import { failed, idle, loading, ready, toAppError, type AppError, type Remote } from '../../stores/errors';

export interface LogFilters {
  webhookId: string;
  status: DeliveryStatus | '';
  type: WebhookEventType | '';
}

export interface WebhookLogStore {
  filters: LogFilters;
  page: Remote<WebhookDelivery[]>;
  nextCursor: string | null;
  /** Deliveries being queued again. */
  redelivering: Record<string, boolean>;
  actionError: { id: string; error: AppError } | null;
  setFilters(patch: Partial<LogFilters>): Promise<void>;
  load(more?: boolean): Promise<void>;
  redeliver(id: string): Promise<boolean>;
}

let seq = 0;

export const useWebhookLog = create<WebhookLogStore>()((set, get) => ({
  filters: { webhookId: '', status: '', type: '' },
  page: idle(),
  nextCursor: null,
  redelivering: {},
  actionError: null,

  async setFilters(patch) {
    set((s) => ({ filters: { ...s.filters, ...patch } }));
    await get().load();
  },
  async load(more = false) {
    const mine = ++seq;
    const { filters, nextCursor } = get();
    set((s) => ({ page: loading(s.page) }));
    try {
      const res = await client.call('webhooks.deliveryLog', {
        webhookId: filters.webhookId || undefined,
        status: filters.status || undefined,
        type: filters.type || undefined,
        limit: 25,
        cursor: more ? (nextCursor ?? undefined) : undefined,
      });
      if (mine !== seq) return;
      set((s) => ({ page: ready(more ? [...(s.page.data ?? []), ...res.items] : res.items), nextCursor: res.nextCursor }));
    } catch (err) {
      if (mine === seq) set((s) => ({ page: failed(s.page, err) }));
    }
  },
  async redeliver(id) {
    set((s) => ({ actionError: null, redelivering: { ...s.redelivering, [id]: true } }));
    try {
      const again = await client.call('webhooks.redeliver', { id });
      set((s) => ({ page: s.page.data ? ready(s.page.data.map((d) => (d.id === id ? again : d))) : s.page }));
      return true;
    } catch (err) {
      set({ actionError: { id, error: toAppError(err) } });
      return false;
    } finally {
      set((s) => ({ redelivering: { ...s.redelivering, [id]: false } }));
    }
  },
}));
