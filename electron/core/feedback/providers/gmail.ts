import type { FeedbackLoop } from './types';

// Gmail: folders are labels. MOVE out of [Gmail]/Spam is what "Not spam" does, and MOVE from
// INBOX to a label adds the label *and* removes INBOX (a COPY alone would leave it in the inbox).
export const gmail: FeedbackLoop = {
  spamNames: ['spam'],
  // Gmail's tabs (Promotions, Social, Updates) are categories, not IMAP folders Kiln can list...
  otherNames: [],
  // ...but Gmail's own search knows them: X-GM-RAW over the new INBOX UIDs.
  tabsQuery: 'category:promotions OR category:social OR category:updates OR category:forums',
  notJunkFlags: [],
  junkFlags: [],
  quirks: 'Spam is [Gmail]/Spam (SPECIAL-USE \\Junk); keywords are labels, so no $NotJunk is set; filing uses MOVE so INBOX is removed.',
};
