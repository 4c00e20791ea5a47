// Warmup: ramps, the closed loop, day plans, stats and the warmup pool.
import { z } from 'zod';
import { method } from '../define';
import { providers } from '../../domain/mailbox';
import { contentSettings, dailyStats, dayPlan, poolOverview, poolRecipient, rampPreviewDay, warmupLimits, warmupSettings, warmupStatus } from '../../domain/warmup';
import { rampPatchSchema, rampSchema } from '../../warmup/ramp';
import { loopSettingsSchema } from '../../warmup/loop';
import { id, email, presetName } from './common';

const localDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-01-31');

const warmupUpdate = id.extend({
  enabled: z.boolean().optional(),
  pool: z.boolean().optional(),
  /** Start from a preset; `ramp` fields given alongside override it. */
  preset: presetName.optional(),
  ramp: rampPatchSchema.optional(),
  loop: loopSettingsSchema.partial().optional(),
});

export const warmupMethods = {
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
};
