// OAuth apps: the workspace's own registrations with Google, Microsoft or another provider.
import { z } from 'zod';
import { method } from '../define';
import { oauthApp, oauthAppInput, signIn, signInStartInput } from '../../domain/oauth';
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
  // Sign-ins are admin like mailboxes.create: the grant they hold becomes a mailbox's.
  'oauthSignIns.start': method({
    http: { method: 'POST', path: '/oauth/sign-ins' },
    scope: 'admin',
    summary: 'Start an OAuth sign-in (authorization code + PKCE over a loopback or server redirect, or device code); answers the URL or the user code',
    input: signInStartInput,
    output: signIn,
  }),
  'oauthSignIns.get': method({
    http: { method: 'GET', path: '/oauth/sign-ins/{id}' },
    scope: 'admin',
    summary: 'A sign-in and how it ended (waiting, signedIn, failed with a coded error, expired, used)',
    input: id,
    output: signIn,
  }),
  'oauthSignIns.cancel': method({
    http: { method: 'DELETE', path: '/oauth/sign-ins/{id}' },
    scope: 'admin',
    summary: 'Abandon a sign-in: its listener closes and any grant it holds is dropped',
    input: id,
    output: signIn,
  }),
};
