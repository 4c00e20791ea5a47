import type { HandlerSlice } from '../api/slice';
import type { WarmupService } from './service';
import type { WarmupConfig } from './config';

/** The services the warmup methods call. */
export interface WarmupHandlerNeeds {
  warmup: WarmupService;
  warmupConfig: WarmupConfig;
}

export function warmupHandlers(deps: WarmupHandlerNeeds): HandlerSlice<
  | 'warmup.get'
  | 'warmup.update'
  | 'warmup.pause'
  | 'warmup.resume'
  | 'warmup.preview'
  | 'warmup.plan'
  | 'warmup.stats'
  | 'warmup.settings.get'
  | 'warmup.settings.update'
  | 'pool.get'
  | 'pool.addRecipient'
  | 'pool.removeRecipient'
> {
  const s = deps.warmup;
  const config = deps.warmupConfig;
  return {
    'warmup.get': (input, ctx) => s.get(ctx.workspaceId, input.id),
    'warmup.update': (input, ctx) => s.update(ctx.workspaceId, input),
    'warmup.pause': (input, ctx) => s.setPaused(ctx.workspaceId, input.id, true),
    'warmup.resume': (input, ctx) => s.setPaused(ctx.workspaceId, input.id, false),
    'warmup.preview': (input, ctx) => s.preview(ctx.workspaceId, input),
    'warmup.plan': (input, ctx) => s.plan(ctx.workspaceId, input.id, input.day),
    'warmup.stats': (input, ctx) => s.stats(ctx.workspaceId, input.id, input.days),
    'warmup.settings.get': (_input, ctx) => config.settings(ctx.workspaceId),
    'warmup.settings.update': (input, ctx) => config.update(ctx.workspaceId, input),
    'pool.get': (_input, ctx) => s.pool(ctx.workspaceId),
    'pool.addRecipient': (input, ctx) => s.addRecipient(ctx.workspaceId, input),
    'pool.removeRecipient': (input, ctx) => s.removeRecipient(ctx.workspaceId, input.id),
  };
}
