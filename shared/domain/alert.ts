import { z } from 'zod';

// A change worth telling someone about: raised once when a condition starts (a new listing, a
// failing SPF record, a score drop), resolved once when it ends. Checks call `alerts.raise` /
// `alerts.resolve` with a stable key; the alert store turns repeated raises into nothing, so
// people (UI, desktop notifications, webhooks) hear about changes only.

/** Add a kind here when a new check starts raising alerts. */
export const alertKinds = [
  'blocklist.listed',
  'auth.failing',
  'score.dropped',
  'bounce.spike',
  'complaint.spike',
  'placement.spam',
  'dmarc.failing',
  'check.error',
  /** An OAuth mailbox's grant was revoked or expired: it needs a new sign-in. */
  'mailbox.signInRevoked',
] as const;
export type AlertKind = (typeof alertKinds)[number];

export const alertSeverities = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof alertSeverities)[number];

export const alertStates = ['open', 'resolved'] as const;

export const alert = z.object({
  id: z.string(),
  kind: z.enum(alertKinds),
  severity: z.enum(alertSeverities),
  /** Stable identity of the condition, e.g. `blocklist:zen.spamhaus.org:192.0.2.1`. */
  key: z.string(),
  title: z.string(),
  detail: z.string(),
  mailboxId: z.string().nullable(),
  domain: z.string().nullable(),
  ip: z.string().nullable(),
  state: z.enum(alertStates),
  raisedAt: z.string(),
  resolvedAt: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
});
export type Alert = z.infer<typeof alert>;

/** What a check hands to `alerts.raise`. */
export interface AlertInput {
  kind: AlertKind;
  severity: AlertSeverity;
  key: string;
  title: string;
  detail: string;
  mailboxId?: string | null;
  domain?: string | null;
  ip?: string | null;
}
