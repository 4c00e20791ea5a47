import type { FeedbackLoop } from './types';

// Microsoft 365 / Outlook.com: "Junk Email". Exchange ignores junk keywords; moving the message is
// the signal. Its own moves are visible to the user, so filing should stay conservative.
export const outlook: FeedbackLoop = {
  spamNames: ['junk email', 'junk e-mail', 'junk'],
  // Focused/Other is a view, invisible over IMAP; the older Clutter folder is a real one.
  otherNames: ['clutter'],
  notJunkFlags: [],
  junkFlags: [],
  quirks: 'Junk is "Junk Email"; Exchange has reported a tool\'s own moves as deletions, so Kiln never deletes what it did not file.',
};
