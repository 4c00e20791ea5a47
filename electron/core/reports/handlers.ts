import type { HandlerSlice } from '../api/slice';
import type { ReportService } from './service';

/** The services the report methods call. */
export interface ReportHandlerNeeds {
  reports: ReportService;
}

export function reportHandlers(deps: ReportHandlerNeeds): HandlerSlice<'reports.get' | 'reports.html' | 'reports.pdf' | 'reports.csv' | 'reports.settings.get' | 'reports.settings.set'> {
  const r = deps.reports;
  return {
    'reports.get': (input, ctx) => r.get(ctx.workspaceId, input),
    'reports.html': (input, ctx) => r.html(ctx.workspaceId, input),
    'reports.pdf': (input, ctx) => r.pdf(ctx.workspaceId, input),
    'reports.csv': (input, ctx) => r.csv(ctx.workspaceId, input),
    'reports.settings.get': async (_input, ctx) => r.settings(ctx.workspaceId),
    'reports.settings.set': async (input, ctx) => r.setSettings(ctx.workspaceId, input),
  };
}
