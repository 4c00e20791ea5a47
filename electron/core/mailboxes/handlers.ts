import type { HandlerSlice } from '../api/slice';
import type { MailboxService } from './service';
import { presets } from './presets';

/** The services the mailbox methods call. */
export interface MailboxHandlerNeeds {
  mailboxes: MailboxService;
}

export function mailboxHandlers(deps: MailboxHandlerNeeds): HandlerSlice<
  'providers.list' | 'mailboxes.list' | 'mailboxes.get' | 'mailboxes.create' | 'mailboxes.update' | 'mailboxes.pause' | 'mailboxes.resume' | 'mailboxes.delete' | 'mailboxes.test'
> {
  const s = deps.mailboxes;
  return {
    'providers.list': async () => Object.values(presets),
    'mailboxes.list': (input, ctx) => s.list(ctx.workspaceId, input.status),
    'mailboxes.get': (input, ctx) => s.get(ctx.workspaceId, input.id),
    'mailboxes.create': (input, ctx) => s.create(ctx.workspaceId, input),
    'mailboxes.update': (input, ctx) => s.update(ctx.workspaceId, input),
    'mailboxes.pause': (input, ctx) => s.setPaused(ctx.workspaceId, input.id, true),
    'mailboxes.resume': (input, ctx) => s.setPaused(ctx.workspaceId, input.id, false),
    'mailboxes.delete': (input, ctx) => s.remove(ctx.workspaceId, input.id),
    'mailboxes.test': (input, ctx) => s.test(ctx.workspaceId, input.id),
  };
}
