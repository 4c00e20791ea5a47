import type { HandlerSlice } from '../api/handlers';
import type { Deps } from '../deps';

export function dkimHandlers(deps: Deps): HandlerSlice<'dkim.list' | 'dkim.create' | 'dkim.delete' | 'dkim.check'> {
  const s = deps.dkim;
  return {
    'dkim.list': (_input, ctx) => s.list(ctx.workspaceId),
    'dkim.create': (input, ctx) => s.create(ctx.workspaceId, input),
    'dkim.delete': (input, ctx) => s.remove(ctx.workspaceId, input.id),
    'dkim.check': (input, ctx) => s.check(ctx.workspaceId, input.id),
  };
}
