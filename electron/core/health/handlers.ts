import type { HandlerSlice } from '../api/handlers';
import type { Deps } from '../deps';

export function healthHandlers(deps: Deps): HandlerSlice<'health.mailbox' | 'health.compliance'> {
  const s = deps.health;
  return {
    'health.mailbox': (input, ctx) => s.mailbox(ctx.workspaceId, input.id, input.days),
    'health.compliance': async (_input, ctx) => s.compliance(ctx.workspaceId),
  };
}
