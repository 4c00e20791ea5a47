import type { HandlerSlice } from '../api/slice';
import type { Db } from '../db/connection';
import type { SecretStore } from '../secrets/secret-store';
import type { TokenService } from '../tokens/service';
import type { QueueStore } from '../sending/queue-store';
import { KilnError } from '../../../shared/errors';
import { noLocalApi, type LocalApiStatus } from '../../../shared/domain/local-api';
import { workspaceRepository, toWorkspace } from '../workspaces/repository';

/** What the workspace, token and status methods use. */
export interface SystemHandlerNeeds {
  db: Db;
  secrets: SecretStore;
  config: { version: string; localApi?: () => LocalApiStatus };
  tokens: TokenService;
  queue: Pick<QueueStore, 'waiting'>;
}

export function systemHandlers(deps: SystemHandlerNeeds): HandlerSlice<'workspace.get' | 'tokens.list' | 'tokens.create' | 'tokens.revoke' | 'system.status' | 'system.localApi'> {
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
    'system.localApi': async () => deps.config.localApi?.() ?? noLocalApi,
    'system.status': async () => ({
      version: deps.config.version,
      secretStore: deps.secrets.describe(),
      queue: deps.queue.waiting(),
    }),
  };
}
