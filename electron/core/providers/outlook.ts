import type { ProviderRecord } from './types';
import { oauthDefaultScopes } from '../../../shared/domain/oauth-defaults';

// Microsoft 365 / Outlook.com: "Junk Email". Exchange ignores junk keywords; moving the message is
// the signal. Its own moves are visible to the user, so filing should stay conservative.
export const outlook: ProviderRecord = {
  id: 'outlook',
  label: 'Microsoft 365 / Outlook.com',
  recognise: { domains: ['outlook.*', 'hotmail.*', 'live.*', 'msn.*'], mx: ['protection.outlook.com'] },
  smtp: { host: 'smtp.office365.com', port: 587, security: 'starttls' },
  imap: { host: 'outlook.office365.com', port: 993, security: 'tls' },
  note: 'SMTP AUTH must be enabled for the mailbox in the Microsoft 365 admin centre.',
  feedback: {
    spamNames: ['junk email', 'junk e-mail', 'junk'],
    // Focused/Other is a view, invisible over IMAP; the older Clutter folder is a real one.
    otherNames: ['clutter'],
    notJunkFlags: [],
    junkFlags: [],
    quirks: 'Junk is "Junk Email"; Exchange has reported a tool\'s own moves as deletions, so Kiln never deletes what it did not file.',
  },
  // Exchange Online saves what its SMTP AUTH endpoint submits in Sent Items.
  filesSubmittedInSent: true,
  oauth: {
    authorizeUrl: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize',
    tokenUrl: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token',
    deviceCodeUrl: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/devicecode',
    issuer: 'https://login.microsoftonline.com/{tenant}/v2.0',
    // learn.microsoft.com "Authenticate an IMAP, POP or SMTP connection using OAuth".
    scopes: [...oauthDefaultScopes.microsoft],
    requires: { smtp: ['https://outlook.office.com/SMTP.Send'], imap: ['https://outlook.office.com/IMAP.AccessAsUser.All'] },
    sasl: { smtp: 'XOAUTH2', imap: 'XOAUTH2' },
    clientAuth: 'client_secret_post',
    scopeOnRefresh: true,
    // "common": work, school and personal accounts; an app registered for one tenant names it.
    defaultTenant: 'common',
  },
  // Outlook.com's high-volume sender rules (from 5,000 a day): SPF, DKIM, DMARC; no spam-rate figure published.
  bulkSender: { dailyVolumeLine: 5_000, spamRateLimit: null, spamRateTarget: null },
};
