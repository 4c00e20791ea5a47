// The workspace, the caller's session, workspaces (owner only) and API tokens.
import { z } from 'zod';
import { method, scopes } from '../define';
import { apiToken, createdToken, workspace } from '../../domain/token';
import { id } from './common';

export const workspacesMethods = {
  'workspace.get': method({
    http: { method: 'GET', path: '/workspace' },
    scope: 'read',
    summary: "The caller's workspace",
    input: z.object({}),
    output: workspace,
  }),
  // Who is calling: the UI shows only what these scopes allow (see ./access).
  'session.get': method({
    http: { method: 'GET', path: '/session' },
    scope: 'read',
    summary: "The caller's workspace, the token's name and scopes (the desktop app and CLI: the owner, every scope)",
    input: z.object({}),
    output: z.object({
      workspace,
      /** Null for the owner (desktop app, CLI), who signs in with no token. */
      tokenName: z.string().nullable(),
      scopes: z.array(z.enum(scopes)),
      owner: z.boolean(),
    }),
  }),
  'workspaces.list': method({
    http: { method: 'GET', path: '/workspaces' },
    scope: 'owner',
    summary: 'Every workspace on this Kiln (desktop app and CLI only: tokens belong to one workspace)',
    input: z.object({}),
    output: z.array(workspace),
  }),
  'workspaces.create': method({
    http: { method: 'POST', path: '/workspaces', status: 201 },
    scope: 'owner',
    summary: 'Add a workspace, e.g. for a new client (desktop app and CLI only)',
    input: z.object({
      name: z.string().trim().min(1).max(100),
      /** Default: derived from the name. */
      slug: z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes')
        .optional(),
    }),
    output: workspace,
  }),
  'tokens.list': method({
    http: { method: 'GET', path: '/tokens' },
    scope: 'admin',
    summary: 'API tokens of the workspace (never the secrets)',
    input: z.object({}),
    output: z.array(apiToken),
  }),
  'tokens.create': method({
    http: { method: 'POST', path: '/tokens', status: 201 },
    scope: 'admin',
    summary: 'Create an API token; the secret is in the response once and never again',
    input: z.object({ name: z.string().trim().min(1).max(100), scopes: z.array(z.enum(scopes)).min(1) }),
    output: createdToken,
  }),
  'tokens.revoke': method({
    http: { method: 'DELETE', path: '/tokens/{id}' },
    scope: 'admin',
    summary: 'Revoke an API token',
    input: id,
    output: apiToken,
  }),
};
