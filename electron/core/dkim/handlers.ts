import type { HandlerSlice } from '../api/slice';
import type { DkimService } from './service';

/** The services the DKIM methods call. */
export interface DkimHandlerNeeds {
  dkim: DkimService;
}

export function dkimHandlers(deps: DkimHandlerNeeds): HandlerSlice<'dkim.list' | 'dkim.create' | 'dkim.delete' | 'dkim.check'> {
  const s = deps.dkim;
  return {
    'dkim.list': (_input, ctx) => s.list(ctx.workspaceId),
    'dkim.create': (input, ctx) => s.create(ctx.workspaceId, input),
    'dkim.delete': (input, ctx) => s.remove(ctx.workspaceId, input.id),
    'dkim.check': (input, ctx) => s.check(ctx.workspaceId, input.id),
  };
}
