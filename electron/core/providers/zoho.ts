import type { ProviderRecord } from './types';

export const zoho: ProviderRecord = {
  id: 'zoho',
  label: 'Zoho Mail',
  recognise: { domains: ['zoho.*', 'zohomail.*'], mx: ['zoho.*', 'zohomail.*'] },
  smtp: { host: 'smtp.zoho.com', port: 465, security: 'tls' },
  imap: { host: 'imap.zoho.com', port: 993, security: 'tls' },
  note: 'Enable IMAP access in Zoho Mail settings; EU/IN accounts use smtp.zoho.eu / smtp.zoho.in.',
  feedback: {
    spamNames: ['spam'],
    // Zoho files bulk mail into Newsletter and Notification folders when its filters are on.
    otherNames: ['newsletter', 'notification'],
    notJunkFlags: ['$NotJunk'],
    junkFlags: ['$Junk'],
    quirks: 'IMAP access must be enabled per account; spam folder is "Spam".',
  },
  filesSubmittedInSent: false,
  bulkSender: null,
};
