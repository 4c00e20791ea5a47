import type { FeedbackLoop } from './types';

// Plain IMAP (Dovecot, cPanel, Courier...): RFC 5788 keywords most filters understand.
export const generic: FeedbackLoop = {
  spamNames: ['junk', 'spam', 'junk e-mail', 'junk email', 'bulk', 'bulk mail'],
  otherNames: ['promotions', 'social', 'updates', 'newsletters', 'newsletter', 'clutter'],
  notJunkFlags: ['$NotJunk'],
  junkFlags: ['$Junk', 'Junk'],
  quirks: 'Dovecot/cPanel may prefix folders with the INBOX. namespace; paths are taken from LIST, never assumed.',
};
