import type { MethodName, Output, ParsedInput } from '../../../shared/api/table';
import type { CallContext } from './context';
import type { Deps } from '../deps';
import { mailboxHandlers } from '../mailboxes/handlers';
import { messageHandlers } from '../messages/handlers';
import { systemHandlers } from '../system/handlers';
import { warmupHandlers } from '../warmup/handlers';
import { fleetHandlers } from '../fleet/handlers';
import { recipientHandlers } from '../recipients/handlers';
import { preferencesHandlers } from '../preferences/handlers';
import { alertHandlers } from '../alerts/handlers';
import { dmarcHandlers } from '../dmarc/handlers';
import { blocklistHandlers } from '../checks/blocklists/handlers';
import { webhookHandlers } from '../webhooks/handlers';
import { workspaceHandlers } from '../workspaces/handlers';
import { dkimHandlers } from '../dkim/handlers';
import { placementTestHandlers } from '../placement-tests/handlers';
import { healthHandlers } from '../health/handlers';
import { authCheckHandlers } from '../checks/auth/handlers';
import { sessionHandlers } from '../tokens/handlers';

export type Handler<M extends MethodName> = (input: ParsedInput<M>, ctx: CallContext) => Promise<Output<M>>;
export type Handlers = { [M in MethodName]: Handler<M> };
/** A feature folder's slice of the table. */
export type HandlerSlice<M extends MethodName> = { [K in M]: Handler<K> };

/** Every method of the API table has exactly one handler: a missing one is a compile error here. */
export function createHandlers(deps: Deps): Handlers {
  return {
    ...systemHandlers(deps),
    ...mailboxHandlers(deps),
    ...messageHandlers(deps),
    ...warmupHandlers(deps),
    ...fleetHandlers(deps),
    ...recipientHandlers(deps),
    ...preferencesHandlers(deps),
    ...alertHandlers(deps),
    ...dmarcHandlers(deps),
    ...blocklistHandlers(deps),
    ...webhookHandlers(deps),
    ...workspaceHandlers(deps),
    ...dkimHandlers(deps),
    ...placementTestHandlers(deps),
    ...healthHandlers(deps),
    ...authCheckHandlers(deps),
    ...sessionHandlers(deps),
  };
}
