import type { HandlerSlice } from '../api/slice';
import type { WebhookService } from './service';

/** The services the webhook methods call. */
export interface WebhookHandlerNeeds {
  webhooks: WebhookService;
}

export function webhookHandlers(
  deps: WebhookHandlerNeeds,
): HandlerSlice<'webhooks.list' | 'webhooks.create' | 'webhooks.update' | 'webhooks.delete' | 'webhooks.rotateSecret' | 'webhooks.test' | 'webhooks.deliveries' | 'webhooks.deliveryLog' | 'webhooks.redeliver'> {
  const s = deps.webhooks;
  return {
    'webhooks.list': (_input, ctx) => s.list(ctx.workspaceId),
    'webhooks.create': (input, ctx) => s.create(ctx.workspaceId, input),
    'webhooks.update': ({ id, ...patch }, ctx) => s.update(ctx.workspaceId, id, patch),
    'webhooks.delete': (input, ctx) => s.delete(ctx.workspaceId, input.id),
    'webhooks.rotateSecret': (input, ctx) => s.rotateSecret(ctx.workspaceId, input.id, input.graceHours),
    'webhooks.test': (input, ctx) => s.test(ctx.workspaceId, input.id),
    'webhooks.deliveries': ({ id, ...q }, ctx) => s.deliveries(ctx.workspaceId, id, q),
    'webhooks.deliveryLog': (q, ctx) => s.deliveryLog(ctx.workspaceId, q),
    'webhooks.redeliver': (input, ctx) => s.redeliver(ctx.workspaceId, input.id),
  };
}
