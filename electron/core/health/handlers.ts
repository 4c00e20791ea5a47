import type { HandlerSlice } from '../api/slice';
import type { HealthService } from './service';

/** The services the health methods call. */
export interface HealthHandlerNeeds {
  health: HealthService;
}

export function healthHandlers(deps: HealthHandlerNeeds): HandlerSlice<'health.mailbox' | 'health.compliance'> {
  const s = deps.health;
  return {
    'health.mailbox': (input, ctx) => s.mailbox(ctx.workspaceId, input.id, input.days),
    'health.compliance': async (_input, ctx) => s.compliance(ctx.workspaceId),
  };
}
