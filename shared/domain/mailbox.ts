import { z } from 'zod';
import { verdict } from './verdict';
import { mailboxAuth } from './oauth';

export const providers = ['gmail', 'outlook', 'yahoo', 'zoho', 'custom'] as const;
export type Provider = (typeof providers)[number];

export const securityModes = ['tls', 'starttls', 'none'] as const;
/** tls = implicit TLS from the first byte; starttls = upgrade required; none = plaintext (loopback only by default). */
export type Security = (typeof securityModes)[number];

/**
 * An OAuth mailbox's test begins with `oauth` (the token refresh, the scopes granted) before the
 * protocol's own stages below; a password mailbox's test has no such stage (nothing to fetch).
 */
export const oauthStage = 'oauth';
export const smtpStages = ['dns', 'connect', 'tls', 'auth', 'send'] as const;
export const imapStages = ['dns', 'connect', 'tls', 'auth', 'select'] as const;
/** Every stage an SMTP or IMAP test can report, in order, for an OAuth mailbox (a password one omits `oauth`). */
export const oauthSmtpStages = [oauthStage, ...smtpStages] as const;
export const oauthImapStages = [oauthStage, ...imapStages] as const;
export type SmtpStage = (typeof oauthSmtpStages)[number];
export type ImapStage = (typeof oauthImapStages)[number];
export type Stage = SmtpStage | ImapStage;

export const mailboxStatuses = ['active', 'paused', 'error'] as const;
export type MailboxStatus = (typeof mailboxStatuses)[number];

export const hostname = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.\-:[\]]+$/, 'must be a hostname or an IP address');

/** Connection settings as stored and returned: never the password. */
export const serverSettings = z.object({
  host: hostname,
  port: z.number().int().min(1).max(65535),
  security: z.enum(securityModes),
  user: z.string().min(1).max(320),
});
export type ServerSettings = z.infer<typeof serverSettings>;

export const mailboxError = z.object({
  protocol: z.enum(['smtp', 'imap']),
  stage: z.enum([...oauthSmtpStages, 'select']),
  code: z.string(),
  message: z.string(),
  at: z.string(),
  /** Set when a connection test recorded the error: a later passing test clears it. */
  source: z.literal('connection-test').optional(),
});
export type MailboxError = z.infer<typeof mailboxError>;

export const mailbox = z.object({
  id: z.string(),
  workspaceId: z.string(),
  email: z.string(),
  displayName: z.string().nullable(),
  provider: z.enum(providers),
  smtp: serverSettings,
  imap: serverSettings.nullable(),
  status: z.enum(mailboxStatuses),
  lastError: mailboxError.nullable(),
  timeZone: z.string(),
  dailyLimit: z.number().int().nullable(),
  allowInsecure: z.boolean(),
  /** Password (stored in the secret store) or OAuth2 (a refresh token in the secret store): never the secret itself. */
  auth: mailboxAuth,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Mailbox = z.infer<typeof mailbox>;

/**
 * How one stage of a connection test ended. `not_used`: the stage does not apply (TLS on a
 * connection set to security "none"); `not_reached`: an earlier stage failed.
 */
export const stageStatuses = ['passed', 'failed', 'not_used', 'not_reached'] as const;
export type StageStatus = (typeof stageStatuses)[number];

/** The words every surface says for a stage (the UI, `kiln doctor`, `kiln mailbox test`). */
export const stageWords: Readonly<Record<StageStatus, string>> = { passed: 'passed', failed: 'failed', not_used: 'not used', not_reached: 'not reached' };

export const stageResult = z.object({
  stage: z.string(),
  status: z.enum(stageStatuses),
  /** good with what answered, bad with the coded error, na when not used, unknown when not reached. */
  verdict,
});
export type StageResult = z.infer<typeof stageResult>;

export const protocolTestResult = z.object({
  ok: z.boolean(),
  stage: z.string().optional(),
  code: z.string().optional(),
  message: z.string().optional(),
  /** Stages passed, in order (e.g. dns, connect, tls, auth): a stage not used (TLS on security "none") is not among them. */
  passed: z.array(z.string()),
  /** Every stage in order, with how it ended and the evidence. */
  stages: z.array(stageResult),
  durationMs: z.number(),
});
export type ProtocolTestResult = z.infer<typeof protocolTestResult>;

export const connectionTestResult = z.object({
  smtp: protocolTestResult,
  imap: protocolTestResult.nullable(),
});
export type ConnectionTestResult = z.infer<typeof connectionTestResult>;

/**
 * One line for a protocol's stages, in the shared words: "dns passed, connect passed, tls not used, ...". A stage
 * that passed with a verdict short of good says so ("oauth passed (unknown)": a custom provider's scopes unchecked).
 */
export function describeStages(r: Pick<ProtocolTestResult, 'stages'>): string {
  return r.stages.map((s) => `${s.stage} ${stageWords[s.status]}${s.status === 'passed' && s.verdict.state !== 'good' ? ` (${s.verdict.state})` : ''}`).join(', ');
}
