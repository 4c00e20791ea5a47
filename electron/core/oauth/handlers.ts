import type { HandlerSlice } from '../api/slice';
import type { OAuthAppService } from './service';

/** The services the OAuth app methods call. */
export interface OAuthHandlerNeeds {
  oauthApps: OAuthAppService;
}

export function oauthHandlers(deps: OAuthHandlerNeeds): HandlerSlice<'oauthApps.list' | 'oauthApps.set' | 'oauthApps.remove'> {
  const s = deps.oauthApps;
  return {
    'oauthApps.list': (_input, ctx) => s.list(ctx.workspaceId),
    'oauthApps.set': (input, ctx) => s.set(ctx.workspaceId, input),
    'oauthApps.remove': (input, ctx) => s.remove(ctx.workspaceId, input.id),
  };
}
