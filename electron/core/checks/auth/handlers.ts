import type { HandlerSlice } from '../../api/handlers';
import type { Deps } from '../../deps';

type Methods = 'checks.domain' | 'checks.domainLatest' | 'checks.domainHistory' | 'checks.domains' | 'checks.mailbox' | 'checks.learnHeaders';

export function authCheckHandlers(deps: Deps): HandlerSlice<Methods> {
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
