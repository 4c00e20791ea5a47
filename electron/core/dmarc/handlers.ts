import type { HandlerSlice } from '../api/slice';
import type { DmarcService } from './service';

type DmarcMethods = 'dmarc.settings.get' | 'dmarc.settings.update' | 'dmarc.ingest' | 'dmarc.upload' | 'dmarc.reports' | 'dmarc.reports.get' | 'dmarc.summary';

/** The services the DMARC methods call. */
export interface DmarcHandlerNeeds {
  dmarc: DmarcService;
}

export function dmarcHandlers(deps: DmarcHandlerNeeds): HandlerSlice<DmarcMethods> {
  const s = deps.dmarc;
  return {
    'dmarc.settings.get': (_input, ctx) => s.getSettings(ctx.workspaceId),
    'dmarc.settings.update': (input, ctx) => s.updateSettings(ctx.workspaceId, input),
    'dmarc.ingest': (_input, ctx) => s.ingest(ctx.workspaceId),
    'dmarc.upload': async (input, ctx) => s.upload(ctx.workspaceId, input),
    'dmarc.reports': (input, ctx) => s.list(ctx.workspaceId, input),
    'dmarc.reports.get': (input, ctx) => s.get(ctx.workspaceId, input.id),
    'dmarc.summary': (input, ctx) => s.summary(ctx.workspaceId, input),
  };
}
