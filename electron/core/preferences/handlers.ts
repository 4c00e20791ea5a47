import type { HandlerSlice } from '../api/handlers';
import type { Deps } from '../deps';

export function preferencesHandlers(deps: Deps): HandlerSlice<'preferences.get' | 'preferences.update'> {
  const s = deps.preferences;
  return {
    'preferences.get': (_input, ctx) => s.get(ctx.workspaceId),
    'preferences.update': (input, ctx) => s.update(ctx.workspaceId, input),
  };
}
