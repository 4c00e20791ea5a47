import type { ProviderRecord } from './types';

// Yahoo / AOL: spam is "Bulk" (older accounts "Bulk Mail").
export const yahoo: ProviderRecord = {
  id: 'yahoo',
  label: 'Yahoo Mail',
  recognise: { domains: ['yahoo.*', 'ymail.*', 'aol.com', 'rocketmail.com'], mx: ['yahoodns.net'] },
  smtp: { host: 'smtp.mail.yahoo.com', port: 465, security: 'tls' },
  imap: { host: 'imap.mail.yahoo.com', port: 993, security: 'tls' },
  note: 'Requires an app password generated in Yahoo account security.',
  feedback: {
    spamNames: ['bulk', 'bulk mail', 'spam'],
    otherNames: [],
    notJunkFlags: ['$NotJunk'],
    junkFlags: ['$Junk'],
    quirks: 'Spam folder is "Bulk"; app passwords required for IMAP.',
  },
  filesSubmittedInSent: false,
  // Yahoo's sender requirements: no fixed volume line; spam rate under 0.3 %.
  bulkSender: { dailyVolumeLine: null, spamRateLimit: 0.003, spamRateTarget: 0.001 },
};
