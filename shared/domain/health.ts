import { z } from 'zod';
import { verdict, type VerdictState } from './verdict';

// A mailbox's health score (0–100) with the parts it is made of, so a consultant sees why it is
// what it is; and a sending domain's standing against the Gmail / Yahoo / Microsoft bulk-sender rules.

export const healthParts = ['placement', 'authentication', 'blocklists', 'bounces', 'placementTest'] as const;
export type HealthPart = (typeof healthParts)[number];

export const healthComponent = z.object({
  part: z.enum(healthParts),
  label: z.string(),
  /** 0–100; null when there is not enough data (the part is then left out of the total). */
  score: z.number().nullable(),
  /** Share of the total when every part has data. */
  weight: z.number(),
  detail: z.string(),
  /** unknown when score is null (nothing measured, or nothing answered); else good ≥ 80, warning ≥ 60, bad below. */
  verdict,
});
export type HealthComponent = z.infer<typeof healthComponent>;

/** The state a 0–100 score stands for; null (not measured) is unknown, never good. */
export const scoreState = (score: number | null): VerdictState => (score === null ? 'unknown' : score >= 80 ? 'good' : score >= 60 ? 'warning' : 'bad');

export const healthScore = z.object({
  /** Null until at least one part has data. */
  score: z.number().int().nullable(),
  components: z.array(healthComponent),
});
export type HealthScore = z.infer<typeof healthScore>;

export const mailboxHealth = healthScore.extend({
  mailboxId: z.string(),
  day: z.string(),
  history: z.array(z.object({ day: z.string(), score: z.number().int().nullable() })),
});
export type MailboxHealth = z.infer<typeof mailboxHealth>;

export const complianceStatuses = ['ok', 'warn', 'fail', 'unknown', 'n/a'] as const;

export const complianceItem = z.object({
  rule: z.enum(['spf', 'dkim', 'dmarc', 'ptr', 'tls', 'oneClickUnsubscribe', 'spamRate', 'gmailVolume']),
  label: z.string(),
  status: z.enum(complianceStatuses),
  detail: z.string(),
  /** The same judgement with what it rests on; `status` is derived from it. */
  verdict,
});
export type ComplianceItem = z.infer<typeof complianceItem>;

export const domainCompliance = z.object({
  domain: z.string(),
  mailboxes: z.number().int(),
  /** The worst item status (an unknown item keeps the domain from green, never turns it red). */
  status: z.enum(complianceStatuses),
  verdict,
  items: z.array(complianceItem),
});
export type DomainCompliance = z.infer<typeof domainCompliance>;
