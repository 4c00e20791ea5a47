// The record to publish when SPF or DMARC is missing or broken, or when Kiln's own DKIM key is not
// published: built only from what Kiln knows (sending IPs given or seen in Received headers, the
// providers of the domain's mailboxes, its DKIM key, the workspace's DMARC reports mailbox), with a
// note saying what it rests on and what to check before publishing.
import { isIPv6 } from 'node:net';
import type { AuthProblem, DnsSuggestion } from '../../../../shared/domain/auth-check';
import type { Provider } from '../../../../shared/domain/mailbox';

export interface KnownSenders {
  /** Sending IPs given or seen in Received headers of the domain's mail. */
  ips: string[];
  /** Providers of the workspace's mailboxes on the domain. */
  providers: Provider[];
  /** The workspace's DMARC reports mailbox, when one is set up. */
  reportsAddress: string | null;
}

/** The SPF include each hosted provider documents for its outbound servers. */
const PROVIDER_INCLUDES: Partial<Record<Provider, { include: string; name: string }>> = {
  gmail: { include: '_spf.google.com', name: 'Google Workspace' },
  outlook: { include: 'spf.protection.outlook.com', name: 'Microsoft 365' },
  zoho: { include: 'zoho.com', name: 'Zoho Mail' },
};

const has = (problems: AuthProblem[], codes: readonly string[]) => problems.some((p) => codes.includes(p.code));
const ipTerm = (ip: string) => `${isIPv6(ip) ? 'ip6' : 'ip4'}:${ip}`;

/** Missing, broken (permerror), or not permitting a sending IP Kiln knows. */
export function spfSuggestion(domain: string, spf: { status: string; record: string | null; problems: AuthProblem[] }, known: KnownSenders): DnsSuggestion | null {
  const missing = has(spf.problems, ['spf.missing', 'domain.nxdomain']);
  const broken = spf.status === 'error' && spf.problems.some((p) => p.severity === 'error' && !p.code.startsWith('dns.') && p.code !== 'spf.ip_temperror');
  const notPermitted = has(spf.problems, ['spf.ip_not_permitted']);
  if (!missing && !broken && !notPermitted) return null;
  const ips = [...new Set(known.ips)];
  if (notPermitted && !missing && !broken && spf.record) {
    // The record works but leaves out an IP the domain's mail leaves from: add it, keep the rest.
    const absent = ips.filter((ip) => !spf.record!.includes(ip));
    if (absent.length === 0) return null;
    const value = spf.record.replace(/^v=spf1\b/i, `v=spf1 ${absent.map(ipTerm).join(' ')}`);
    return { name: domain, type: 'TXT', value, note: `Your record with ${absent.join(', ')} added: the address${absent.length > 1 ? 'es' : ''} ${domain}'s mail was seen leaving from.` };
  }
  const providers = [...new Set(known.providers)].map((p) => PROVIDER_INCLUDES[p]).filter((x) => x !== undefined);
  const terms = [...ips.map(ipTerm), ...providers.map((p) => `include:${p.include}`)];
  const basis = [...(ips.length ? [`the sending IP${ips.length > 1 ? 's' : ''} Kiln saw (${ips.join(', ')})`] : []), ...providers.map((p) => `${p.name} mailboxes (include:${p.include})`)];
  if (terms.length === 0) {
    return {
      name: domain,
      type: 'TXT',
      value: 'v=spf1 mx ~all',
      note: `Kiln has not seen where ${domain}'s mail leaves from: "mx" assumes your MX hosts send it. Replace it with your provider's include or your servers' addresses.`,
    };
  }
  const why = broken ? ' It replaces the broken record: add any other service that sends as the domain (keep under 10 lookups).' : ' Add any other service that sends as the domain before publishing.';
  return { name: domain, type: 'TXT', value: `v=spf1 ${terms.join(' ')} ~all`, note: `Built from ${basis.join(' and ')}; ~all marks other senders suspicious without rejecting them.${why}` };
}

/** Missing or unusable (several records, syntax errors): start with p=none and reports. */
export function dmarcSuggestion(domain: string, dmarc: { problems: AuthProblem[] }, known: KnownSenders): DnsSuggestion | null {
  if (!has(dmarc.problems, ['dmarc.missing', 'dmarc.multiple', 'dmarc.syntax', 'domain.nxdomain'])) return null;
  const to = known.reportsAddress;
  const value = `v=DMARC1; p=none${to ? `; rua=mailto:${to}` : ''}`;
  const external = to && !to.toLowerCase().endsWith(`@${domain}`) && !to.toLowerCase().endsWith(`.${domain}`);
  const reports = to
    ? `Aggregate reports go to ${to}, the workspace's DMARC reports mailbox, which Kiln reads.${external ? ` It is on another domain: that domain must publish ${domain}._report._dmarc.${to.slice(to.lastIndexOf('@') + 1)} TXT "v=DMARC1" to accept them.` : ''}`
    : 'No DMARC reports mailbox is set up in Kiln: choose one (DMARC tab) and add rua=mailto:<its address> to get aggregate reports.';
  return { name: `_dmarc.${domain}`, type: 'TXT', value, note: `p=none watches without acting on failing mail; move to quarantine once the reports show your mail passing. ${reports}` };
}

/** Kiln's own key, when its record is missing, another key sits there, or the domain is missing. */
export function dkimSuggestion(selectors: Array<{ name: string; problems: AuthProblem[]; expectedKey: string | null }>): DnsSuggestion | null {
  const s = selectors.find((x) => x.expectedKey && has(x.problems, ['dkim.key_missing', 'dkim.pending', 'dkim.key_mismatch', 'domain.nxdomain']));
  if (!s) return null;
  return {
    name: s.name,
    type: 'TXT',
    value: `v=DKIM1; k=rsa; p=${s.expectedKey}`,
    note: 'The public half of the key Kiln signs this domain with (Settings, DKIM). Kiln starts signing once it sees this record.',
  };
}
