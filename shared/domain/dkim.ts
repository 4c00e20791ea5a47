import { z } from 'zod';
import { verdict } from './verdict';

export const dkimKeyStatuses = ['pending', 'active'] as const;
export type DkimKeyStatus = (typeof dkimKeyStatuses)[number];

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
  /**
   * pending: the TXT record has not been seen in DNS with this key, so Kiln does not sign with it
   * (a signature receivers cannot verify fails DKIM); active: it was seen, and mail is signed.
   */
  status: z.enum(dkimKeyStatuses),
  /** When the record was first seen and signing started (null while pending). */
  activatedAt: z.string().nullable(),
  /** The latest DNS check (null: not checked yet). */
  checkedAt: z.string().nullable(),
  /** What the latest check found: good (published, the same key), warning (not published yet), bad (another key), unknown (the lookup failed, or not checked). */
  verdict,
});
export type DkimKey = z.infer<typeof dkimKey>;
