import type { Provider } from '../../../shared/domain/mailbox';

// Big consumer providers by domain: seeds are spread across them, so the list shows which each is.
// Anything else (company domains, even on Google Workspace or Microsoft 365) reads as custom.
const rules: [RegExp, Provider][] = [
  [/^(gmail|googlemail)\.com$/, 'gmail'],
  [/^(outlook|hotmail|live|msn)\.[a-z.]+$/, 'outlook'],
  [/^(yahoo|ymail)\.[a-z.]+$|^(aol|rocketmail)\.com$/, 'yahoo'],
  [/^(zoho|zohomail)\.[a-z.]+$/, 'zoho'],
];

/** The provider an address's domain belongs to, or custom. */
export function providerOf(address: string): Provider {
  const domain = address.slice(address.lastIndexOf('@') + 1).trim().toLowerCase();
  for (const [re, provider] of rules) if (re.test(domain)) return provider;
  return 'custom';
}
