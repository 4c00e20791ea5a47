// Webhooks: registered receivers of alert events. A new one's signing secret is held here until
// its dialog closes, then dropped (the core never shows it again). Turning on/off, a test ping
// with its answer, recent deliveries per webhook; `webhook.updated` (Kiln turned one off after
// repeated failures, or another window changed it) refreshes the list.
import { create } from 'zustand';
import type { Input } from '../../../../shared/api/table';
import type { CreatedWebhook, Webhook, WebhookDelivery, WebhookEventType, WebhookTestResult } from '../../../../shared/domain/webhook';
import { client } from '../../api/index';
import { failed, idle, loading, ready, throttle, toAppError, type AppError, type Remote } from '../../stores/errors';

export interface WebhooksStore {
  hooks: Remote<Webhook[]>;
  /** The webhook just created, secret included: shown once, dropped when its dialog closes. */
  created: CreatedWebhook | null;
  /** Rows with an action under way. */
  busy: Record<string, boolean>;
  /** The last test ping's answer, per webhook. */
  tests: Record<string, WebhookTestResult>;
  /** Deliveries of the webhooks whose list is open. */
  deliveries: Record<string, Remote<WebhookDelivery[]>>;
  /** The last failed action: 'create' or a webhook id. */
  actionError: { scope: string; error: AppError } | null;
  load(): Promise<void>;
  create(input: Input<'webhooks.create'>): Promise<boolean>;
  forgetCreated(): void;
  setEnabled(id: string, enabled: boolean): Promise<boolean>;
  setEvents(id: string, events: WebhookEventType[]): Promise<boolean>;
  test(id: string): Promise<boolean>;
  remove(id: string): Promise<boolean>;
  loadDeliveries(id: string): Promise<void>;
  closeDeliveries(id: string): void;
}

let subscribed = false;
let seq = 0;

export const useWebhooks = create<WebhooksStore>()((set, get) => {
  const reload = throttle(() => void get().load(), 500);
  const act = async (scope: string, fn: () => Promise<unknown>): Promise<boolean> => {
    set((s) => ({ actionError: null, busy: { ...s.busy, [scope]: true } }));
    try {
      await fn();
      return true;
    } catch (err) {
      set({ actionError: { scope, error: toAppError(err) } });
      return false;
    } finally {
      set((s) => ({ busy: { ...s.busy, [scope]: false } }));
    }
  };
  const refreshDeliveries = (id: string) => (get().deliveries[id] ? get().loadDeliveries(id) : Promise.resolve());

  return {
    hooks: idle(),
    created: null,
    busy: {},
    tests: {},
    deliveries: {},
    actionError: null,

    async load() {
      if (!subscribed) {
        subscribed = true;
        client.on('webhook.updated', reload);
      }
      const mine = ++seq;
      set((s) => ({ hooks: loading(s.hooks) }));
      try {
        const hooks = await client.call('webhooks.list', {});
        if (mine === seq) set({ hooks: ready(hooks) });
      } catch (err) {
        if (mine === seq) set((s) => ({ hooks: failed(s.hooks, err) }));
      }
    },
    create: (input) =>
      act('create', async () => {
        set({ created: await client.call('webhooks.create', input) });
        await get().load();
      }),
    forgetCreated: () => set({ created: null }),
    setEnabled: (id, enabled) =>
      act(id, async () => {
        await client.call('webhooks.update', { id, enabled });
        await get().load();
      }),
    setEvents: (id, events) =>
      act(id, async () => {
        await client.call('webhooks.update', { id, events });
        await get().load();
      }),
    test: (id) =>
      act(id, async () => {
        const result = await client.call('webhooks.test', { id });
        set((s) => ({ tests: { ...s.tests, [id]: result } }));
        await Promise.all([get().load(), refreshDeliveries(id)]);
      }),
    remove: (id) =>
      act(id, async () => {
        await client.call('webhooks.delete', { id });
        get().closeDeliveries(id);
        await get().load();
      }),
    async loadDeliveries(id) {
      set((s) => ({ deliveries: { ...s.deliveries, [id]: loading(s.deliveries[id] ?? idle()) } }));
      try {
        const page = await client.call('webhooks.deliveries', { id, limit: 20 });
        if (get().deliveries[id]) set((s) => ({ deliveries: { ...s.deliveries, [id]: ready(page.items) } }));
      } catch (err) {
        if (get().deliveries[id]) set((s) => ({ deliveries: { ...s.deliveries, [id]: failed(s.deliveries[id] ?? idle(), err) } }));
      }
    },
    closeDeliveries: (id) =>
      set((s) => {
        const { [id]: _gone, ...rest } = s.deliveries;
        return { deliveries: rest };
      }),
  };
});
