import { z } from 'zod';

export const suppressionReasons = ['hard_bounce', 'complaint', 'manual'] as const;

export const suppression = z.object({
  id: z.string(),
  workspaceId: z.string(),
  address: z.string(),
  reason: z.enum(suppressionReasons),
  detail: z.string().nullable(),
  messageId: z.string().nullable(),
  createdAt: z.string(),
});
export type Suppression = z.infer<typeof suppression>;
