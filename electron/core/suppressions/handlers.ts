import type { HandlerSlice } from '../api/slice';
import type { SuppressionService } from './service';

/** The services the suppression methods call. */
export interface SuppressionHandlerNeeds {
  suppressions: SuppressionService;
}

export function suppressionHandlers(deps: SuppressionHandlerNeeds): HandlerSlice<'suppressions.list' | 'suppressions.add' | 'suppressions.remove'> {
  const sup = deps.suppressions;
  return {
    'suppressions.list': (input, ctx) => sup.list(ctx.workspaceId, input.limit, input.cursor),
    'suppressions.add': (input, ctx) => sup.add(ctx.workspaceId, input.address, 'manual', input.detail ?? null, null),
    'suppressions.remove': (input, ctx) => sup.remove(ctx.workspaceId, input.id),
  };
}
