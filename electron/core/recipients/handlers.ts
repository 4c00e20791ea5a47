import type { HandlerSlice } from '../api/slice';
import type { RecipientService } from './service';

/** The services the recipient methods call. */
export interface RecipientHandlerNeeds {
  recipients: RecipientService;
}

export function recipientHandlers(deps: RecipientHandlerNeeds): HandlerSlice<'recipients.list' | 'recipients.add' | 'recipients.import' | 'recipients.export' | 'recipients.remove'> {
  const s = deps.recipients;
  return {
    'recipients.list': (input, ctx) => s.list(ctx.workspaceId, input),
    'recipients.add': (input, ctx) => s.add(ctx.workspaceId, input),
    'recipients.import': (input, ctx) => s.import(ctx.workspaceId, input),
    'recipients.export': (input, ctx) => s.export(ctx.workspaceId, input.kind),
    'recipients.remove': (input, ctx) => s.remove(ctx.workspaceId, input.id),
  };
}
