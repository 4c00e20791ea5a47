// Mailboxes: provider presets, create, update, test, pause, delete.
import { z } from 'zod';
import { method } from '../define';
import { connectionTestResult, mailbox, mailboxStatuses, providers, securityModes } from '../../domain/mailbox';
import { activityItem } from '../../domain/fleet';
import { oauthProviders } from '../../domain/oauth';
import { id, email, serverInput, serverPatch, timeZone, cursorPage, limit } from './common';

/**
 * How the mailbox signs in. Absent = password, as it always was (the passwords in smtp/imap).
 * OAuth2: the refresh token a sign-in obtained (written to the secret store, never answered), for
 * the workspace's app of that provider (`appId` when it has several).
 */
export const mailboxAuthInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('password') }),
  z
    .object({
      kind: z.literal('oauth2'),
      /** A sign-in in status signedIn (oauthSignIns.start): its grant is taken, once. Provider and app come from it. */
      signInId: z.string().min(1).max(64).optional(),
      provider: z.enum(oauthProviders).optional(),
      appId: z.string().min(1).max(64).optional(),
      /** A refresh token obtained elsewhere (automation); needs `provider`. */
      refreshToken: z.string().min(1).max(8192).optional(),
      /** What the provider said it granted; defaults to the app's scopes. */
      scopes: z.array(z.string().min(1).max(512)).max(50).optional(),
    })
    .superRefine((a, ctx) => {
      if (!a.signInId === !a.refreshToken) ctx.addIssue({ code: 'custom', path: ['signInId'], message: 'give either signInId (a completed sign-in) or refreshToken' });
      if (a.refreshToken && !a.provider) ctx.addIssue({ code: 'custom', path: ['provider'], message: 'Required with refreshToken' });
    }),
]);

// A password is required exactly where it was before OAuth: on every server of a password mailbox.
const passwordOptional = serverInput.extend({ password: serverInput.shape.password.optional() });
// It runs even when other fields are wrong (`when`), so the missing password is reported with them, as before.
function requirePasswords(m: unknown, ctx: z.RefinementCtx) {
  const o = (v: unknown): Record<string, unknown> | null => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null);
  const body = o(m);
  if (!body || o(body.auth)?.kind === 'oauth2') return;
  for (const server of ['smtp', 'imap'] as const) {
    const s = o(body[server]);
    if (s && !s.password) ctx.addIssue({ code: 'custom', path: [server, 'password'], message: 'Required' });
  }
}
const always = { when: () => true };

const mailboxCreate = z.object({
  email,
  displayName: z.string().max(200).optional(),
  provider: z.enum(providers).default('custom'),
  auth: mailboxAuthInput.optional(),
  smtp: passwordOptional,
  imap: passwordOptional.optional(),
  timeZone: timeZone.optional(),
  dailyLimit: z.number().int().min(1).max(100_000).nullable().optional(),
  /** Permit `security: "none"` to a host that is not loopback (credentials would cross the network in clear). */
  allowInsecure: z.boolean().optional(),
}).superRefine(requirePasswords, always);

const mailboxUpdate = id.extend({
  /** Switch how the mailbox signs in (its history, warmup and settings stay); oauth2 needs a new refresh token. */
  auth: mailboxAuthInput.optional(),
  displayName: z.string().max(200).nullable().optional(),
  smtp: serverPatch.optional(),
  imap: serverPatch.nullable().optional(),
  timeZone: timeZone.optional(),
  dailyLimit: z.number().int().min(1).max(100_000).nullable().optional(),
  allowInsecure: z.boolean().optional(),
});

export const mailboxesMethods = {
  'providers.list': method({
    http: { method: 'GET', path: '/providers' },
    scope: 'read',
    summary: 'Provider presets (hosts, ports, security) used to fill mailbox settings',
    input: z.object({}),
    output: z.array(
      z.object({
        provider: z.enum(providers),
        label: z.string(),
        smtp: z.object({ host: z.string(), port: z.number(), security: z.enum(securityModes) }).nullable(),
        imap: z.object({ host: z.string(), port: z.number(), security: z.enum(securityModes) }).nullable(),
        note: z.string(),
      }),
    ),
  }),
  'mailboxes.list': method({
    http: { method: 'GET', path: '/mailboxes' },
    scope: 'read',
    summary: 'Mailboxes of the workspace',
    input: z.object({ status: z.enum(mailboxStatuses).optional() }),
    output: z.array(mailbox),
  }),
  'mailboxes.get': method({
    http: { method: 'GET', path: '/mailboxes/{id}' },
    scope: 'read',
    summary: 'One mailbox',
    input: id,
    output: mailbox,
  }),
  'mailboxes.create': method({
    http: { method: 'POST', path: '/mailboxes', status: 201 },
    scope: 'admin',
    summary: 'Connect a mailbox; passwords go to the secret store, never to the database',
    input: mailboxCreate,
    output: mailbox,
  }),
  'mailboxes.update': method({
    http: { method: 'PATCH', path: '/mailboxes/{id}' },
    scope: 'admin',
    summary: 'Change settings or credentials; clears an error state',
    input: mailboxUpdate,
    output: mailbox,
  }),
  'mailboxes.pause': method({
    http: { method: 'POST', path: '/mailboxes/{id}/pause' },
    scope: 'admin',
    summary: 'Stop sending from a mailbox (queued mail waits)',
    input: id,
    output: mailbox,
  }),
  'mailboxes.resume': method({
    http: { method: 'POST', path: '/mailboxes/{id}/resume' },
    scope: 'admin',
    summary: 'Resume a paused mailbox',
    input: id,
    output: mailbox,
  }),
  'mailboxes.delete': method({
    http: { method: 'DELETE', path: '/mailboxes/{id}' },
    scope: 'admin',
    summary: 'Remove a mailbox and its secrets; its message history is kept',
    input: id,
    output: z.object({ id: z.string(), deleted: z.literal(true) }),
  }),
  'mailboxes.test': method({
    http: { method: 'POST', path: '/mailboxes/{id}/test' },
    scope: 'admin',
    summary: 'Test SMTP and IMAP stage by stage (dns, connect, tls, auth, send/select)',
    input: id,
    output: connectionTestResult,
  }),
  'mailboxes.activity': method({
    http: { method: 'GET', path: '/mailboxes/{id}/activity' },
    scope: 'read',
    summary: "A mailbox's activity log: events on the messages it sent, newest first",
    input: id.extend({ limit, cursor: z.string().max(200).optional() }),
    output: cursorPage(activityItem),
  }),
};
