import { z } from 'zod';
import { method } from './define';
import {
  connectionTestResult,
  mailbox,
  mailboxStatuses,
  providers,
  securityModes,
  serverSettings,
} from '../domain/mailbox';
import { message, messageStatuses, messageWithEvents } from '../domain/message';
import { apiToken, createdToken, workspace } from '../domain/token';
import { suppression } from '../domain/suppression';
import { contentSettings, dailyStats, dayPlan, poolOverview, poolRecipient, warmupLimits, warmupSettings, warmupStatus } from '../domain/warmup';
import { rampPatchSchema, rampPresets, rampSchema } from '../warmup/ramp';
import { loopSettingsSchema } from '../warmup/loop';
import { activityItem, fleet } from '../domain/fleet';
import { importReport, recipient, recipientListKinds } from '../domain/recipient';
import { preferences } from '../domain/preferences';
import { alert } from '../domain/alert';
import { isValidTimeZone } from '../warmup/calendar';
import { scopes } from './define';

// The one list of everything Kiln can be asked to do. REST routes, the OpenAPI document, the
// Electron IPC bridge and the renderer's client are all derived from this table.

const id = z.object({ id: z.string().min(1).max(64) });
const email = z.email().max(320).transform((s) => s.toLowerCase());

// Host, port and security may come from the provider preset; the password never has a default.
const serverInput = serverSettings.partial().extend({ password: z.string().min(1).max(1024) });
const serverPatch = serverInput.partial();

const timeZone = z.string().min(1).max(64).refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Paris');

const mailboxCreate = z.object({
  email,
  displayName: z.string().max(200).optional(),
  provider: z.enum(providers).default('custom'),
  smtp: serverInput,
  imap: serverInput.optional(),
  timeZone: timeZone.optional(),
  dailyLimit: z.number().int().min(1).max(100_000).nullable().optional(),
  /** Permit `security: "none"` to a host that is not loopback (credentials would cross the network in clear). */
  allowInsecure: z.boolean().optional(),
});

const mailboxUpdate = id.extend({
  displayName: z.string().max(200).nullable().optional(),
  smtp: serverPatch.optional(),
  imap: serverPatch.nullable().optional(),
  timeZone: timeZone.optional(),
  dailyLimit: z.number().int().min(1).max(100_000).nullable().optional(),
  allowInsecure: z.boolean().optional(),
});

const addressList = z.array(email).max(100);

const messageSend = z
  .object({
    mailboxId: z.string().min(1).max(64),
    to: addressList.min(1),
    cc: addressList.optional(),
    bcc: addressList.optional(),
    subject: z.string().max(998),
    text: z.string().max(2_000_000).optional(),
    html: z.string().max(2_000_000).optional(),
    idempotencyKey: z.string().min(1).max(200).optional(),
  })
  .refine((m) => m.text !== undefined || m.html !== undefined, { message: 'text or html is required', path: ['text'] });

const localDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-01-31');
const presetName = z.enum(Object.keys(rampPresets) as [keyof typeof rampPresets, ...(keyof typeof rampPresets)[]]);

const warmupUpdate = id.extend({
  enabled: z.boolean().optional(),
  pool: z.boolean().optional(),
  /** Start from a preset; `ramp` fields given alongside override it. */
  preset: presetName.optional(),
  ramp: rampPatchSchema.optional(),
  loop: loopSettingsSchema.partial().optional(),
});

const cursorPage = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
const limit = z.coerce.number().int().min(1).max(500).default(50);

export const api = {
  'workspace.get': method({
    http: { method: 'GET', path: '/workspace' },
    scope: 'read',
    summary: "The caller's workspace",
    input: z.object({}),
    output: workspace,
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

  'messages.send': method({
    http: { method: 'POST', path: '/messages', status: 202 },
    scope: 'send',
    summary: 'Queue a message for sending; repeat-safe with an idempotency key',
    input: messageSend,
    output: z.object({ id: z.string(), status: z.enum(messageStatuses), messageId: z.string() }),
  }),
  'messages.get': method({
    http: { method: 'GET', path: '/messages/{id}' },
    scope: 'read',
    summary: 'A message with its recipients and event log',
    input: id,
    output: messageWithEvents,
  }),
  'messages.list': method({
    http: { method: 'GET', path: '/messages' },
    scope: 'read',
    summary: 'Messages, newest first',
    input: z.object({
      mailboxId: z.string().max(64).optional(),
      status: z.enum(messageStatuses).optional(),
      limit,
      cursor: z.string().max(200).optional(),
    }),
    output: cursorPage(message),
  }),
  'messages.retry': method({
    http: { method: 'POST', path: '/messages/{id}/retry' },
    scope: 'send',
    summary: 'Queue a failed message again (explicit: Kiln never resends on its own after an interrupted send)',
    input: id,
    output: message,
  }),

  'suppressions.list': method({
    http: { method: 'GET', path: '/suppressions' },
    scope: 'read',
    summary: 'Addresses this workspace never sends to',
    input: z.object({ limit, cursor: z.string().max(200).optional() }),
    output: cursorPage(suppression),
  }),
  'suppressions.add': method({
    http: { method: 'POST', path: '/suppressions', status: 201 },
    scope: 'admin',
    summary: 'Suppress an address by hand',
    input: z.object({ address: email, detail: z.string().max(500).optional() }),
    output: suppression,
  }),
  'suppressions.remove': method({
    http: { method: 'DELETE', path: '/suppressions/{id}' },
    scope: 'admin',
    summary: 'Remove a suppression',
    input: id,
    output: z.object({ id: z.string(), deleted: z.literal(true) }),
  }),

  'warmup.get': method({
    http: { method: 'GET', path: '/mailboxes/{id}/warmup' },
    scope: 'read',
    summary: "A mailbox's warmup: ramp, closed-loop state with its reason, and ramp position",
    input: id,
    output: warmupStatus,
  }),
  'warmup.update': method({
    http: { method: 'PATCH', path: '/mailboxes/{id}/warmup' },
    scope: 'admin',
    summary: 'Turn warmup or pool membership on or off, change the ramp (a new max keeps the position) or the loop thresholds',
    input: warmupUpdate,
    output: warmupStatus,
  }),
  'warmup.pause': method({
    http: { method: 'POST', path: '/mailboxes/{id}/warmup/pause' },
    scope: 'admin',
    summary: "Pause a mailbox's warmup; the ramp keeps its position",
    input: id,
    output: warmupStatus,
  }),
  'warmup.resume': method({
    http: { method: 'POST', path: '/mailboxes/{id}/warmup/resume' },
    scope: 'admin',
    summary: 'Resume warmup from the position it was paused at',
    input: id,
    output: warmupStatus,
  }),
  'warmup.preview': method({
    http: { method: 'POST', path: '/warmup/preview' },
    scope: 'read',
    summary: "Preview a ramp's daily volumes (calendar days, days off included); from a mailbox's position when given",
    input: z.object({
      mailboxId: z.string().min(1).max(64).optional(),
      preset: presetName.optional(),
      ramp: rampPatchSchema.optional(),
      days: z.number().int().min(1).max(366).default(30),
      from: localDay.optional(),
    }),
    output: z.object({
      ramp: rampSchema,
      days: z.array(z.object({ date: z.string(), sendingDay: z.number().int().nullable(), volume: z.number().int(), base: z.number().int() })),
    }),
  }),
  'warmup.plan': method({
    http: { method: 'GET', path: '/mailboxes/{id}/warmup/plan' },
    scope: 'read',
    summary: "One day's warmup plan and progress (default: today in the ramp's time zone)",
    input: id.extend({ day: localDay.optional() }),
    output: dayPlan,
  }),
  'warmup.stats': method({
    http: { method: 'GET', path: '/mailboxes/{id}/warmup/stats' },
    scope: 'read',
    summary: 'Per-day warmup stats: sent, delivered, inbox, spam, missing, bounced, complained, replied',
    input: id.extend({ days: z.coerce.number().int().min(1).max(365).default(30) }),
    output: z.array(dailyStats),
  }),
  'warmup.settings.get': method({
    http: { method: 'GET', path: '/warmup/settings' },
    scope: 'read',
    summary: 'Workspace warmup settings: content provider and send limits',
    input: z.object({}),
    output: warmupSettings,
  }),
  'warmup.settings.update': method({
    http: { method: 'PATCH', path: '/warmup/settings' },
    scope: 'admin',
    summary: 'Change the content provider (its API key goes to the secret store) or the send limits',
    input: z.object({
      content: contentSettings.optional(),
      /** Write-only; null removes it. */
      contentApiKey: z.string().min(1).max(500).nullable().optional(),
      limits: warmupLimits.partial().optional(),
    }),
    output: warmupSettings,
  }),
  'pool.get': method({
    http: { method: 'GET', path: '/pool' },
    scope: 'read',
    summary: "The warmup pool: this workspace's members and external recipients, and the whole pool's size",
    input: z.object({}),
    output: poolOverview,
  }),
  'pool.addRecipient': method({
    http: { method: 'POST', path: '/pool/recipients', status: 201 },
    scope: 'admin',
    summary: 'Add an external pool recipient (an address outside Kiln that takes warmup mail)',
    input: z.object({
      address: email,
      name: z.string().trim().max(200).optional(),
      provider: z.enum(providers).default('custom'),
      dailyCap: z.number().int().min(1).max(500).nullable().optional(),
    }),
    output: poolRecipient,
  }),
  'pool.removeRecipient': method({
    http: { method: 'DELETE', path: '/pool/recipients/{id}' },
    scope: 'admin',
    summary: 'Remove an external pool recipient',
    input: id,
    output: z.object({ id: z.string(), deleted: z.literal(true) }),
  }),

  'fleet.get': method({
    http: { method: 'GET', path: '/fleet' },
    scope: 'read',
    summary: "Every mailbox's state, today's numbers and 7-day inbox rate, and the alerts to look at",
    input: z.object({}),
    output: fleet,
  }),
  'mailboxes.activity': method({
    http: { method: 'GET', path: '/mailboxes/{id}/activity' },
    scope: 'read',
    summary: "A mailbox's activity log: events on the messages it sent, newest first",
    input: id.extend({ limit, cursor: z.string().max(200).optional() }),
    output: cursorPage(activityItem),
  }),
  'warmup.pauseAll': method({
    http: { method: 'POST', path: '/warmup/pause-all' },
    scope: 'admin',
    summary: "Pause every warming mailbox's warmup in the workspace (positions are kept)",
    input: z.object({}),
    output: z.object({ count: z.number().int() }),
  }),
  'warmup.resumeAll': method({
    http: { method: 'POST', path: '/warmup/resume-all' },
    scope: 'admin',
    summary: 'Resume every paused warmup in the workspace',
    input: z.object({}),
    output: z.object({ count: z.number().int() }),
  }),

  'recipients.list': method({
    http: { method: 'GET', path: '/recipients' },
    scope: 'read',
    summary: 'Seeds and contacts, newest first; `q` matches the address or name',
    input: z.object({
      kind: z.enum(recipientListKinds).optional(),
      q: z.string().trim().max(200).optional(),
      limit,
      cursor: z.string().max(200).optional(),
    }),
    output: cursorPage(recipient).extend({ total: z.number().int() }),
  }),
  'recipients.add': method({
    http: { method: 'POST', path: '/recipients', status: 201 },
    scope: 'admin',
    summary: 'Add one seed or contact',
    input: z.object({ kind: z.enum(recipientListKinds), address: email, name: z.string().trim().max(200).optional() }),
    output: recipient,
  }),
  'recipients.import': method({
    http: { method: 'POST', path: '/recipients/import' },
    scope: 'admin',
    summary:
      'Import seeds or contacts from CSV (an `email` column, optional `name`): every valid row in one transaction, ' +
      'every skipped row reported with its line; `dryRun` reports without writing',
    input: z.object({
      kind: z.enum(recipientListKinds),
      csv: z.string().min(1).max(5_000_000),
      dryRun: z.boolean().default(false),
      /** Chosen by the caller: `recipients.importProgress` events carry it. */
      importId: z.string().min(1).max(64).optional(),
    }),
    output: importReport,
  }),
  'recipients.export': method({
    http: { method: 'GET', path: '/recipients/export' },
    scope: 'read',
    summary: 'Seeds and contacts as CSV (email, name, kind, provider, added)',
    input: z.object({ kind: z.enum(recipientListKinds).optional() }),
    output: z.object({ filename: z.string(), count: z.number().int(), csv: z.string() }),
  }),
  'recipients.remove': method({
    http: { method: 'DELETE', path: '/recipients/{id}' },
    scope: 'admin',
    summary: 'Remove a seed or contact',
    input: id,
    output: z.object({ id: z.string(), deleted: z.literal(true) }),
  }),

  'preferences.get': method({
    http: { method: 'GET', path: '/preferences' },
    scope: 'read',
    summary: 'General defaults and desktop behaviour (start at login, tray, notifications)',
    input: z.object({}),
    output: preferences,
  }),
  'preferences.update': method({
    http: { method: 'PATCH', path: '/preferences' },
    scope: 'admin',
    summary: 'Change general defaults or desktop behaviour',
    input: z.object({
      defaultPreset: preferences.shape.defaultPreset.unwrap().optional(),
      defaultTimeZone: timeZone.nullable().optional(),
      desktop: z.object({ startAtLogin: z.boolean(), runInBackground: z.boolean(), notifications: z.boolean() }).partial().optional(),
    }),
    output: preferences,
  }),

  'alerts.list': method({
    http: { method: 'GET', path: '/alerts' },
    scope: 'read',
    summary: 'Alerts, newest first: open ones by default (a condition raised once, resolved once)',
    input: z.object({ state: z.enum(['open', 'resolved', 'all']).default('open'), limit, cursor: z.string().max(200).optional() }),
    output: cursorPage(alert),
  }),
  'alerts.acknowledge': method({
    http: { method: 'POST', path: '/alerts/{id}/acknowledge' },
    scope: 'admin',
    summary: 'Mark an alert as seen (it stays open until its condition ends)',
    input: id,
    output: alert,
  }),

  'system.status': method({
    http: { method: 'GET', path: '/system/status' },
    scope: 'read',
    summary: 'Version, secret store backend and queue depth',
    input: z.object({}),
    output: z.object({
      version: z.string(),
      secretStore: z.object({ backend: z.string(), location: z.string(), ok: z.boolean(), detail: z.string().optional() }),
      queue: z.object({ queued: z.number(), retryScheduled: z.number(), sending: z.number() }),
    }),
  }),
};

export type Api = typeof api;
export type MethodName = keyof Api;
/** What a caller sends (before defaults and transforms). */
export type Input<M extends MethodName> = z.input<Api[M]['input']>;
/** What a handler receives (after validation). */
export type ParsedInput<M extends MethodName> = z.output<Api[M]['input']>;
export type Output<M extends MethodName> = z.output<Api[M]['output']>;
export const methodNames = Object.keys(api) as MethodName[];
