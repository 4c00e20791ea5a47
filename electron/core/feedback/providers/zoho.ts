import type { FeedbackLoop } from './types';

export const zoho: FeedbackLoop = {
  spamNames: ['spam'],
  // Zoho files bulk mail into Newsletter and Notification folders when its filters are on.
  otherNames: ['newsletter', 'notification'],
  notJunkFlags: ['$NotJunk'],
  junkFlags: ['$Junk'],
  quirks: 'IMAP access must be enabled per account; spam folder is "Spam".',
};
