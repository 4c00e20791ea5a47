import type { HandlerSlice } from '../api/slice';
import type { MessageService } from './service';
import type { SuppressionService } from '../suppressions/service';

/** The services the message and suppression methods call. */
export interface MessageHandlerNeeds {
  messages: MessageService;
  suppressions: SuppressionService;
}

export function messageHandlers(deps: MessageHandlerNeeds): HandlerSlice<
  'messages.send' | 'messages.get' | 'messages.list' | 'messages.retry' | 'suppressions.list' | 'suppressions.add' | 'suppressions.remove'
> {
  const m = deps.messages;
  const sup = deps.suppressions;
  return {
    'messages.send': (input, ctx) => m.enqueue(ctx.workspaceId, input),
    'messages.get': (input, ctx) => m.get(ctx.workspaceId, input.id),
    'messages.list': (input, ctx) => m.list(ctx.workspaceId, input),
    'messages.retry': (input, ctx) => m.retry(ctx.workspaceId, input.id),
    'suppressions.list': (input, ctx) => sup.list(ctx.workspaceId, input.limit, input.cursor),
    'suppressions.add': (input, ctx) => sup.add(ctx.workspaceId, input.address, 'manual', input.detail ?? null, null),
    'suppressions.remove': (input, ctx) => sup.remove(ctx.workspaceId, input.id),
  };
}
