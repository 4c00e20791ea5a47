import type { ProviderRecord } from './types';

// Anything else: company domains (even on Google Workspace or Microsoft 365 by address), plain IMAP
// (Dovecot, cPanel, Courier...). RFC 5788 keywords most filters understand.
export const custom: ProviderRecord = {
  id: 'custom',
  label: 'Other (custom SMTP/IMAP)',
  recognise: { domains: [], mx: [] },
  smtp: null,
  imap: null,
  note: 'Enter the hosts, ports and security your provider documents.',
  feedback: {
    spamNames: ['junk', 'spam', 'junk e-mail', 'junk email', 'bulk', 'bulk mail'],
    otherNames: ['promotions', 'social', 'updates', 'newsletters', 'newsletter', 'clutter'],
    notJunkFlags: ['$NotJunk'],
    junkFlags: ['$Junk', 'Junk'],
    quirks: 'Dovecot/cPanel may prefix folders with the INBOX. namespace; paths are taken from LIST, never assumed.',
  },
  // Unknown server: never assume a copy was filed.
  filesSubmittedInSent: false,
  bulkSender: null,
};
