import type { FeedbackLoop } from './types';

export const zoho: FeedbackLoop = {
  spamNames: ['spam'],
  notJunkFlags: ['$NotJunk'],
  junkFlags: ['$Junk'],
  quirks: 'IMAP access must be enabled per account; spam folder is "Spam".',
};
