// One domain check: every DNS authentication check of a domain (and of its sending IP, when
// known) in one report. Independent lookups run in parallel; the checks that need another's
// result (DMARC alignment needs SPF and DKIM, MTA-STS the MX hosts, BIMI the DMARC policy) wait
// for it. Lookups are shared through one Lookup, so each name is asked once per run. Once all
// have run: a domain that does not exist says so in every check of its records; each check gets
// its verdict with the questions it asked as evidence; SPF, DMARC and Kiln's DKIM key get the
// record to publish when missing or broken.
import { worstStatus, type AuthCheckName, type AuthReport, type CheckStatus } from '../../../../shared/domain/auth-check';
import type { DnsResolver } from '../resolver';
import { checkBimi } from './bimi';
import { checkDkim, type SelectorInput } from './dkim';
import { checkDmarc, type AlignmentInput } from './dmarc-check';
import { createLookup } from './dns';
import { checkMtaSts, type MtaStsPolicyFetcher } from './mta-sts';
import { checkMx } from './mx';
import { checkPtr } from './ptr';
import { checkSpf } from './spf-check';
import { checkTlsRpt } from './tls-rpt';
import { domainMissing, explainMissing } from './nonexistent';
import { dkimSuggestion, dmarcSuggestion, spfSuggestion, type KnownSenders } from './suggest';
import { checkVerdict, type EvidenceScope } from './verdicts';

export interface DomainCheckInput {
  domain: string;
  ip: string | null;
  selectors: SelectorInput[];
  /** The MAIL FROM (Return-Path) domain of the domain's mail; default: the domain itself. */
  envelopeDomain?: string | null;
  /** The d= domains of its DKIM signatures; default: the domain itself when one of its keys is valid. */
  dkimDomains?: string[];
  /** What Kiln knows of the domain's senders, for the records it suggests. */
  known?: KnownSenders;
}

/** What each check's missing record is called, for "it can have no …". */
const recordWords: Partial<Record<AuthCheckName, string>> = {
  spf: 'SPF record',
  dkim: 'DKIM key',
  dmarc: 'DMARC record',
  mx: 'MX record',
  mtaSts: 'MTA-STS record',
  tlsRpt: 'TLS-RPT record',
  bimi: 'BIMI record',
};

export interface DomainCheckOptions {
  /** Deadline of each DNS query and of the SPF evaluation, in ms. */
  timeoutMs: number;
  fetchMtaStsPolicy?: MtaStsPolicyFetcher;
}

const usable = (s: CheckStatus) => s === 'pass' || s === 'warn';

export async function runDomainCheck(dns: DnsResolver, input: DomainCheckInput, opts: DomainCheckOptions, now: number): Promise<AuthReport> {
  const { domain, ip } = input;
  const lookup = createLookup(dns, { timeoutMs: opts.timeoutMs });
  // Ask now what later stages will need, so a slow or silent server costs one deadline, not four.
  for (const name of [`_dmarc.${domain}`, `_mta-sts.${domain}`, `_smtp._tls.${domain}`, `default._bimi.${domain}`]) void lookup.txt(name);

  const [spf, dkim, mx, ptr] = await Promise.all([
    checkSpf(lookup, domain, ip, { timeoutMs: opts.timeoutMs }),
    checkDkim(lookup, domain, input.selectors),
    checkMx(lookup, domain),
    checkPtr(lookup, ip, domain),
  ]);

  const envelope = input.envelopeDomain ?? domain;
  const spfOk = usable(spf.status) && (!spf.evaluation || spf.evaluation.result === 'pass');
  // A pending Kiln key without its record is a warning, not a key that can authenticate anything.
  const keysOk = dkim.selectors.some((s) => usable(s.status) && s.record !== null);
  const dkimDomains = input.dkimDomains && input.dkimDomains.length > 0 ? input.dkimDomains : keysOk ? [domain] : [];
  const alignment: AlignmentInput = {
    spf: { domain: envelope, authenticated: envelope === domain ? spfOk : null },
    dkim: dkimDomains.map((d) => ({ domain: d, authenticated: d === domain && dkim.selectors.length > 0 ? keysOk : null })),
  };
  const mxHosts = mx.nullMx ? [] : mx.hosts.map((h) => h.exchange);
  const [dmarc, mtaSts] = await Promise.all([checkDmarc(lookup, domain, alignment), checkMtaSts(lookup, domain, mxHosts, opts.fetchMtaStsPolicy)]);
  const [bimi, tlsRpt] = await Promise.all([checkBimi(lookup, domain, dmarc), checkTlsRpt(lookup, domain, mtaSts.status !== 'none')]);

  const found = { spf, dkim, dmarc, mx, ptr, mtaSts, tlsRpt, bimi };
  const missing = domainMissing(domain, lookup.answered);
  const c = Object.fromEntries(
    Object.entries(found).map(([name, check]) => {
      const what = recordWords[name as AuthCheckName];
      return [name, missing && what ? explainMissing(check, domain, what) : check];
    }),
  ) as typeof found;
  if (missing) {
    // The SPF tree's root says it too: nothing was missing but the domain itself.
    const [problem] = c.spf.problems;
    c.spf = { ...c.spf, tree: c.spf.tree.map((n) => (n.parent === null && n.error?.code === 'spf.missing' && problem ? { ...n, error: { code: problem.code, message: problem.message } } : n)) };
  }

  const at = new Date(now).toISOString();
  const scope: EvidenceScope = {
    domain,
    spfDomains: [domain, ...spf.tree.map((n) => n.domain)],
    mxHosts: mx.hosts.map((h) => h.exchange),
    ptrNames: ptr.names.map((n) => n.replace(/\.$/, '').toLowerCase()),
  };
  const verdict = (name: AuthCheckName) => checkVerdict(name, c[name], lookup.answered, scope, at);
  const known: KnownSenders = input.known ?? { ips: ip ? [ip] : [], providers: [], reportsAddress: null };
  const expected = new Map(input.selectors.map((x) => [x.selector, x.expectedKey ?? null]));
  const checks: AuthReport['checks'] = {
    spf: { ...c.spf, verdict: verdict('spf'), suggestion: spfSuggestion(domain, c.spf, known) },
    dkim: { ...c.dkim, verdict: verdict('dkim'), suggestion: dkimSuggestion(c.dkim.selectors.map((x) => ({ ...x, expectedKey: expected.get(x.selector) ?? null }))) },
    dmarc: { ...c.dmarc, verdict: verdict('dmarc'), suggestion: dmarcSuggestion(domain, c.dmarc, known) },
    mx: { ...c.mx, verdict: verdict('mx') },
    ptr: { ...c.ptr, verdict: verdict('ptr') },
    mtaSts: { ...c.mtaSts, verdict: verdict('mtaSts') },
    tlsRpt: { ...c.tlsRpt, verdict: verdict('tlsRpt') },
    bimi: { ...c.bimi, verdict: verdict('bimi') },
  };
  return {
    domain,
    ip,
    checkedAt: at,
    status: worstStatus(Object.values(checks).map((x) => x.status)),
    checks,
  };
}
