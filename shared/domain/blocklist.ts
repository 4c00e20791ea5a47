import { z } from 'zod';
import { verdict } from './verdict';

// DNS blocklists (DNSBL for IPs, RHSBL/URIBL for domains): what Kiln checks, what each list said,
// and the workspace's settings. A result is `listed`, `clear` (NXDOMAIN) or `error`: an error is
// never a listing and never a delisting (a blocked resolver must not look like either).

export const blocklistKinds = ['ip', 'domain'] as const;
export type BlocklistKind = (typeof blocklistKinds)[number];

export const blocklistStatuses = ['listed', 'clear', 'error'] as const;
export type BlocklistStatus = (typeof blocklistStatuses)[number];

/** Why a query gave no verdict. */
export const blocklistErrorCodes = [
  /** No answer within the resolver's timeout. */
  'TIMEOUT',
  'SERVFAIL',
  /** The resolver or the list refused the query (DNS REFUSED, URIBL's 127.0.0.1). */
  'REFUSED',
  /** The list refuses queries from this resolver (Spamhaus 127.255.255.254: public/open resolver; SURBL 127.0.0.1). */
  'BLOCKED_RESOLVER',
  /** Too many queries from this resolver (Spamhaus 127.255.255.255). */
  'RATE_LIMITED',
  /** The zone name is wrong (Spamhaus 127.255.255.252). */
  'ZONE_NAME_ERROR',
  /** Another error code of the list (e.g. Spamhaus 127.255.255.x for an invalid DQS key). */
  'ZONE_ERROR',
  /** The query does not fit the list (Spamhaus DBL 127.0.1.255: an IP asked of a domain list; a name too long). */
  'BAD_QUERY',
  /** An answer outside 127.0.0.0/8: a wildcarding or hijacking resolver, never a listing. */
  'NOT_LOOPBACK',
  /** The list did not confirm its test entry this scan, so its "not listed" cannot be trusted. */
  'UNVERIFIED',
  /** A 127.x answer the zone does not define as a listing. */
  'UNEXPECTED_CODE',
  /** The resolver could not be reached or failed otherwise. */
  'DNS_ERROR',
] as const;
export type BlocklistErrorCode = (typeof blocklistErrorCodes)[number];

export const targetSources = ['mailbox', 'smtp-host', 'manual'] as const;
export type TargetSource = (typeof targetSources)[number];

export const blocklistCode = z.object({
  /** The A record the list answered, e.g. `127.0.0.2`. */
  code: z.string(),
  meaning: z.string(),
  /** A policy listing (Spamhaus PBL): the IP should not send direct-to-MX; not a reputation problem by itself. */
  policy: z.boolean(),
});
export type BlocklistCode = z.infer<typeof blocklistCode>;

export const blocklistResult = z.object({
  /** The zone's public name (also under DQS), e.g. `zen.spamhaus.org`. */
  zone: z.string(),
  label: z.string(),
  status: z.enum(blocklistStatuses),
  /** What the list answered (listed results; empty otherwise). */
  codes: z.array(blocklistCode),
  error: z.object({ code: z.enum(blocklistErrorCodes), message: z.string() }).nullable(),
  /** The name asked, with a DQS key shown as `<dqs-key>`. */
  query: z.string(),
  checkedAt: z.string(),
  /** When the status last changed. */
  changedAt: z.string(),
  /** Since when the target has been listed (null unless listed). */
  listedSince: z.string().nullable(),
  /** listed: bad (a policy listing only: warning); clear: good; error: unknown. Evidence: the name asked and the answer. */
  verdict,
});
export type BlocklistResult = z.infer<typeof blocklistResult>;

export const blocklistTarget = z.object({
  /** An IP address or a domain. */
  value: z.string(),
  kind: z.enum(blocklistKinds),
  /** Why it is checked: a mailbox's domain, the address of a self-hosted SMTP host, or added by hand. */
  sources: z.array(z.enum(targetSources)),
  results: z.array(blocklistResult),
  /**
   * The target on every list together: bad when any list lists it (policy listings only: warning),
   * good only when every list answered "not listed", otherwise unknown (saying how many answered).
   */
  verdict,
});
export type BlocklistTarget = z.infer<typeof blocklistTarget>;

export const blocklistScan = z.object({
  id: z.string(),
  trigger: z.enum(['manual', 'schedule']),
  startedAt: z.string(),
  finishedAt: z.string(),
  targets: z.number().int(),
  queries: z.number().int(),
  listed: z.number().int(),
  clear: z.number().int(),
  errors: z.number().int(),
  /** Status changes against the previous scan (a pair's first look included). */
  changes: z.number().int(),
  /** Spamhaus zones were asked through DQS (a key is set). */
  dqs: z.boolean(),
});
export type BlocklistScan = z.infer<typeof blocklistScan>;

export const blocklistSummary = z.object({
  targets: z.number().int(),
  zones: z.number().int(),
  listed: z.number().int(),
  clear: z.number().int(),
  error: z.number().int(),
  /** Targets listed on at least one list. */
  listedTargets: z.number().int(),
  /** Targets without a verdict: not listed where asked, but some list did not answer. */
  unknownTargets: z.number().int(),
});

export const blocklistOverview = z.object({
  lastScan: blocklistScan.nullable(),
  summary: blocklistSummary,
  targets: z.array(blocklistTarget),
});
export type BlocklistOverview = z.infer<typeof blocklistOverview>;

export const blocklistChange = z.object({
  target: z.string(),
  zone: z.string(),
  /** null: first look at this (target, zone). */
  from: z.enum(blocklistStatuses).nullable(),
  to: z.enum(blocklistStatuses),
  codes: z.array(blocklistCode),
});

export const blocklistHistoryItem = blocklistScan.extend({ changeList: z.array(blocklistChange) });
export type BlocklistHistoryItem = z.infer<typeof blocklistHistoryItem>;

export const blocklistZone = z.object({
  name: z.string(),
  label: z.string(),
  kind: z.enum(blocklistKinds),
  /** Answers IPv6 queries (nibble format). */
  ipv6: z.boolean(),
  builtin: z.boolean(),
  enabled: z.boolean(),
  /** Queried through Spamhaus DQS when a key is set. */
  dqs: z.boolean(),
  /** How answers are read, in a sentence. */
  codes: z.string(),
});

export const blocklistSettings = z.object({
  zones: z.array(blocklistZone),
  /** IPs and domains checked in addition to the mailboxes' domains. */
  extraTargets: z.array(z.string()),
  /** Targets never checked (e.g. a mailbox domain that is not yours). */
  excludedTargets: z.array(z.string()),
  /** Also check the addresses of self-hosted (custom provider) SMTP hosts. */
  resolveSmtpHosts: z.boolean(),
  /** Write-only: whether a Spamhaus DQS key is stored (the key never leaves the secret store). */
  dqsKeySet: z.boolean(),
});
export type BlocklistSettings = z.infer<typeof blocklistSettings>;

// Labels of letters, digits and dashes; the last one starts with a letter (so 999.1.1.1 is no domain).
const hostname = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A DNS zone such as `bl.example.org` (lower-cased, no trailing dot). */
export const zoneName = z
  .string()
  .trim()
  .toLowerCase()
  .transform((s) => s.replace(/\.$/, ''))
  .pipe(z.string().max(200).regex(hostname, 'must be a DNS zone such as bl.example.org'));

export const customZoneInput = z.object({
  name: zoneName,
  label: z.string().trim().min(1).max(100).optional(),
  kind: z.enum(blocklistKinds),
  ipv6: z.boolean().default(false),
});
export type CustomZoneInput = z.infer<typeof customZoneInput>;

/** An IP address or a domain, checked for shape here and for meaning (public IP) in the core. */
export const targetInput = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(253)
  .transform((s) => s.replace(/\.$/, ''))
  .pipe(z.union([z.ipv4(), z.ipv6(), z.string().regex(hostname, 'must be an IP address or a domain')]));

export const blocklistSettingsPatch = z.object({
  /** Turn zones (built-in or custom, by name) on or off. */
  zones: z.record(z.string().max(253), z.boolean()).optional(),
  /** Replaces the custom zones (answers 127.0.0.2-127.0.0.255 are listings). */
  customZones: z.array(customZoneInput).max(50).optional(),
  extraTargets: z.array(targetInput).max(200).optional(),
  excludedTargets: z.array(targetInput).max(200).optional(),
  resolveSmtpHosts: z.boolean().optional(),
  /** Write-only Spamhaus DQS key (it goes to the secret store); null removes it. */
  dqsKey: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{16,64}$/, 'must be a Spamhaus DQS key (16-64 letters and digits)')
    .nullable()
    .optional(),
});
export type BlocklistSettingsPatch = z.infer<typeof blocklistSettingsPatch>;
