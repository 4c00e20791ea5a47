import type { Handlers } from './slice';
import { mailboxHandlers } from '../mailboxes/handlers';
import { messageHandlers } from '../messages/handlers';
import { suppressionHandlers } from '../suppressions/handlers';
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
import { oauthHandlers } from '../oauth/handlers';
import { signInHandlers } from '../oauth/sign-ins/handlers';
import { reportHandlers } from '../reports/handlers';
import { templateHandlers } from '../templates/handlers';

export type { Handler, Handlers, HandlerSlice } from './slice';

/** The services app.ts built, as the feature handler factories below ask for them. */
export type HandlerServices = Parameters<typeof systemHandlers>[0] &
  Parameters<typeof mailboxHandlers>[0] &
  Parameters<typeof messageHandlers>[0] &
  Parameters<typeof suppressionHandlers>[0] &
  Parameters<typeof warmupHandlers>[0] &
  Parameters<typeof fleetHandlers>[0] &
  Parameters<typeof recipientHandlers>[0] &
  Parameters<typeof preferencesHandlers>[0] &
  Parameters<typeof alertHandlers>[0] &
  Parameters<typeof dmarcHandlers>[0] &
  Parameters<typeof blocklistHandlers>[0] &
  Parameters<typeof webhookHandlers>[0] &
  Parameters<typeof workspaceHandlers>[0] &
  Parameters<typeof dkimHandlers>[0] &
  Parameters<typeof placementTestHandlers>[0] &
  Parameters<typeof healthHandlers>[0] &
  Parameters<typeof authCheckHandlers>[0] &
  Parameters<typeof sessionHandlers>[0] &
  Parameters<typeof oauthHandlers>[0] &
  Parameters<typeof signInHandlers>[0] &
  Parameters<typeof reportHandlers>[0] &
  Parameters<typeof templateHandlers>[0];

/** Every method of the API table has exactly one handler: a missing one is a compile error here. */
export function createHandlers(services: HandlerServices): Handlers {
  return {
    ...systemHandlers(services),
    ...mailboxHandlers(services),
    ...messageHandlers(services),
    ...suppressionHandlers(services),
    ...warmupHandlers(services),
    ...fleetHandlers(services),
    ...recipientHandlers(services),
    ...preferencesHandlers(services),
    ...alertHandlers(services),
    ...dmarcHandlers(services),
    ...blocklistHandlers(services),
    ...webhookHandlers(services),
    ...workspaceHandlers(services),
    ...dkimHandlers(services),
    ...placementTestHandlers(services),
    ...healthHandlers(services),
    ...authCheckHandlers(services),
    ...sessionHandlers(services),
    ...oauthHandlers(services),
    ...signInHandlers(services),
    ...reportHandlers(services),
    ...templateHandlers(services),
  };
}
