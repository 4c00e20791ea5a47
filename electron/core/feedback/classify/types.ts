// What the classifier makes of one raw message. Shared by the IMAP watcher (which links and records it) and
// `kiln inspect` (which prints it), so both always agree.

export type ClassificationKind = 'bounce' | 'complaint' | 'auto-reply' | 'warmup' | 'other';

/**
 * hard: the address is gone (5.1.x unknown user/host, 5.2.1 disabled): suppress the recipient.
 * soft: may clear up (4.x.x, 5.2.2 mailbox full, timeouts, anything unclear): count, suppress after repeats.
 * sender: the sending side is at fault (5.7.x policy/authentication, 5.6.x/5.3.4 content or size, 5.1.7/5.1.8 bad
 *         sender address): flag the sender mailbox, never the recipient.
 */
export type BounceType = 'hard' | 'soft' | 'sender';

export interface BounceInfo {
  type: BounceType;
  /** Enhanced status code (RFC 3463), e.g. '5.1.1'; null when the report carries none. */
  status: string | null;
  recipient: string | null;
  /** The remote server's reply or the MTA's reason, without the RFC 3464 diagnostic-type prefix ("smtp;"). */
  diagnostic: string | null;
  /** RFC 3464 Action of the recipient reported (failed, delayed); only for DSNs. */
  action?: string;
  /** RFC 3464 Remote-MTA (the name, without "dns;"); only for DSNs that name it. */
  remoteMta?: string;
  /** dsn: read from the message/delivery-status fields; heuristic: read from the text of a non-RFC bounce. */
  source: 'dsn' | 'heuristic';
}

export interface ComplaintInfo {
  /** RFC 5965 Feedback-Type, lower case: abuse | fraud | other | virus | not-spam (| auth-failure, RFC 6591). */
  feedbackType: string;
  /** Original-Rcpt-To of the report (who complained); null when the reporter redacted it. */
  recipient: string | null;
  sourceIp?: string | null;
}

export interface Classification {
  kind: ClassificationKind;
  bounce?: BounceInfo;
  /** A DSN about several recipients: the failed or delayed ones after `bounce` (absent when none). */
  otherBounces?: BounceInfo[];
  complaint?: ComplaintInfo;
  /**
   * Message-ID of the original message (the one that bounced / was complained about), angle brackets kept: the last
   * Message-ID header of the returned part, because headers are prepended in transit, so a Message-ID added by a relay
   * or a reporter sits above the original's own. For bounces without a returned part, the report's References.
   */
  originalMessageId?: string;
  /**
   * Kiln's verification token of the returned/original part (or of the message itself, for 'warmup'): the header
   * the sender writes (REF_HEADER in mail/headers.ts, X-Entity-Ref-ID; lower-cased as stored), else `X-Kiln-Ref` as is.
   */
  ref?: string;
}

export interface ClassifyOptions {
  /** Larger input is not parsed at all (kind 'other'). Default 25 MB. */
  maxBytes?: number;
}

export const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;
