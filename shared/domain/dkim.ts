import { z } from 'zod';

/** A domain's DKIM signing key as the API shows it: the public half to publish, never the private. */
export const dkimKey = z.object({
  id: z.string(),
  domain: z.string(),
  selector: z.string(),
  algorithm: z.literal('rsa-sha256'),
  bits: z.number().int(),
  /** Where to publish the key: `<selector>._domainkey.<domain>` TXT. */
  dnsName: z.string(),
  /** The TXT value to publish there. */
  dnsValue: z.string(),
  createdAt: z.string(),
});
export type DkimKey = z.infer<typeof dkimKey>;
