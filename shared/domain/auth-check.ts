import { z } from 'zod';
import { verdict } from './verdict';

// DNS authentication checks of a sending domain: SPF, DKIM, DMARC, MX, PTR/FCrDNS, MTA-STS,
// TLS-RPT and BIMI, one report per run. Every check says what it found with a status, the
// problems in words (each with a stable code), and the raw records it read.

/**
 * - pass: published and sound.
 * - warn: works, but weak or risky (p=none, ?all, a 1024-bit key, no reporting address...).
 * - fail: a requirement is not met (record missing, key revoked, DMARC misaligned, PTR mismatch).
 * - error: the record is broken so receivers cannot use it (SPF permerror: over the lookup limits,
 *   syntax, several records), or the lookup itself failed (timeout: temperror).
 * - none: nothing to check (optional record not published, no sending IP or DKIM selector known).
 */
export const checkStatuses = ['pass', 'warn', 'fail', 'error', 'none'] as const;
export type CheckStatus = (typeof checkStatuses)[number];

export const authCheckNames = ['spf', 'dkim', 'dmarc', 'mx', 'ptr', 'mtaSts', 'tlsRpt', 'bimi'] as const;
export type AuthCheckName = (typeof authCheckNames)[number];

export const problemSeverities = ['info', 'warning', 'error'] as const;
export type ProblemSeverity = (typeof problemSeverities)[number];

export const authProblem = z.object({
  /**
   * Stable, e.g. `spf.too_many_lookups`, `dmarc.misaligned`, `dns.timeout`; `domain.nxdomain`: the
   * domain does not exist in DNS (said instead of "no record" by every check of its records).
   */
  code: z.string(),
  severity: z.enum(problemSeverities),
  message: z.string(),
});
export type AuthProblem = z.infer<typeof authProblem>;

/** A record as read from DNS (TXT character-strings joined). */
export const dnsRecord = z.object({ name: z.string(), type: z.string(), values: z.array(z.string()) });
export type DnsRecord = z.infer<typeof dnsRecord>;

/** A record Kiln suggests publishing, built from what it knows (sending IPs, providers, its DKIM key, a DMARC reports mailbox). */
export const dnsSuggestion = z.object({
  name: z.string(),
  type: z.literal('TXT'),
  value: z.string(),
  /** What the value rests on, and what to check before publishing it. */
  note: z.string(),
});
export type DnsSuggestion = z.infer<typeof dnsSuggestion>;

const base = {
  status: z.enum(checkStatuses),
  /** A short statement of what was found; the problems say what is wrong (each once). */
  summary: z.string(),
  problems: z.array(authProblem),
  records: z.array(dnsRecord),
  /**
   * good (pass), warning (warn), bad (a requirement not met, a broken record, the domain does not
   * exist), unknown (a lookup failed: timeout, SERVFAIL; or nothing to check it against), na (an
   * optional record not published). Evidence: every DNS question the check asked and its answer.
   */
  verdict,
};

const status = z.enum(checkStatuses);
const statusMap = z.object(Object.fromEntries(authCheckNames.map((n) => [n, status])) as Record<AuthCheckName, typeof status>);
export type CheckStatusMap = z.infer<typeof statusMap>;

export const spfTerm = z.object({
  raw: z.string(),
  kind: z.enum(['mechanism', 'modifier']),
  /** all, include, a, mx, ptr, ip4, ip6, exists; redirect, exp or another modifier's name. */
  name: z.string(),
  qualifier: z.enum(['+', '-', '~', '?']).nullable(),
  value: z.string().nullable(),
  /** DNS-querying terms count 1 (include, a, mx, ptr, exists, redirect). */
  lookups: z.number().int(),
  voidLookups: z.number().int(),
  /** mx: the exchanges whose addresses an evaluator looks up (RFC 7208 §4.6.4: at most 10 per mx). */
  addressLookups: z.number().int(),
  /** include / redirect: the node of the record it leads to. */
  child: z.number().int().nullable(),
  /** false once the walk stopped (over a limit): the term is listed but was not followed. */
  evaluated: z.boolean(),
  note: z.string().nullable(),
});
export type SpfTerm = z.infer<typeof spfTerm>;

/** One SPF record in the include/redirect tree; the tree is flat, children point back with `parent`. */
export const spfNode = z.object({
  id: z.number().int(),
  parent: z.number().int().nullable(),
  via: z.enum(['include', 'redirect']).nullable(),
  domain: z.string(),
  record: z.string().nullable(),
  terms: z.array(spfTerm),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type SpfNode = z.infer<typeof spfNode>;

export const spfCheck = z.object({
  ...base,
  record: z.string().nullable(),
  lookups: z.number().int(),
  voidLookups: z.number().int(),
  limits: z.object({ lookups: z.number().int(), voidLookups: z.number().int() }),
  /** false when the walk stopped early (a limit was crossed): `tree` is the part walked. */
  complete: z.boolean(),
  tree: z.array(spfNode),
  /** The sending IP evaluated against the record (mailauth), when an IP was given. */
  evaluation: z
    .object({ ip: z.string(), result: z.string(), comment: z.string().nullable(), lookups: z.number().int().nullable() })
    .nullable(),
  /** The record to publish when SPF is missing or broken (null otherwise). */
  suggestion: dnsSuggestion.nullable(),
});
export type SpfCheck = z.infer<typeof spfCheck>;

export const dkimSelectorResult = z.object({
  selector: z.string(),
  /**
   * given: in this request; signing: the key Kiln signs the domain's mail with (its published key
   * must be Kiln's); pending: Kiln's key waiting for its record (it signs nothing yet, so a missing
   * record is a step to take, not a failure); known: remembered for the domain; headers: seen in
   * mail Kiln received.
   */
  source: z.enum(['given', 'signing', 'pending', 'known', 'headers']),
  name: z.string(),
  status,
  record: z.string().nullable(),
  keyType: z.string().nullable(),
  bits: z.number().int().nullable(),
  testing: z.boolean(),
  revoked: z.boolean(),
  problems: z.array(authProblem),
});
export type DkimSelectorResult = z.infer<typeof dkimSelectorResult>;

export const dkimCheck = z.object({
  ...base,
  selectors: z.array(dkimSelectorResult),
  /** Kiln's key record, when Kiln has a key for the domain and DNS does not publish it (null otherwise). */
  suggestion: dnsSuggestion.nullable(),
});
export type DkimCheck = z.infer<typeof dkimCheck>;

export const reportUri = z.object({
  uri: z.string(),
  scheme: z.string(),
  address: z.string().nullable(),
  domain: z.string().nullable(),
  maxSize: z.string().nullable(),
  /** The reports go to another organisation's domain, which must authorise it. */
  external: z.boolean(),
  /** `<policy-domain>._report._dmarc.<rua-domain>` found (null: not external or not checked). */
  authorized: z.boolean().nullable(),
});
export type ReportUri = z.infer<typeof reportUri>;

const identifier = z.object({ domain: z.string(), aligned: z.boolean(), authenticated: z.boolean().nullable() });

export const dmarcPolicy = z.object({
  p: z.string().nullable(),
  sp: z.string().nullable(),
  /** RFC 9989: policy for non-existent subdomains. */
  np: z.string().nullable(),
  pct: z.number().int().nullable(),
  adkim: z.enum(['r', 's']),
  aspf: z.enum(['r', 's']),
  fo: z.string().nullable(),
  rf: z.string().nullable(),
  ri: z.number().int().nullable(),
  /** RFC 9989: y (a public suffix domain), n, u. */
  psd: z.string().nullable(),
  /** RFC 9989: t=y is testing mode (the policy is not fully applied). */
  t: z.string().nullable(),
});
export type DmarcPolicy = z.infer<typeof dmarcPolicy>;

export const dmarcCheck = z.object({
  ...base,
  /** Where the record was found: the domain or, by fallback, its organisational domain. */
  recordDomain: z.string().nullable(),
  inherited: z.boolean(),
  record: z.string().nullable(),
  policy: dmarcPolicy.nullable(),
  rua: z.array(reportUri),
  ruf: z.array(reportUri),
  alignment: z
    .object({
      from: z.string(),
      spf: identifier.nullable(),
      dkim: z.array(identifier),
      /** At least one identifier aligned (and not known to fail authentication). */
      aligned: z.boolean(),
    })
    .nullable(),
  /** The record to publish when DMARC is missing or broken (null otherwise). */
  suggestion: dnsSuggestion.nullable(),
});
export type DmarcCheck = z.infer<typeof dmarcCheck>;

export const mxCheck = z.object({
  ...base,
  nullMx: z.boolean(),
  /** No MX: mail goes to the domain's own address (RFC 5321 §5.1). */
  implicit: z.boolean(),
  hosts: z.array(z.object({ exchange: z.string(), priority: z.number().int(), addresses: z.array(z.string()) })),
});
export type MxCheck = z.infer<typeof mxCheck>;

export const ptrCheck = z.object({
  ...base,
  ip: z.string().nullable(),
  names: z.array(z.string()),
  forward: z.array(z.object({ name: z.string(), addresses: z.array(z.string()) })),
  /** The PTR name whose A/AAAA records contain the IP (forward-confirmed reverse DNS). */
  confirmed: z.string().nullable(),
});
export type PtrCheck = z.infer<typeof ptrCheck>;

export const mtaStsCheck = z.object({
  ...base,
  id: z.string().nullable(),
  policy: z.object({ mode: z.string(), mx: z.array(z.string()), maxAge: z.number().int().nullable() }).nullable(),
});
export type MtaStsCheck = z.infer<typeof mtaStsCheck>;

export const tlsRptCheck = z.object({ ...base, rua: z.array(z.string()) });
export type TlsRptCheck = z.infer<typeof tlsRptCheck>;

export const bimiCheck = z.object({
  ...base,
  recordDomain: z.string().nullable(),
  location: z.string().nullable(),
  authority: z.string().nullable(),
  /** `l=` and `a=` empty: the domain declines to show a logo. */
  declined: z.boolean(),
});
export type BimiCheck = z.infer<typeof bimiCheck>;

export const authReport = z.object({
  domain: z.string(),
  ip: z.string().nullable(),
  checkedAt: z.string(),
  /** The worst status of the checks (none only when nothing could be checked). */
  status,
  checks: z.object({
    spf: spfCheck,
    dkim: dkimCheck,
    dmarc: dmarcCheck,
    mx: mxCheck,
    ptr: ptrCheck,
    mtaSts: mtaStsCheck,
    tlsRpt: tlsRptCheck,
    bimi: bimiCheck,
  }),
});
export type AuthReport = z.infer<typeof authReport>;

export const authDomainSummary = z.object({
  domain: z.string(),
  /** Null until the domain is first checked. */
  status: status.nullable(),
  checkedAt: z.string().nullable(),
  checks: statusMap.nullable(),
  /** Each check's verdict (a failed lookup is unknown, not a failure), as the full report has it. */
  verdicts: z.object(Object.fromEntries(authCheckNames.map((n) => [n, verdict])) as Record<AuthCheckName, typeof verdict>).nullable(),
  /** The domain at a glance: the worst of its checks' verdicts. Null until checked. */
  verdict: verdict.nullable(),
  /** Mailboxes of the workspace on this domain. */
  mailboxes: z.number().int(),
});
export type AuthDomainSummary = z.infer<typeof authDomainSummary>;

export const authHistoryPoint = z.object({ checkedAt: z.string(), status, checks: statusMap });
export type AuthHistoryPoint = z.infer<typeof authHistoryPoint>;

export const mailboxChecks = z.object({
  mailboxId: z.string(),
  domain: z.string(),
  /** The IP its mail was last seen coming from (Received headers), if known. */
  sendingIp: z.string().nullable(),
  sendingIpSeenAt: z.string().nullable(),
  report: authReport.nullable(),
});
export type MailboxChecks = z.infer<typeof mailboxChecks>;

export const learnedHeaders = z.object({
  /** The From domain the facts were filed under. */
  domain: z.string().nullable(),
  selectors: z.array(z.object({ domain: z.string(), selector: z.string() })),
  envelopeDomain: z.string().nullable(),
  sendingIp: z.string().nullable(),
});
export type LearnedHeaders = z.infer<typeof learnedHeaders>;

/** What `checks.updated` carries. */
export const authCheckUpdate = z.object({ domain: z.string(), status, checkedAt: z.string(), checks: statusMap });

/** Worst first: the overall status of a report is the first of these found among its checks. */
export const statusRank: Record<CheckStatus, number> = { error: 4, fail: 3, warn: 2, pass: 1, none: 0 };

export function worstStatus(statuses: Iterable<CheckStatus>): CheckStatus {
  let worst: CheckStatus = 'none';
  for (const s of statuses) if (statusRank[s] > statusRank[worst]) worst = s;
  return worst;
}

/**
 * A domain name as the API takes it: lower case, no trailing dot, at least two labels of letters,
 * digits and dashes. Internationalised names are taken in their ASCII (xn--) form, as DNS has them.
 */
export function normalizeDomain(input: string): string | null {
  const d = input.trim().toLowerCase().replace(/\.$/, '');
  if (!d || d.length > 253) return null;
  const label = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;
  const labels = d.split('.');
  if (labels.length < 2 || !labels.every((l) => label.test(l))) return null;
  if (/^\d+$/.test(labels.at(-1)!)) return null;
  return d;
}
