import type { HandlerSlice } from '../../api/slice';
import type { AuthCheckService } from './service';

type Methods = 'checks.domain' | 'checks.domainLatest' | 'checks.domainHistory' | 'checks.domains' | 'checks.mailbox' | 'checks.learnHeaders';

/** The services the domain check methods call. */
export interface AuthCheckHandlerNeeds {
  authChecks: AuthCheckService;
}

export function authCheckHandlers(deps: AuthCheckHandlerNeeds): HandlerSlice<Methods> {
  const s = () => deps.authChecks;
  return {
    'checks.domain': ({ domain, ...given }, ctx) => s().run(ctx.workspaceId, domain, given),
    'checks.domainLatest': (input, ctx) => s().latestOrThrow(ctx.workspaceId, input.domain),
    'checks.domainHistory': (input, ctx) => s().history(ctx.workspaceId, input.domain, input.days),
    'checks.domains': (_input, ctx) => s().domains(ctx.workspaceId),
    'checks.mailbox': (input, ctx) => s().mailbox(ctx.workspaceId, input.id),
    'checks.learnHeaders': (input, ctx) => s().learnHeaders(ctx.workspaceId, input.headers, input.mailboxId),
  };
}
