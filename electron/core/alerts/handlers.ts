import type { HandlerSlice } from '../api/handlers';
import type { Deps } from '../deps';

export function alertHandlers(deps: Deps): HandlerSlice<'alerts.list' | 'alerts.acknowledge'> {
  const s = deps.alerts;
  return {
    'alerts.list': (input, ctx) => s.list(ctx.workspaceId, input),
    'alerts.acknowledge': async (input, ctx) => s.acknowledge(ctx.workspaceId, input.id),
  };
}
