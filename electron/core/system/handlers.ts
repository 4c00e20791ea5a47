import type { HandlerSlice } from '../api/handlers';
import type { Deps } from '../deps';
import { KilnError } from '../../../shared/errors';
import { workspaceRepository, toWorkspace } from '../workspaces/repository';

export function systemHandlers(deps: Deps): HandlerSlice<'workspace.get' | 'tokens.list' | 'tokens.create' | 'tokens.revoke' | 'system.status'> {
  const workspaces = workspaceRepository(deps.db.kysely);
  return {
    'workspace.get': async (_input, ctx) => {
      const ws = await workspaces.byId(ctx.workspaceId);
      if (!ws) throw new KilnError('NOT_FOUND', 'Workspace not found');
      return toWorkspace(ws);
    },
    'tokens.list': (_input, ctx) => deps.tokens.list(ctx.workspaceId),
    'tokens.create': (input, ctx) => deps.tokens.create(ctx.workspaceId, input.name, input.scopes),
    'tokens.revoke': (input, ctx) => deps.tokens.revoke(ctx.workspaceId, input.id),
    'system.status': async () => ({
      version: deps.config.version,
      secretStore: deps.secrets.describe(),
      queue: deps.queue.waiting(),
    }),
  };
}
