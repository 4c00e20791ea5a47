import type { HandlerSlice } from '../api/slice';
import type { Db } from '../db/connection';
import type { TokenService } from './service';
import { KilnError } from '../../../shared/errors';
import { workspaceRepository, toWorkspace } from '../workspaces/repository';

/** What the session method uses. */
export interface SessionHandlerNeeds {
  db: Db;
  tokens: TokenService;
}

/** The caller's own session: the UI reads its scopes to show only what it may do. */
export function sessionHandlers(deps: SessionHandlerNeeds): HandlerSlice<'session.get'> {
  const workspaces = workspaceRepository(deps.db.kysely);
  return {
    'session.get': async (_input, ctx) => {
      const ws = await workspaces.byId(ctx.workspaceId);
      if (!ws) throw new KilnError('NOT_FOUND', 'Workspace not found');
      return {
        workspace: toWorkspace(ws),
        tokenName: ctx.tokenId ? await deps.tokens.nameOf(ctx.workspaceId, ctx.tokenId) : null,
        scopes: [...ctx.scopes],
        owner: ctx.owner === true,
      };
    },
  };
}
