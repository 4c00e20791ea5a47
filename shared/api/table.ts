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
import { contentSettings, dailyStats, dayPlan, poolOverview, poolRecipient, rampPreviewDay, warmupLimits, warmupSettings, warmupStatus } from '../domain/warmup';
import { rampPatchSchema, rampPresets, rampSchema } from '../warmup/ramp';
import { loopSettingsSchema } from '../warmup/loop';
import { activityItem, fleet } from '../domain/fleet';
import { importReport, recipient, recipientListKinds } from '../domain/recipient';
import { preferences } from '../domain/preferences';
import { alert } from '../domain/alert';
import { dmarcIngestResult, dmarcReport, dmarcReportWithRecords, dmarcSettings, dmarcSummary } from '../domain/dmarc';
import { blocklistHistoryItem, blocklistOverview, blocklistSettings, blocklistSettingsPatch } from '../domain/blocklist';
import { createdWebhook, defaultWebhookEvents, deliveryStatuses, webhook, webhookDelivery, webhookEventTypes, webhookTestResult } from '../domain/webhook';
import { dkimKey } from '../domain/dkim';
import { placementSchedule, placementTest } from '../domain/placement-test';
import { domainCompliance, mailboxHealth } from '../domain/health';
import { authDomainSummary, authHistoryPoint, authReport, learnedHeaders, mailboxChecks, normalizeDomain } from '../domain/auth-check';
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

// A domain for the DNS checks: lower-cased, IDNs in xn-- form, no trailing dot.
const authDomain = z
  .string()
  .min(1)
  .max(253)
  .transform((s, ctx) => {
    const d = normalizeDomain(s);
    if (d === null) ctx.addIssue({ code: 'custom', message: 'must be a domain name such as example.com (internationalised names in their xn-- form)' });
    return d ?? '';
  });
const dkimSelector = z.string().trim().toLowerCase().regex(/^[a-z0-9](?:[a-z0-9._-]{0,62})$/, 'must be a DKIM selector such as s1 or google');

const cursorPage = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
const limit = z.coerce.number().int().min(1).max(500).default(50);

const dmarcFolder = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((s) => !/[*%]/.test(s) && [...s].every((c) => c >= ' ' && c !== '\u007f'), 'must not contain control characters, * or %');
const dmarcDomain = z
  .string()
  .trim()
  .max(253)
  .transform((s) => s.toLowerCase().replace(/\.$/, ''))
  .refine((s) => /^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(s), 'must be a domain name such as example.com');

const webhookUrl = z.string().trim().min(1).max(2048);
const webhookEvents = z.array(z.enum(webhookEventTypes)).min(1).max(webhookEventTypes.length);

export const api = {
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
      days: z.array(rampPreviewDay),
      /** The closed loop's decision the preview applies (null: the ramp as is). */
      loop: z.object({ state: z.enum(['throttled', 'holding']), factor: z.number(), until: z.string() }).nullable(),
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
      'Import seeds or contacts from CSV (an `email` column; the name from `name`, or from `first_name` / `last_name` and their usual spellings): ' +
      'every valid row in one transaction, every skipped row reported with its line, the columns not read listed; `dryRun` reports without writing',
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
    summary: 'General defaults, desktop behaviour (start at login, tray, notifications) and engagement consent',
    input: z.object({}),
    output: preferences,
  }),
  'preferences.update': method({
    http: { method: 'PATCH', path: '/preferences' },
    scope: 'admin',
    summary: 'Change general defaults, desktop behaviour, or whether the pool engages with non-warmup Kiln mail',
    input: z.object({
      defaultPreset: preferences.shape.defaultPreset.unwrap().optional(),
      defaultTimeZone: timeZone.nullable().optional(),
      desktop: z.object({ startAtLogin: z.boolean(), runInBackground: z.boolean(), notifications: z.boolean() }).partial().optional(),
      engagement: z.object({ otherKilnMail: z.boolean() }).partial().optional(),
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

  // Webhooks: admin only, reads included (a receiver URL often carries a token in its path).
  'webhooks.list': method({
    http: { method: 'GET', path: '/webhooks' },
    scope: 'admin',
    summary: 'Registered webhooks (never their signing secrets)',
    input: z.object({}),
    output: z.array(webhook),
  }),
  'webhooks.create': method({
    http: { method: 'POST', path: '/webhooks', status: 201 },
    scope: 'admin',
    summary: 'Register a webhook for alert events; the signing secret is in the response once and never again',
    input: z.object({
      url: webhookUrl,
      description: z.string().trim().max(500).optional(),
      events: webhookEvents.default(defaultWebhookEvents),
      enabled: z.boolean().default(true),
    }),
    output: createdWebhook,
  }),
  'webhooks.update': method({
    http: { method: 'PATCH', path: '/webhooks/{id}' },
    scope: 'admin',
    summary: 'Change the URL, description, event filter, or turn it on or off (turning on clears an automatic disable)',
    input: id.extend({
      url: webhookUrl.optional(),
      description: z.string().trim().max(500).optional(),
      events: webhookEvents.optional(),
      enabled: z.boolean().optional(),
    }),
    output: webhook,
  }),
  'webhooks.delete': method({
    http: { method: 'DELETE', path: '/webhooks/{id}' },
    scope: 'admin',
    summary: 'Remove a webhook, its deliveries and its secret',
    input: id,
    output: z.object({ id: z.string(), deleted: z.literal(true) }),
  }),
  'webhooks.rotateSecret': method({
    http: { method: 'POST', path: '/webhooks/{id}/rotate-secret' },
    scope: 'admin',
    summary: 'Replace the signing secret (returned once); deliveries carry both signatures for graceHours (default 24)',
    input: id.extend({ graceHours: z.number().int().min(0).max(168).default(24) }),
    output: createdWebhook,
  }),
  'webhooks.test': method({
    http: { method: 'POST', path: '/webhooks/{id}/test' },
    scope: 'admin',
    summary: 'Send a signed webhook.test ping now (once, no retries) and report the answer',
    input: id,
    output: webhookTestResult,
  }),
  'webhooks.deliveries': method({
    http: { method: 'GET', path: '/webhooks/{id}/deliveries' },
    scope: 'admin',
    summary: "A webhook's recent deliveries, newest first, with every attempt (kept 30 days)",
    input: id.extend({ status: z.enum(deliveryStatuses).optional(), limit, cursor: z.string().max(200).optional() }),
    output: cursorPage(webhookDelivery),
  }),

  'dkim.list': method({
    http: { method: 'GET', path: '/dkim/keys' },
    scope: 'read',
    summary: 'DKIM signing keys of the workspace, with the TXT record to publish for each',
    input: z.object({}),
    output: z.array(dkimKey),
  }),
  'dkim.create': method({
    http: { method: 'POST', path: '/dkim/keys', status: 201 },
    scope: 'admin',
    summary: 'Sign mail from a domain: Kiln generates an RSA-2048 key (or imports yours); publish the returned TXT record. The key is pending, and signs nothing, until the record is seen in DNS',
    input: z.object({
      domain: z
        .string()
        .min(3)
        .max(253)
        .transform((d) => d.toLowerCase().replace(/\.$/, ''))
        .refine((d) => /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(d), 'must be a domain name such as example.com'),
      selector: z
        .string()
        .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i, 'letters, digits and dashes')
        .default('kiln'),
      /** PEM; omit to let Kiln generate the key. Never returned. */
      privateKey: z.string().max(20_000).optional(),
    }),
    output: dkimKey,
  }),
  'dkim.delete': method({
    http: { method: 'DELETE', path: '/dkim/keys/{id}' },
    scope: 'admin',
    summary: 'Stop signing mail from a domain and forget its key',
    input: id,
    output: z.object({ id: z.string(), deleted: z.literal(true) }),
  }),
  'dkim.check': method({
    http: { method: 'POST', path: '/dkim/keys/{id}/check' },
    scope: 'admin',
    summary: "Look up the key's TXT record now: once it publishes Kiln's key, the key turns active and mail is signed (pending keys are also re-checked every 10 minutes)",
    input: id,
    output: dkimKey,
  }),

  'blocklists.get': method({
    http: { method: 'GET', path: '/blocklists' },
    scope: 'read',
    summary: 'DNS blocklist state: the latest result per target (sending IP or domain) and zone, with summary counts',
    input: z.object({}),
    output: blocklistOverview,
  }),
  'blocklists.scan': method({
    http: { method: 'POST', path: '/blocklists/scan' },
    scope: 'admin',
    summary: 'Check every target against every enabled zone now (joins a scan already running) and return the results',
    input: z.object({}),
    output: blocklistOverview,
  }),
  'blocklists.history': method({
    http: { method: 'GET', path: '/blocklists/history' },
    scope: 'read',
    summary: 'Blocklist scans, newest first, each with its status changes (listed, delisted, errors)',
    input: z.object({ limit, cursor: z.string().max(200).optional() }),
    output: cursorPage(blocklistHistoryItem),
  }),
  'blocklists.settings.get': method({
    http: { method: 'GET', path: '/blocklists/settings' },
    scope: 'read',
    summary: 'Blocklist zones (built-in and custom, on or off), extra and excluded targets, whether a Spamhaus DQS key is set',
    input: z.object({}),
    output: blocklistSettings,
  }),
  'blocklists.settings.update': method({
    http: { method: 'PATCH', path: '/blocklists/settings' },
    scope: 'admin',
    summary: 'Turn zones on or off, replace custom zones or extra/excluded targets, set or remove the Spamhaus DQS key (write-only: it goes to the secret store)',
    input: blocklistSettingsPatch,
    output: blocklistSettings,
  }),

  'dmarc.settings.get': method({
    http: { method: 'GET', path: '/dmarc/settings' },
    scope: 'read',
    summary: 'DMARC reports mailbox: which mailbox and folders, the schedule, and the last run',
    input: z.object({}),
    output: dmarcSettings,
  }),
  'dmarc.settings.update': method({
    http: { method: 'PATCH', path: '/dmarc/settings' },
    scope: 'admin',
    summary: 'Choose the reports mailbox (a Kiln mailbox with IMAP), its folders (`/` between levels) and the schedule',
    input: z.object({
      mailboxId: z.string().min(1).max(64).nullable().optional(),
      folder: dmarcFolder.optional(),
      processedFolder: dmarcFolder.optional(),
      failedFolder: dmarcFolder.optional(),
      schedule: z.boolean().optional(),
      intervalMinutes: z.number().int().min(5).max(1440).optional(),
    }),
    output: dmarcSettings,
  }),
  'dmarc.ingest': method({
    http: { method: 'POST', path: '/dmarc/ingest' },
    scope: 'admin',
    summary: 'Read the reports mailbox now: new reports are stored and their mail moved to the processed folder, refused ones to the failed folder',
    input: z.object({}),
    output: dmarcIngestResult,
  }),
  'dmarc.upload': method({
    http: { method: 'POST', path: '/dmarc/reports', status: 201 },
    scope: 'admin',
    summary: 'Store a report file (zip, gzip or XML, base64) received some other way; the same report twice is stored once',
    input: z.object({
      content: z.string().min(1).max(8_000_000),
      filename: z.string().trim().max(255).optional(),
      contentType: z.string().trim().max(100).optional(),
    }),
    output: z.object({ duplicate: z.boolean(), report: dmarcReport }),
  }),
  'dmarc.reports': method({
    http: { method: 'GET', path: '/dmarc/reports' },
    scope: 'read',
    summary: 'Stored DMARC aggregate reports, newest first',
    input: z.object({ domain: dmarcDomain.optional(), limit, cursor: z.string().max(200).optional() }),
    output: cursorPage(dmarcReport),
  }),
  'dmarc.reports.get': method({
    http: { method: 'GET', path: '/dmarc/reports/{id}' },
    scope: 'read',
    summary: 'One DMARC report with its rows (source IP, count, results; at most 5,000)',
    input: id,
    output: dmarcReportWithRecords,
  }),
  'dmarc.summary': method({
    http: { method: 'GET', path: '/dmarc/summary' },
    scope: 'read',
    summary: 'DMARC pass rates (aligned DKIM or SPF) per From domain, per source IP and per day; `domain` includes its subdomains',
    input: z.object({ domain: dmarcDomain.optional(), days: z.coerce.number().int().min(1).max(366).default(30) }),
    output: dmarcSummary,
  }),

  'placementTests.create': method({
    http: { method: 'POST', path: '/placement-tests', status: 201 },
    scope: 'send',
    summary: "Send one message from a mailbox to each seed and report where each copy lands (your content, or a warmup sample)",
    input: z.object({
      mailboxId: z.string().min(1).max(64),
      /** Default: every seed of the workspace. */
      seeds: z.array(email).min(1).max(500).optional(),
      subject: z.string().min(1).max(998).optional(),
      text: z.string().max(2_000_000).optional(),
      html: z.string().max(2_000_000).optional(),
      /** Seeds not seen by then are missing. */
      timeLimitMinutes: z.coerce.number().int().min(1).max(24 * 60).default(30),
    }),
    output: placementTest,
  }),
  'placementTests.get': method({
    http: { method: 'GET', path: '/placement-tests/{id}' },
    scope: 'read',
    summary: 'A placement test: per seed where it landed and how the received copy authenticated; totals per provider',
    input: id,
    output: placementTest,
  }),
  'placementTests.list': method({
    http: { method: 'GET', path: '/placement-tests' },
    scope: 'read',
    summary: 'Placement tests, newest first',
    input: z.object({ limit, cursor: z.string().max(200).optional() }),
    output: cursorPage(placementTest),
  }),
  'placementTests.export': method({
    http: { method: 'GET', path: '/placement-tests/{id}/export' },
    scope: 'read',
    summary: 'A placement test as CSV (seed, provider, placement, folder, seen at, spf, dkim, dmarc, sending IP)',
    input: id,
    output: z.object({ filename: z.string(), count: z.number().int(), csv: z.string() }),
  }),
  'placementTests.schedule.get': method({
    http: { method: 'GET', path: '/placement-tests/schedule' },
    scope: 'read',
    summary: 'The weekly placement test: on or off, which mailbox, which day and hour',
    input: z.object({}),
    output: placementSchedule,
  }),
  'placementTests.schedule.update': method({
    http: { method: 'PATCH', path: '/placement-tests/schedule' },
    scope: 'admin',
    summary: 'Run a placement test every week from a mailbox to the seeds',
    input: z.object({
      enabled: z.boolean().optional(),
      mailboxId: z.string().min(1).max(64).nullable().optional(),
      weekday: z.number().int().min(0).max(6).optional(),
      hour: z.number().int().min(0).max(23).optional(),
      timeZone: timeZone.optional(),
    }),
    output: placementSchedule,
  }),

  'checks.domain': method({
    http: { method: 'POST', path: '/checks/domains/{domain}' },
    scope: 'send',
    summary:
      'Check the DNS authentication of a domain now: SPF (tree, lookup and void counts), DKIM, DMARC (policy, alignment, reports), MX, ' +
      'PTR/FCrDNS of the sending IP, MTA-STS, TLS-RPT, BIMI. The selectors and IP given are remembered for the domain; IP, selectors and identifiers ' +
      'default to what Kiln learned from received mail',
    input: z.object({
      domain: authDomain,
      ip: z.union([z.ipv4(), z.ipv6()]).optional(),
      selectors: z.array(dkimSelector).max(10).optional(),
      /** The MAIL FROM (Return-Path) domain its mail uses, for DMARC SPF alignment. */
      envelopeDomain: authDomain.optional(),
      /** The d= domains of its DKIM signatures, for DMARC DKIM alignment. */
      dkimDomains: z.array(authDomain).max(5).optional(),
    }),
    output: authReport,
  }),
  'checks.domainLatest': method({
    http: { method: 'GET', path: '/checks/domains/{domain}' },
    scope: 'read',
    summary: 'The latest DNS authentication report of a domain',
    input: z.object({ domain: authDomain }),
    output: authReport,
  }),
  'checks.domainHistory': method({
    http: { method: 'GET', path: '/checks/domains/{domain}/history' },
    scope: 'read',
    summary: "A domain's check runs, oldest first: time, overall status and status per check (for charts)",
    input: z.object({ domain: authDomain, days: z.coerce.number().int().min(1).max(400).default(90) }),
    output: z.array(authHistoryPoint),
  }),
  'checks.domains': method({
    http: { method: 'GET', path: '/checks/domains' },
    scope: 'read',
    summary: "Every domain of the workspace's mailboxes, and every domain checked, with its latest status per check",
    input: z.object({}),
    output: z.array(authDomainSummary),
  }),
  'checks.mailbox': method({
    http: { method: 'GET', path: '/mailboxes/{id}/checks' },
    scope: 'read',
    summary: "A mailbox's domain's latest DNS authentication report and the sending IP its mail was seen from",
    input: id,
    output: mailboxChecks,
  }),
  'checks.learnHeaders': method({
    http: { method: 'POST', path: '/checks/headers' },
    scope: 'send',
    summary:
      'Learn from the headers of a message received from a domain: its DKIM selectors and signing domains, its envelope domain, ' +
      'and its sending IP (Received headers); later checks use them',
    input: z.object({ headers: z.string().min(1).max(262_144), mailboxId: z.string().min(1).max(64).optional() }),
    output: learnedHeaders,
  }),

  'health.mailbox': method({
    http: { method: 'GET', path: '/mailboxes/{id}/health' },
    scope: 'read',
    summary: "A mailbox's health score now, its parts (placement, authentication, blocklists, bounces, placement test) and the daily scores",
    input: z.object({ id: z.string().min(1).max(64), days: z.coerce.number().int().min(1).max(365).default(30) }),
    output: mailboxHealth,
  }),
  'health.compliance': method({
    http: { method: 'GET', path: '/compliance' },
    scope: 'read',
    summary: 'Each sending domain against the Gmail / Yahoo / Microsoft bulk-sender rules',
    input: z.object({}),
    output: z.array(domainCompliance),
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
