import type { ProviderRecord } from './types';
import { oauthDefaultScopes } from '../../../shared/domain/oauth-defaults';

// Gmail: folders are labels. MOVE out of [Gmail]/Spam is what "Not spam" does, and MOVE from
// INBOX to a label adds the label *and* removes INBOX (a COPY alone would leave it in the inbox).
export const gmail: ProviderRecord = {
  id: 'gmail',
  label: 'Google Workspace / Gmail',
  recognise: { domains: ['gmail.com', 'googlemail.com'], mx: ['google.com', 'googlemail.com'] },
  smtp: { host: 'smtp.gmail.com', port: 465, security: 'tls' },
  imap: { host: 'imap.gmail.com', port: 993, security: 'tls' },
  note: 'Use an app password (2-step verification on) or OAuth; plain account passwords are refused.',
  feedback: {
    spamNames: ['spam'],
    // Gmail's tabs (Promotions, Social, Updates) are categories, not IMAP folders Kiln can list...
    otherNames: [],
    // ...but Gmail's own search knows them: X-GM-RAW over the new INBOX UIDs.
    tabsQuery: 'category:promotions OR category:social OR category:updates OR category:forums',
    notJunkFlags: [],
    junkFlags: [],
    quirks: 'Spam is [Gmail]/Spam (SPECIAL-USE \\Junk); keywords are labels, so no $NotJunk is set; filing uses MOVE so INBOX is removed.',
  },
  // Gmail's SMTP puts a copy of what it relays in [Gmail]/Sent Mail.
  filesSubmittedInSent: true,
  oauth: {
    authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    issuer: 'https://accounts.google.com',
    // The one scope that covers IMAP and SMTP (developers.google.com/gmail/imap/xoauth2-protocol).
    scopes: [...oauthDefaultScopes.google],
    requires: { smtp: ['https://mail.google.com/'], imap: ['https://mail.google.com/'] },
    sasl: { smtp: 'XOAUTH2', imap: 'XOAUTH2' },
    clientAuth: 'client_secret_post',
    scopeOnRefresh: false,
    // offline: a refresh token; consent: a new one even when the user granted access before.
    authorizeParams: { access_type: 'offline', prompt: 'consent' },
  },
  // Google's sender guidelines: bulk from about 5,000 a day to Gmail; spam rate under 0.3 %, aim under 0.1 %.
  bulkSender: { dailyVolumeLine: 5_000, spamRateLimit: 0.003, spamRateTarget: 0.001 },
};
