import type { HandlerSlice } from '../../api/slice';
import type { BlocklistService } from './service';

type Methods = 'blocklists.get' | 'blocklists.scan' | 'blocklists.history' | 'blocklists.settings.get' | 'blocklists.settings.update';

/** The services the blocklist methods call. */
export interface BlocklistHandlerNeeds {
  blocklists: BlocklistService;
}

export function blocklistHandlers(deps: BlocklistHandlerNeeds): HandlerSlice<Methods> {
  const s = deps.blocklists;
  return {
    'blocklists.get': (_input, ctx) => s.overview(ctx.workspaceId),
    'blocklists.scan': (_input, ctx) => s.scan(ctx.workspaceId, 'manual'),
    'blocklists.history': (input, ctx) => s.history(ctx.workspaceId, input),
    'blocklists.settings.get': (_input, ctx) => s.settings(ctx.workspaceId),
    'blocklists.settings.update': (input, ctx) => s.updateSettings(ctx.workspaceId, input),
  };
}
