// One domain check: every DNS authentication check of a domain (and of its sending IP, when
// known) in one report. Independent lookups run in parallel; the checks that need another's
// result (DMARC alignment needs SPF and DKIM, MTA-STS the MX hosts, BIMI the DMARC policy) wait
// for it. Lookups are shared through one Lookup, so each name is asked once per run.
import { worstStatus, type AuthReport, type CheckStatus } from '../../../../shared/domain/auth-check';
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

export interface DomainCheckInput {
  domain: string;
  ip: string | null;
  selectors: SelectorInput[];
  /** The MAIL FROM (Return-Path) domain of the domain's mail; default: the domain itself. */
  envelopeDomain?: string | null;
  /** The d= domains of its DKIM signatures; default: the domain itself when one of its keys is valid. */
  dkimDomains?: string[];
}

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

  const checks = { spf, dkim, dmarc, mx, ptr, mtaSts, tlsRpt, bimi };
  return {
    domain,
    ip,
    checkedAt: new Date(now).toISOString(),
    status: worstStatus(Object.values(checks).map((c) => c.status)),
    checks,
  };
}
