import { z } from 'zod';
import { verdict } from './verdict';
import { dailyStats } from './warmup';
import { healthComponent } from './health';
import { alert } from './alert';
import { authDomainSummary } from './auth-check';
import { blocklistSummary, blocklistStatuses } from './blocklist';
import { dmarcSummary } from './dmarc';

// A client report: what Kiln measured for one workspace over a date range, every number read from
// where the rest of Kiln computes it (figures, health, checks, blocklists, DMARC, alerts, placement
// tests). Null is "not measured" and is drawn as unknown, never as good.

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');

export const reportRange = z
  .object({ from: day, to: day })
  .refine((r) => r.from <= r.to, { message: 'from must not be after to', path: ['from'] });

const placementCounts = z.object({ inbox: z.number().int(), spam: z.number().int(), other: z.number().int(), missing: z.number().int() });
const outcomeCounts = z.object({ sent: z.number().int(), delivered: z.number().int(), bounced: z.number().int(), complained: z.number().int() });

export const reportMailbox = z.object({
  id: z.string(),
  email: z.string(),
  provider: z.string(),
  /** The latest stored daily health score in the range (null: none stored, or not measurable). */
  health: z.object({ day: z.string(), score: z.number().int().nullable(), components: z.array(healthComponent) }).nullable(),
  /** Stored daily scores in the range, oldest first. */
  healthHistory: z.array(z.object({ day: z.string(), score: z.number().int().nullable(), components: z.array(healthComponent) })),
  /** The figures day by day (the mailbox's figure time zone). */
  days: z.array(dailyStats),
  outcomes: outcomeCounts,
  placements: placementCounts,
  inboxShare: z.number().nullable(),
  verdict,
});
export type ReportMailbox = z.infer<typeof reportMailbox>;

export const report = z.object({
  workspace: z.object({ id: z.string(), name: z.string() }),
  from: z.string(),
  to: z.string(),
  timeZone: z.string(),
  generatedAt: z.string(),
  consultant: z.object({ name: z.string().nullable(), logoDataUrl: z.string().nullable() }),
  /** Workspace totals over the range (sums of each mailbox's figures). */
  headline: z.object({
    mailboxes: z.number().int(),
    outcomes: outcomeCounts,
    placements: placementCounts,
    /** Inbox share of the placements read; null when none was read. */
    inboxShare: z.number().nullable(),
    warmup: z.object({ target: z.number().int(), sent: z.number().int() }),
    alertsRaised: z.number().int(),
    alertsResolved: z.number().int(),
    /** DMARC pass percentage over the range (aggregate reports); null without reports. */
    dmarcPassPct: z.number().nullable(),
  }),
  mailboxes: z.array(reportMailbox),
  /** All Kiln mail sent in the range by where it landed, per receiving provider. */
  placementByProvider: z.array(placementCounts.extend({ provider: z.string(), inboxShare: z.number().nullable() })),
  placementTests: z.array(
    z.object({ id: z.string(), from: z.string(), createdAt: z.string(), status: z.string(), inboxRate: z.number().nullable(), total: z.number().int(), inbox: z.number().int(), spam: z.number().int(), missing: z.number().int() }),
  ),
  authentication: z.array(authDomainSummary),
  blocklists: z.object({
    current: blocklistSummary,
    scans: z.number().int(),
    changes: z.array(z.object({ at: z.string(), target: z.string(), zone: z.string(), from: z.enum(blocklistStatuses).nullable(), to: z.enum(blocklistStatuses) })),
  }),
  dmarc: dmarcSummary,
  alerts: z.array(alert),
});
export type Report = z.infer<typeof report>;

export const reportWeekly = z.object({
  enabled: z.boolean(),
  recipient: z.email().max(320).nullable(),
  mailboxId: z.string().max(64).nullable(),
  /** 0 = Sunday … 6 = Saturday, in timeZone. */
  weekday: z.number().int().min(0).max(6),
  hour: z.number().int().min(0).max(23),
});

export const reportSettings = z.object({
  consultantName: z.string().max(200).nullable(),
  /** A small image as a data URL (png, jpeg, gif, webp or svg+xml; at most 200 kB). */
  logoDataUrl: z.string().max(280_000).regex(/^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=]+$/, 'a base64 image data URL').nullable(),
  /** The time zone report days and the weekly mail's hour are counted in. */
  timeZone: z.string().max(64),
  weekly: reportWeekly,
  /** The local date (YYYY-MM-DD) of the last weekly slot that was handled; null: never. */
  lastSentWeek: z.string().nullable(),
  /** What became of that slot's mail: queued as a message (follow it on the Messages screen), or why not. */
  lastWeekly: z
    .object({
      week: z.string(),
      at: z.string(),
      messageId: z.string().nullable(),
      error: z.object({ code: z.string(), message: z.string() }).nullable(),
    })
    .nullable()
    .default(null),
});
export type ReportSettings = z.infer<typeof reportSettings>;
