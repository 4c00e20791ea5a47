import { z } from 'zod';
import { providers } from './mailbox';

// An inbox placement test: one message from a mailbox to each seed, and where each copy landed.

export const seedPlacements = ['inbox', 'spam', 'other', 'missing', 'pending', 'unreadable', 'failed'] as const;
export type SeedPlacement = (typeof seedPlacements)[number];

const authResult = z.object({ result: z.string(), detail: z.string().nullable() });

/** How the received copy authenticates (mailauth on the copy the seed's server stored). */
export const copyAuth = z.object({
  spf: authResult,
  dkim: authResult,
  dmarc: authResult,
  /** The sending IP the receiving server recorded, when found in its Received header. */
  ip: z.string().nullable(),
});
export type CopyAuth = z.infer<typeof copyAuth>;

export const seedResult = z.object({
  address: z.string(),
  provider: z.enum(providers),
  /** pending until seen or the time limit; unreadable when Kiln cannot read that mailbox; failed when the send failed. */
  placement: z.enum(seedPlacements),
  folder: z.string().nullable(),
  seenAt: z.string().nullable(),
  messageId: z.string().nullable(),
  auth: copyAuth.nullable(),
  error: z.string().nullable(),
});
export type SeedResult = z.infer<typeof seedResult>;

const counts = z.object({
  total: z.number().int(),
  inbox: z.number().int(),
  spam: z.number().int(),
  other: z.number().int(),
  missing: z.number().int(),
  pending: z.number().int(),
});

export const placementTest = z.object({
  id: z.string(),
  mailboxId: z.string(),
  from: z.string(),
  subject: z.string(),
  trigger: z.enum(['manual', 'schedule']),
  status: z.enum(['running', 'complete']),
  createdAt: z.string(),
  deadlineAt: z.string(),
  completedAt: z.string().nullable(),
  /** Inbox share of the readable seeds that answered (null before any did). */
  inboxRate: z.number().nullable(),
  totals: counts,
  byProvider: z.array(counts.extend({ provider: z.enum(providers) })),
  seeds: z.array(seedResult),
});
export type PlacementTest = z.infer<typeof placementTest>;

export const placementSchedule = z.object({
  enabled: z.boolean(),
  mailboxId: z.string().nullable(),
  /** 0 = Sunday … 6 = Saturday, in timeZone. */
  weekday: z.number().int().min(0).max(6),
  hour: z.number().int().min(0).max(23),
  timeZone: z.string(),
  lastRunAt: z.string().nullable(),
});
export type PlacementSchedule = z.infer<typeof placementSchedule>;
