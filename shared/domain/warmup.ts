import { z } from 'zod';
import { rampSchema } from '../warmup/ramp';
import { loopSettingsSchema } from '../warmup/loop';

export const warmupStates = ['warming', 'holding', 'throttled', 'paused'] as const;
export const dayStates = [...warmupStates, 'off', 'missed'] as const;

/** A mailbox's warmup: its ramp, the closed loop's settings and latest decision, and its position. */
export const warmupStatus = z.object({
  mailboxId: z.string(),
  enabled: z.boolean(),
  /** Receives and engages with other pool members' warmup mail. */
  pool: z.boolean(),
  ramp: rampSchema,
  loop: loopSettingsSchema,
  /** Sending days the ramp has advanced (its position); kept across pauses and max changes. */
  progress: z.number().int(),
  state: z.enum(warmupStates),
  /** Why the loop holds, throttles or pauses; shown as is in the UI. */
  reason: z.string().nullable(),
  reasonCode: z.string().nullable(),
  until: z.string().nullable(),
  pausedAt: z.string().nullable(),
});
export type WarmupStatus = z.infer<typeof warmupStatus>;

/** One calendar day of a ramp preview: what it sends through the closed loop (0 on days off). */
export const rampPreviewDay = z.object({
  date: z.string(),
  sendingDay: z.number().int().nullable(),
  volume: z.number().int().describe('What the day sends: the ramp volume through the closed loop'),
  base: z.number().int().describe('The curve level, before variance and the loop'),
  rampVolume: z.number().int().describe('The ramp volume before the loop'),
  loop: z.enum(['throttled', 'holding']).nullable().describe('The loop state the day is planned under, when it cuts or freezes it'),
});

export const planItem = z.object({
  id: z.string(),
  kind: z.enum(['warmup', 'reply']),
  to: z.string(),
  at: z.string().describe('When it is (or was) due'),
  status: z.string(),
  sentAt: z.string().nullable(),
});

/** One mailbox-day of warmup: what the ramp asked, what the loop allowed, and how far it got. */
export const dayPlan = z.object({
  mailboxId: z.string(),
  day: z.string(),
  planned: z.boolean().describe('false when the day has not been planned (yet)'),
  state: z.enum(dayStates).nullable(),
  reason: z.string().nullable(),
  sendingDay: z.number().int().nullable(),
  volume: z.number().int().describe('The ramp volume for the day, before the closed loop'),
  target: z.number().int().describe('Accepted warmup sends wanted today; failed sends do not count; kept while a pause holds the mail'),
  sent: z.number().int(),
  pending: z.number().int().describe('Planned or on its way, including mail held by a pause'),
  failed: z.number().int(),
  replies: z.number().int(),
  dropped: z.number().int().describe('Planned warmup mail dropped instead of sent (e.g. a pause that outlasted the send window)'),
  droppedReason: z.string().nullable().describe('Why, the latest drop'),
  items: z.array(planItem),
});
export type DayPlan = z.infer<typeof dayPlan>;

export const dailyStats = z.object({
  day: z.string(),
  // The warmup ramp, by plan day: warmup mail against the plan.
  target: z.number().int(),
  planned: z.number().int().describe('Warmup mail planned or waiting to be sent'),
  sent: z.number().int().describe('Warmup mail the server accepted, against the target'),
  failed: z.number().int().describe('Warmup mail no server accepted'),
  received: z.number().int().describe('Warmup mail from the pool that reached this mailbox'),
  // All Kiln mail this mailbox sent (warmup, replies, API, placement tests), by the day it was sent.
  mailSent: z.number().int().describe('All Kiln mail the server accepted that day'),
  delivered: z.number().int(),
  bounced: z.number().int(),
  complained: z.number().int(),
  inbox: z.number().int(),
  spam: z.number().int(),
  other: z.number().int().describe('Placed in another folder or tab (e.g. Promotions)'),
  missing: z.number().int().describe('Not seen by its readable recipient in time (not a placement)'),
  inboxShare: z.number().min(0).max(1).nullable().describe('inbox / (inbox + spam + other); null when nothing was read'),
  replied: z.number().int(),
});
export type DailyStats = z.infer<typeof dailyStats>;

export const poolRecipient = z.object({
  id: z.string(),
  address: z.string(),
  name: z.string().nullable(),
  provider: z.string(),
  dailyCap: z.number().int().nullable(),
  createdAt: z.string(),
});
export type PoolRecipient = z.infer<typeof poolRecipient>;

export const poolOverview = z.object({
  /** This workspace's mailboxes in the shared pool. */
  mailboxes: z.array(z.object({ id: z.string(), email: z.string(), provider: z.string(), readable: z.boolean(), warming: z.boolean() })),
  external: z.array(poolRecipient),
  /** The whole pool across the consultant's workspaces, as counts (other workspaces' addresses stay private). */
  totals: z.object({ members: z.number().int(), providers: z.record(z.string(), z.number().int()), workspaces: z.number().int() }),
});

export const contentSettings = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('builtin') }),
  z.object({
    provider: z.literal('openai'),
    url: z.url().max(500),
    model: z.string().min(1).max(100),
    timeoutMs: z.number().int().min(500).max(60_000).default(8_000),
  }),
]);

export const warmupLimits = z.object({
  /** Warmup mail (all senders together) to one recipient domain. */
  domainPerMinute: z.number().int().min(1).max(10_000).default(4),
  domainPerHour: z.number().int().min(1).max(100_000).default(120),
  domainPerDay: z.number().int().min(1).max(1_000_000).default(2_000),
  /** One mailbox's warmup and reply mail. */
  mailboxPerMinute: z.number().int().min(1).max(60).default(1),
  mailboxPerHour: z.number().int().min(1).max(1_000).default(20),
  /** Least time between two planned sends of one mailbox (shrinks when the window is too short). */
  minGapMinutes: z.number().min(0).max(120).default(3),
});
export type WarmupLimits = z.infer<typeof warmupLimits>;

export const warmupSettings = z.object({
  content: contentSettings,
  /** Whether an API key for the content endpoint is in the secret store (the key is never returned). */
  contentKeySet: z.boolean(),
  limits: warmupLimits,
});
export type WarmupSettings = z.infer<typeof warmupSettings>;
