import type { FeedbackLoop } from './types';

// Yahoo / AOL: spam is "Bulk" (older accounts "Bulk Mail").
export const yahoo: FeedbackLoop = {
  spamNames: ['bulk', 'bulk mail', 'spam'],
  otherNames: [],
  notJunkFlags: ['$NotJunk'],
  junkFlags: ['$Junk'],
  quirks: 'Spam folder is "Bulk"; app passwords required for IMAP.',
};
