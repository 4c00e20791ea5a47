import type { HandlerSlice } from '../api/handlers';
import type { Deps } from '../deps';

export function messageHandlers(deps: Deps): HandlerSlice<
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
