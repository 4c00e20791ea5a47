import { z } from 'zod';

/**
 * Why an address is suppressed: a hard bounce, a complaint (ARF), repeated soft bounces to it
 * within the feedback loop's window, or added by hand (the API, the screen, a CSV import).
 */
export const suppressionReasons = ['hard_bounce', 'complaint', 'soft_bounces', 'manual'] as const;
export type SuppressionReason = (typeof suppressionReasons)[number];

export const suppression = z.object({
  id: z.string(),
  workspaceId: z.string(),
  address: z.string(),
  reason: z.enum(suppressionReasons),
  detail: z.string().nullable(),
  /** The message whose bounce or complaint caused it; null for manual ones. */
  messageId: z.string().nullable(),
  createdAt: z.string(),
});
export type Suppression = z.infer<typeof suppression>;

/** Why a line of a suppression CSV was skipped. */
export const suppressionImportRejections = ['invalid', 'duplicate', 'exists', 'reason'] as const;

export const suppressionImportReport = z.object({
  /** Data rows in the file (the header excluded). */
  total: z.number().int(),
  /** Rows added to the list. */
  imported: z.number().int(),
  rejected: z.array(
    z.object({
      /** 1-based line in the file, the header being line 1. */
      line: z.number().int(),
      address: z.string(),
      reason: z.enum(suppressionImportRejections),
      message: z.string(),
    }),
  ),
});
export type SuppressionImportReport = z.infer<typeof suppressionImportReport>;
