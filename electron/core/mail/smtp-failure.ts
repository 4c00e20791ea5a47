// The shape of a classified SMTP failure (smtp-errors.ts makes them); apart so the rule files need not import the classifier.
import type { SmtpStage } from '../../../shared/domain/mailbox';

export const smtpFailureCodes = [
  'SMTP_DNS',
  'SMTP_CONNECT',
  'SMTP_TIMEOUT',
  'SMTP_CONNECTION_LOST',
  'SMTP_TLS_UNAVAILABLE',
  'SMTP_TLS_FAILED',
  'SMTP_ENCRYPTION_REQUIRED',
  'SMTP_AUTH_FAILED',
  'SMTP_AUTH_UNAVAILABLE',
  'SMTP_SENDER_REJECTED',
  'SMTP_RECIPIENT_UNKNOWN',
  'SMTP_MAILBOX_FULL',
  'SMTP_POLICY',
  'SMTP_MESSAGE_REJECTED',
  'SMTP_INVALID_ENVELOPE',
  'SMTP_TRANSIENT',
  'SMTP_PERMANENT',
  'SMTP_PROTOCOL',
  'SMTP_ABORTED',
  'SMTP_UNKNOWN',
] as const;
export type SmtpFailureCode = (typeof smtpFailureCodes)[number];

export type FailureKind = 'transient' | 'permanent';

export interface SmtpFailure {
  /** Stable Kiln code: one of smtpFailureCodes when produced by classifySmtpError. */
  code: string;
  stage: SmtpStage;
  /** transient: retry later; permanent: the same attempt will fail again. */
  kind: FailureKind;
  /** 5.7.x policy or authentication: the sender's problem, never the recipient's. */
  senderProblem: boolean;
  /** The mailbox's settings/credentials are wrong (auth, tls, dns, sender refused): further sends will fail too. */
  mailboxProblem: boolean;
  /** Set for mailbox-full (x.2.2): reported permanent by 5.2.2 but often clears up; do not treat as a hard bounce. */
  soft?: boolean;
  /** SMTP reply code, e.g. 550. */
  responseCode?: number;
  /** Enhanced status code (RFC 3463), e.g. '5.1.1'. */
  enhancedStatus?: string;
  /** Safe for users and logs: credentials (AUTH echoes, base64 blobs, the given secrets) are stripped. */
  message: string;
}

export interface RecipientFailure extends SmtpFailure {
  recipient: string;
}

export interface SmtpErrorContext {
  /** The stage the caller was in when the error happened; used where the error itself does not tell. */
  stage?: SmtpStage;
  /** Strings that must never appear in the message (the password): removed as-is and in base64 forms. */
  secrets?: readonly string[];
  /** Strings shown as they are, never cut into (the configured host name). */
  keep?: readonly string[];
}
