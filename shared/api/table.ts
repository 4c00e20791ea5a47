// The one list of everything Kiln can be asked to do, assembled from one file per feature
// (./methods). REST routes, the OpenAPI document, the Electron IPC bridge and the renderer's client
// are all derived from this table.
import type { z } from 'zod';
import { workspacesMethods } from './methods/workspaces';
import { mailboxesMethods } from './methods/mailboxes';
import { messagesMethods } from './methods/messages';
import { suppressionsMethods } from './methods/suppressions';
import { warmupMethods } from './methods/warmup';
import { fleetMethods } from './methods/fleet';
import { recipientsMethods } from './methods/recipients';
import { systemMethods } from './methods/system';
import { alertsMethods } from './methods/alerts';
import { webhooksMethods } from './methods/webhooks';
import { dkimMethods } from './methods/dkim';
import { blocklistsMethods } from './methods/blocklists';
import { dmarcMethods } from './methods/dmarc';
import { placementTestsMethods } from './methods/placement-tests';
import { checksMethods } from './methods/checks';
import { oauthMethods } from './methods/oauth';
import { reportsMethods } from './methods/reports';
import { templatesMethods } from './methods/templates';

const features = [workspacesMethods, mailboxesMethods, messagesMethods, suppressionsMethods, warmupMethods, fleetMethods, recipientsMethods, systemMethods, alertsMethods, webhooksMethods, dkimMethods, blocklistsMethods, dmarcMethods, placementTestsMethods, checksMethods, oauthMethods, reportsMethods, templatesMethods] as const;

export const api = {
  ...workspacesMethods,
  ...mailboxesMethods,
  ...messagesMethods,
  ...suppressionsMethods,
  ...warmupMethods,
  ...fleetMethods,
  ...recipientsMethods,
  ...systemMethods,
  ...alertsMethods,
  ...webhooksMethods,
  ...dkimMethods,
  ...blocklistsMethods,
  ...dmarcMethods,
  ...placementTestsMethods,
  ...checksMethods,
  ...oauthMethods,
  ...reportsMethods,
  ...templatesMethods,
};

// A spread silently lets a later feature's method replace an earlier one of the same name: refuse it.
const defined = features.reduce((n, f) => n + Object.keys(f).length, 0);
if (Object.keys(api).length !== defined) throw new Error('shared/api: a method name is defined by two features');

export type Api = typeof api;
export type MethodName = keyof Api;
/** What a caller sends (before defaults and transforms). */
export type Input<M extends MethodName> = z.input<Api[M]['input']>;
/** What a handler receives (after validation). */
export type ParsedInput<M extends MethodName> = z.output<Api[M]['input']>;
export type Output<M extends MethodName> = z.output<Api[M]['output']>;
export const methodNames = Object.keys(api) as MethodName[];
