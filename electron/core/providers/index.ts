// One record per mail provider (see docs/ARCHITECTURE.md, "Providers"): recognition, presets,
// folder names and quirks, Sent filing, OAuth endpoints, bulk-sender rules. Every feature reads
// provider knowledge from here; the provider ids themselves are shared with the renderer
// (`providers` in shared/domain/mailbox.ts), and the Record type below makes a missing record a
// compile error.
import type { Provider } from '../../../shared/domain/mailbox';
import type { FeedbackLoop, ProviderRecord } from './types';
import { custom } from './custom';
import { gmail } from './gmail';
import { outlook } from './outlook';
import { yahoo } from './yahoo';
import { zoho } from './zoho';

export type { BulkSenderRules, Endpoint, FeedbackLoop, OAuthEndpoints, ProviderRecord } from './types';

/** In the order the presets are listed; custom last, as the fallback. */
export const providerRecords: Readonly<Record<Provider, ProviderRecord>> = { gmail, outlook, yahoo, zoho, custom };

/** The record of a stored provider id; an unknown id reads as custom (plain IMAP). */
export function providerRecord(id: string): ProviderRecord {
  return providerRecords[id as Provider] ?? custom;
}

export function feedbackLoopFor(id: string): FeedbackLoop {
  return providerRecord(id).feedback;
}

// `outlook.*` -> outlook followed by any public suffix (outlook.com, outlook.co.uk).
const patternOf = (p: string): string => (p.endsWith('.*') ? `${escape(p.slice(0, -2))}\\.[a-z.]+` : escape(p));
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const anyOf = (ps: string[]): string => ps.map(patternOf).join('|');

const byDomain = Object.values(providerRecords)
  .filter((r) => r.recognise.domains.length > 0)
  .map((r) => [new RegExp(`^(?:${anyOf(r.recognise.domains)})$`), r] as const);
const byMx = Object.values(providerRecords)
  .filter((r) => r.recognise.mx.length > 0)
  .map((r) => [new RegExp(`(?:^|\\.)(?:${anyOf(r.recognise.mx)})$`), r] as const);

/**
 * The provider an address's domain belongs to, or custom. Only the big consumer domains are
 * recognised: company domains (even on Google Workspace or Microsoft 365) read as custom.
 */
export function providerOf(address: string): Provider {
  const domain = address.slice(address.lastIndexOf('@') + 1).trim().toLowerCase();
  return byDomain.find(([re]) => re.test(domain))?.[1].id ?? 'custom';
}

/** The provider that runs a domain's mail, from one of its MX hosts (aspmx.l.google.com -> gmail), or custom. */
export function providerOfMx(host: string): Provider {
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  return byMx.find(([re]) => re.test(h))?.[1].id ?? 'custom';
}

/** The exact consumer domains of a provider (no `.*` patterns): e.g. for SQL that counts mail to them. */
export function exactDomainsOf(id: Provider): string[] {
  return providerRecords[id].recognise.domains.filter((d) => !d.endsWith('.*'));
}
