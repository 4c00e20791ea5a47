import type { HandlerSlice } from '../api/slice';
import type { MessageService } from './service';

/** The services the message methods call. */
export interface MessageHandlerNeeds {
  messages: MessageService;
}

export function messageHandlers(deps: MessageHandlerNeeds): HandlerSlice<'messages.send' | 'messages.get' | 'messages.list' | 'messages.retry' | 'messages.content' | 'messages.retryMany' | 'messages.export' | 'messages.deadLetters' | 'messages.discard'> {
  const m = deps.messages;
  return {
    'messages.send': (input, ctx) => m.enqueue(ctx.workspaceId, input),
    'messages.get': (input, ctx) => m.get(ctx.workspaceId, input.id),
    'messages.list': (input, ctx) => m.list(ctx.workspaceId, input),
    'messages.retry': (input, ctx) => m.retry(ctx.workspaceId, input.id),
    'messages.content': (input, ctx) => m.content(ctx.workspaceId, input.id),
    'messages.retryMany': (input, ctx) => m.retryMany(ctx.workspaceId, input),
    'messages.export': (input, ctx) => m.export(ctx.workspaceId, input),
    'messages.deadLetters': (input, ctx) => m.deadLetters(ctx.workspaceId, input),
    'messages.discard': (input, ctx) => m.discard(ctx.workspaceId, input),
  };
}
