import { z } from 'zod';

// DMARC aggregate reports (RFC 7489 appendix C and RFC 9990), normalised into one shape whatever
// schema the reporter used. Times in the API are ISO strings; counts are messages, not records.

export const dmarcSchemas = ['rfc7489', 'rfc9990'] as const;
export type DmarcSchema = (typeof dmarcSchemas)[number];
export const dmarcSources = ['imap', 'upload'] as const;
export type DmarcSource = (typeof dmarcSources)[number];

/** The policy the domain owner published, as the reporter saw it (null: not in the report). */
export const dmarcPolicy = z.object({
  domain: z.string(),
  adkim: z.enum(['r', 's']).nullable(),
  aspf: z.enum(['r', 's']).nullable(),
  p: z.enum(['none', 'quarantine', 'reject']),
  sp: z.enum(['none', 'quarantine', 'reject']).nullable(),
  /** RFC 9990: policy for non-existent subdomains. */
  np: z.enum(['none', 'quarantine', 'reject']).nullable(),
  /** RFC 7489 only (RFC 9990 dropped it). */
  pct: z.number().int().nullable(),
  fo: z.string().nullable(),
  /** RFC 9990: `y` when the policy is in test mode. */
  testing: z.enum(['y', 'n']).nullable(),
  /** RFC 9990: how the reporter found the policy (psl, treewalk). */
  discoveryMethod: z.string().nullable(),
});
export type DmarcPolicy = z.infer<typeof dmarcPolicy>;

export const dmarcDkimResult = z.object({ domain: z.string().nullable(), selector: z.string().nullable(), result: z.string(), humanResult: z.string().nullable() });
export const dmarcSpfResult = z.object({ domain: z.string().nullable(), scope: z.string().nullable(), result: z.string(), humanResult: z.string().nullable() });

/** One row of a report: `count` messages from one source IP with the same results. */
export const dmarcRecord = z.object({
  sourceIp: z.string(),
  count: z.number().int(),
  disposition: z.enum(['none', 'pass', 'quarantine', 'reject']),
  /** policy_evaluated: the reporter's verdict on *aligned* DKIM and SPF. */
  dkim: z.string(),
  spf: z.string(),
  dkimAligned: z.boolean(),
  spfAligned: z.boolean(),
  /** DMARC pass = aligned DKIM or aligned SPF. */
  dmarcPass: z.boolean(),
  reasons: z.array(z.object({ type: z.string(), comment: z.string().nullable() })),
  headerFrom: z.string(),
  envelopeFrom: z.string().nullable(),
  envelopeTo: z.string().nullable(),
  authDkim: z.array(dmarcDkimResult),
  authSpf: z.array(dmarcSpfResult),
});
export type DmarcRecord = z.infer<typeof dmarcRecord>;

/** A parsed report before it is stored (dates in epoch seconds, as in the XML). */
export interface ParsedDmarcReport {
  schema: DmarcSchema;
  version: string | null;
  orgName: string;
  email: string | null;
  extraContactInfo: string | null;
  reportId: string;
  begin: number;
  end: number;
  errors: string[];
  generator: string | null;
  policy: DmarcPolicy;
  records: DmarcRecord[];
}

export const dmarcReport = z.object({
  id: z.string(),
  orgName: z.string(),
  email: z.string().nullable(),
  reportId: z.string(),
  domain: z.string(),
  begin: z.string(),
  end: z.string(),
  schema: z.enum(dmarcSchemas),
  policy: dmarcPolicy,
  errors: z.array(z.string()),
  generator: z.string().nullable(),
  /** Rows and messages in the report, and how many of those messages passed DMARC. */
  records: z.number().int(),
  messages: z.number().int(),
  dmarcPass: z.number().int(),
  source: z.enum(dmarcSources),
  receivedAt: z.string(),
});
export type DmarcReport = z.infer<typeof dmarcReport>;

export const dmarcReportWithRecords = dmarcReport.extend({ rows: z.array(dmarcRecord), rowsTruncated: z.boolean() });

/** Why one report (or one mail) was not ingested. */
export const dmarcRejection = z.object({
  code: z.string(),
  message: z.string(),
  /** IMAP UID and subject of the mail, when it came from the reports mailbox. */
  uid: z.number().int().nullable(),
  subject: z.string().nullable(),
  filename: z.string().nullable(),
});
export type DmarcRejection = z.infer<typeof dmarcRejection>;

export const dmarcIngestResult = z.object({
  /** Reports stored by this run. */
  ingested: z.number().int(),
  /** Reports already stored (same reporter and report id): nothing written. */
  duplicates: z.number().int(),
  rejected: z.array(dmarcRejection),
  /** Mail in the folder that is not a DMARC report: left where it is. */
  skipped: z.number().int(),
  /** Mail moved to the processed and the failed folder. */
  moved: z.object({ processed: z.number().int(), failed: z.number().int() }),
  /** More new mail waits than one run takes: the next run continues. */
  more: z.boolean(),
  startedAt: z.string(),
  finishedAt: z.string(),
  /** Set when the run stopped on an IMAP or configuration error. */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type DmarcIngestResult = z.infer<typeof dmarcIngestResult>;

export const dmarcSettings = z.object({
  /** The Kiln mailbox (with IMAP) that receives the rua= reports; null: not set up. */
  mailboxId: z.string().nullable(),
  folder: z.string(),
  processedFolder: z.string(),
  failedFolder: z.string(),
  /** Read the mailbox on a schedule (every intervalMinutes) besides on demand. */
  schedule: z.boolean(),
  intervalMinutes: z.number().int(),
  lastRunAt: z.string().nullable(),
  nextRunAt: z.string().nullable(),
  lastRun: dmarcIngestResult.nullable(),
});
export type DmarcSettings = z.infer<typeof dmarcSettings>;

const rate = z.number().nullable();
const counts = {
  messages: z.number().int(),
  dmarcPass: z.number().int(),
  dkimAligned: z.number().int(),
  spfAligned: z.number().int(),
  /** Percentages (one decimal); null when there were no messages. */
  passPct: rate,
  dkimAlignedPct: rate,
  spfAlignedPct: rate,
};

export const dmarcSummary = z.object({
  domain: z.string().nullable(),
  days: z.number().int(),
  from: z.string(),
  to: z.string(),
  totals: z.object({ ...counts, reports: z.number().int(), sources: z.number().int() }),
  /** By RFC5322.From domain, most mail first. */
  domains: z.array(z.object({ domain: z.string(), ...counts, sources: z.number().int() })),
  /** By source IP, most mail first (at most 500). */
  sources: z.array(z.object({ sourceIp: z.string(), ...counts, domains: z.array(z.string()) })),
  /** Every UTC day of the window, oldest first (by the start of each report's range). */
  daily: z.array(z.object({ date: z.string(), ...counts })),
});
export type DmarcSummary = z.infer<typeof dmarcSummary>;
