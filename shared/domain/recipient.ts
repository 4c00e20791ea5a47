import { z } from 'zod';
import { providers } from './mailbox';

/** Seeds receive placement tests; contacts receive broadcasts. Pool members live in the warmup pool. */
export const recipientListKinds = ['seed', 'contact'] as const;
export type RecipientListKind = (typeof recipientListKinds)[number];

export const recipient = z.object({
  id: z.string(),
  kind: z.enum(recipientListKinds),
  address: z.string(),
  name: z.string().nullable(),
  provider: z.enum(providers),
  createdAt: z.string(),
});
export type Recipient = z.infer<typeof recipient>;

export const importRejections = ['invalid', 'duplicate', 'suppressed', 'exists'] as const;

/** What an import did (or, as a dry run, would do), row by row for every row it skipped. */
export const importReport = z.object({
  dryRun: z.boolean(),
  /** Data rows in the file (the header excluded). */
  total: z.number().int(),
  /** Rows that are (or would be) added. */
  imported: z.number().int(),
  rejected: z.array(
    z.object({
      /** 1-based line in the file, the header being line 1. */
      line: z.number().int(),
      address: z.string(),
      reason: z.enum(importRejections),
      message: z.string(),
    }),
  ),
  /** The header columns read (email; name: a full name, or first and last) and those ignored. */
  columns: z.object({ email: z.string(), name: z.array(z.string()), ignored: z.array(z.string()) }),
});
export type ImportReport = z.infer<typeof importReport>;
