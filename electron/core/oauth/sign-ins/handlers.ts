import type { HandlerSlice } from '../../api/slice';
import type { SignInService } from './service';

/** The services the sign-in methods call. */
export interface SignInHandlerNeeds {
  oauthSignIns: SignInService;
}

export function signInHandlers(deps: SignInHandlerNeeds): HandlerSlice<'oauthSignIns.start' | 'oauthSignIns.get' | 'oauthSignIns.cancel'> {
  const s = deps.oauthSignIns;
  return {
    'oauthSignIns.start': (input, ctx) => s.start(ctx.workspaceId, input),
    'oauthSignIns.get': (input, ctx) => s.get(ctx.workspaceId, input.id),
    'oauthSignIns.cancel': (input, ctx) => s.cancel(ctx.workspaceId, input.id),
  };
}
