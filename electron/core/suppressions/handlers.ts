import type { HandlerSlice } from '../api/slice';
import type { SuppressionService } from './service';

/** The services the suppression methods call. */
export interface SuppressionHandlerNeeds {
  suppressions: SuppressionService;
}

export function suppressionHandlers(
  deps: SuppressionHandlerNeeds,
): HandlerSlice<'suppressions.list' | 'suppressions.add' | 'suppressions.import' | 'suppressions.export' | 'suppressions.remove'> {
  const sup = deps.suppressions;
  return {
    'suppressions.list': (input, ctx) => sup.list(ctx.workspaceId, input.limit, input.cursor, { q: input.q, reason: input.reason }),
    'suppressions.add': (input, ctx) => sup.add(ctx.workspaceId, input.address, 'manual', input.detail ?? null, null),
    'suppressions.import': async (input, ctx) => sup.import(ctx.workspaceId, input.csv),
    'suppressions.export': (input, ctx) => sup.export(ctx.workspaceId, { q: input.q, reason: input.reason }),
    'suppressions.remove': (input, ctx) => sup.remove(ctx.workspaceId, input.id),
  };
}
