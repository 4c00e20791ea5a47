import type { HandlerSlice } from '../api/slice';
import type { AlertService } from './service';

/** The services the alert methods call. */
export interface AlertHandlerNeeds {
  alerts: AlertService;
}

export function alertHandlers(deps: AlertHandlerNeeds): HandlerSlice<'alerts.list' | 'alerts.acknowledge'> {
  const s = deps.alerts;
  return {
    'alerts.list': (input, ctx) => s.list(ctx.workspaceId, input),
    'alerts.acknowledge': async (input, ctx) => s.acknowledge(ctx.workspaceId, input.id),
  };
}
