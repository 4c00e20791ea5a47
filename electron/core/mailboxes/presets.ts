import type { Provider, Security } from '../../../shared/domain/mailbox';

export interface Endpoint {
  host: string;
  port: number;
  security: Security;
}
export interface Preset {
  provider: Provider;
  label: string;
  smtp: Endpoint | null;
  imap: Endpoint | null;
  note: string;
}

// Hosts and ports published by each provider. Explicit settings in a request always win.
export const presets: Record<Provider, Preset> = {
  gmail: {
    provider: 'gmail',
    label: 'Google Workspace / Gmail',
    smtp: { host: 'smtp.gmail.com', port: 465, security: 'tls' },
    imap: { host: 'imap.gmail.com', port: 993, security: 'tls' },
    note: 'Use an app password (2-step verification on) or OAuth; plain account passwords are refused.',
  },
  outlook: {
    provider: 'outlook',
    label: 'Microsoft 365 / Outlook.com',
    smtp: { host: 'smtp.office365.com', port: 587, security: 'starttls' },
    imap: { host: 'outlook.office365.com', port: 993, security: 'tls' },
    note: 'SMTP AUTH must be enabled for the mailbox in the Microsoft 365 admin centre.',
  },
  yahoo: {
    provider: 'yahoo',
    label: 'Yahoo Mail',
    smtp: { host: 'smtp.mail.yahoo.com', port: 465, security: 'tls' },
    imap: { host: 'imap.mail.yahoo.com', port: 993, security: 'tls' },
    note: 'Requires an app password generated in Yahoo account security.',
  },
  zoho: {
    provider: 'zoho',
    label: 'Zoho Mail',
    smtp: { host: 'smtp.zoho.com', port: 465, security: 'tls' },
    imap: { host: 'imap.zoho.com', port: 993, security: 'tls' },
    note: 'Enable IMAP access in Zoho Mail settings; EU/IN accounts use smtp.zoho.eu / smtp.zoho.in.',
  },
  custom: {
    provider: 'custom',
    label: 'Other (custom SMTP/IMAP)',
    smtp: null,
    imap: null,
    note: 'Enter the hosts, ports and security your provider documents.',
  },
};
