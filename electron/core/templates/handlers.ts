import type { HandlerSlice } from '../api/slice';
import type { TemplateService } from './service';

/** The services the template methods call. */
export interface TemplateHandlerNeeds {
  templates: TemplateService;
}

export function templateHandlers(deps: TemplateHandlerNeeds): HandlerSlice<'templates.list' | 'templates.get' | 'templates.create' | 'templates.update' | 'templates.delete' | 'templates.preview'> {
  const t = deps.templates;
  return {
    'templates.list': (_input, ctx) => t.list(ctx.workspaceId),
    'templates.get': (input, ctx) => t.get(ctx.workspaceId, input.id, input.version),
    'templates.create': (input, ctx) => t.create(ctx.workspaceId, input),
    'templates.update': (input, ctx) => t.update(ctx.workspaceId, input),
    'templates.delete': (input, ctx) => t.delete(ctx.workspaceId, input.id),
    'templates.preview': (input, ctx) => t.preview(ctx.workspaceId, input),
  };
}
