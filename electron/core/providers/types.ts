import type { Provider, Security } from '../../../shared/domain/mailbox';
import type { FolderNames } from '../mail/imap';

export interface Endpoint {
  host: string;
  port: number;
  security: Security;
}

/** What a provider's mailboxes need from the feedback loop beyond plain IMAP: folder names and keywords. */
export interface FeedbackLoop extends FolderNames {
  /** Keywords that tell the provider's filter "not junk" when Kiln rescues a message. */
  notJunkFlags: string[];
  /** Keywords to remove on rescue. */
  junkFlags: string[];
  /** A note on quirks, kept here so the next person knows why. */
  quirks: string;
}

/** SASL mechanisms that carry an OAuth access token (RFC 7628 OAUTHBEARER, Google's XOAUTH2). */
export type OAuthSasl = 'XOAUTH2' | 'OAUTHBEARER';

/** OAuth 2.0 endpoints for mail access, from the provider's public documentation (electron/core/oauth reads them). */
export interface OAuthEndpoints {
  /** `{tenant}` stands for the directory (Microsoft: "common", "organizations" or a tenant id). */
  authorizeUrl: string;
  tokenUrl: string;
  /** Device authorization (RFC 8628), where the provider allows it for mail scopes. */
  deviceCodeUrl?: string;
  /** The issuer the token endpoint speaks for (`{tenant}` substituted like the URLs). */
  issuer: string;
  scopes: string[];
  /** The scopes a grant must carry for each protocol (the connection test's `oauth` stage checks them). */
  requires: { smtp: string[]; imap: string[] };
  /** What SMTP and IMAP authenticate with: nodemailer speaks XOAUTH2 only, so every record says XOAUTH2 for SMTP. */
  sasl: { smtp: OAuthSasl; imap: OAuthSasl };
  /** Where a confidential client's secret goes on the token endpoint (public clients send only client_id). */
  clientAuth: 'client_secret_post' | 'client_secret_basic';
  /** The refresh request repeats the scopes (Microsoft's v2 endpoint asks for them; Google's does not). */
  scopeOnRefresh: boolean;
  /** Extra authorization parameters (Google issues a refresh token only with access_type=offline). */
  authorizeParams?: Record<string, string>;
  /** Default directory when the app names none. */
  defaultTenant?: string;
}

/** The provider's published rules for bulk senders, as the compliance verdicts apply them. */
export interface BulkSenderRules {
  /** Messages a day to this provider from which the rules apply to a domain; null when unpublished. */
  dailyVolumeLine: number | null;
  /** Spam rate (of mail read) never to reach, and the target to stay under; null when unpublished. */
  spamRateLimit: number | null;
  spamRateTarget: number | null;
}

/** Everything Kiln knows about one mail provider. Adding a provider is one file and one line in index.ts. */
export interface ProviderRecord {
  id: Provider;
  label: string;
  recognise: {
    /** Consumer address domains; a trailing `.*` stands for any public suffix (`outlook.*`: outlook.com, outlook.co.uk). */
    domains: string[];
    /** MX host domains (a host matches when it is one of them or under one), same `.*` notation. */
    mx: string[];
  };
  /** Hosts and ports the provider publishes; explicit settings in a request always win. */
  smtp: Endpoint | null;
  imap: Endpoint | null;
  /** Shown beside the preset when a mailbox is added. */
  note: string;
  feedback: FeedbackLoop;
  /** The provider files mail submitted over SMTP in the sender's Sent folder by itself. */
  filesSubmittedInSent: boolean;
  oauth?: OAuthEndpoints;
  bulkSender: BulkSenderRules | null;
}
