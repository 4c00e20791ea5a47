// OAuth apps: the workspace's own registrations with Google, Microsoft or another provider.
import { z } from 'zod';
import { method } from '../define';
import { oauthApp, oauthAppInput } from '../../domain/oauth';
import { id } from './common';

export const oauthMethods = {
  // Admin only, reads included, like webhooks: an app decides where mailboxes sign in.
  'oauthApps.list': method({
    http: { method: 'GET', path: '/oauth/apps' },
    scope: 'admin',
    summary: 'OAuth apps of the workspace (never their client secrets)',
    input: z.object({}),
    output: z.array(oauthApp),
  }),
  'oauthApps.set': method({
    http: { method: 'POST', path: '/oauth/apps' },
    scope: 'admin',
    summary: 'Add an OAuth app (no id) or replace one (id); the client secret goes to the secret store, a missing one keeps the stored one',
    input: oauthAppInput,
    output: oauthApp,
  }),
  'oauthApps.remove': method({
    http: { method: 'DELETE', path: '/oauth/apps/{id}' },
    scope: 'admin',
    summary: 'Remove an OAuth app and its secret; refused while a mailbox signs in with it',
    input: id,
    output: z.object({ id: z.string(), deleted: z.literal(true) }),
  }),
};
