import type { HandlerSlice } from '../api/slice';
import type { PreferencesService } from './service';

/** The services the preferences methods call. */
export interface PreferencesHandlerNeeds {
  preferences: PreferencesService;
}

export function preferencesHandlers(deps: PreferencesHandlerNeeds): HandlerSlice<'preferences.get' | 'preferences.update'> {
  const s = deps.preferences;
  return {
    'preferences.get': (_input, ctx) => s.get(ctx.workspaceId),
    'preferences.update': (input, ctx) => s.update(ctx.workspaceId, input),
  };
}
