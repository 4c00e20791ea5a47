import { z } from 'zod';
import { scopes } from '../api/define';

export const apiToken = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  /** First characters of the token, enough to recognise it in a list; the rest is only shown once. */
  prefix: z.string(),
  scopes: z.array(z.enum(scopes)),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof apiToken>;

export const createdToken = apiToken.extend({ token: z.string().describe('The secret; shown once, never stored') });
export type CreatedToken = z.infer<typeof createdToken>;

export const workspace = z.object({ id: z.string(), slug: z.string(), name: z.string(), createdAt: z.string() });
export type Workspace = z.infer<typeof workspace>;
