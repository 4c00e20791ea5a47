import type { HandlerSlice } from '../api/slice';
import type { FleetService } from './service';

/** The services the fleet methods call. */
export interface FleetHandlerNeeds {
  fleet: FleetService;
}

export function fleetHandlers(deps: FleetHandlerNeeds): HandlerSlice<'fleet.get' | 'mailboxes.activity' | 'warmup.pauseAll' | 'warmup.resumeAll'> {
  const s = deps.fleet;
  return {
    'fleet.get': (_input, ctx) => s.get(ctx.workspaceId),
    'mailboxes.activity': (input, ctx) => s.activity(ctx.workspaceId, input.id, input.limit, input.cursor),
    'warmup.pauseAll': (_input, ctx) => s.pauseAll(ctx.workspaceId),
    'warmup.resumeAll': (_input, ctx) => s.resumeAll(ctx.workspaceId),
  };
}
