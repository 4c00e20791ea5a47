// Errors cross every boundary (REST, IPC, CLI) as a code plus a human message, never as a stack.
// The code decides behaviour (HTTP status, retry, UI wording); the message is for people.

export const errorStatus = {
  // request / auth
  VALIDATION_FAILED: 400,
  BAD_JSON: 400,
  /** messages.send named an extra header Kiln will not set (routing, authentication, its own); `details.header` names it. */
  HEADER_NOT_ALLOWED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  HOST_NOT_ALLOWED: 421,
  NOT_FOUND: 404,
  CONFLICT: 409,
  /** Another Kiln process (kiln serve, the desktop app) already sends from this data folder. */
  DATA_FOLDER_IN_USE: 409,
  IDEMPOTENCY_CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  // domain
  MAILBOX_PAUSED: 409,
  MAILBOX_IN_ERROR: 409,
  RECIPIENT_SUPPRESSED: 422,
  INSECURE_TRANSPORT: 422,
  /** Pool membership needs IMAP: Kiln must be able to read where the mail lands. */
  MAILBOX_NOT_READABLE: 422,
  /** A webhook URL points at a loopback, private, link-local... address (SSRF guard). */
  WEBHOOK_TARGET_FORBIDDEN: 422,
  // DMARC aggregate reports (electron/core/dmarc)
  /** Not a zip, gzip or XML file, or an archive Kiln will not open (encrypted, several XML files). */
  DMARC_REPORT_FORMAT: 415,
  /** Truncated or damaged gzip/zip data (bad CRC, unexpected end). */
  DMARC_REPORT_CORRUPT: 422,
  /** Over the size limit, compressed or unpacked. */
  DMARC_REPORT_TOO_LARGE: 413,
  /** Unpacks to far more than it weighs (a decompression bomb): stopped at the ratio limit. */
  DMARC_REPORT_BOMB: 422,
  /** Declares a DOCTYPE or entities (XXE, entity expansion): refused before parsing. */
  DMARC_REPORT_UNSAFE: 422,
  /** Not well-formed XML. */
  DMARC_REPORT_MALFORMED: 422,
  /** Well-formed, but not a valid aggregate report; `details.field` names the field. */
  DMARC_REPORT_INVALID: 422,
  /** No reports mailbox is set up, or it has no IMAP settings. */
  DMARC_NOT_CONFIGURED: 409,
  // OAuth2 sign-in (electron/core/oauth)
  /** The grant was revoked or expired (`invalid_grant`): a person must sign in again. */
  OAUTH_REVOKED: 401,
  /** The token endpoint failed for another reason (network, 5xx, bad answer): retried with backoff. */
  OAUTH_REFRESH_FAILED: 502,
  /** A sign-in callback refused: wrong or missing state, no code, consent declined, a code already used. */
  OAUTH_CALLBACK_INVALID: 400,
  /** No OAuth app (client id) is set for that provider in the workspace, or the mailbox names none. */
  OAUTH_NOT_CONFIGURED: 409,
  /** A token was issued, but the grant lacks a scope the protocol needs (e.g. Microsoft's SMTP.Send): consent again with it. */
  OAUTH_SCOPE_MISSING: 403,
  /** This process cannot print a PDF (headless without Chromium): set KILN_CHROMIUM or install chromium. */
  PDF_UNAVAILABLE: 503,
  // infrastructure
  SECRET_STORE_UNAVAILABLE: 503,
  SECRET_NOT_FOUND: 500,
  MASTER_KEY_INVALID: 500,
  MIGRATION_UNKNOWN: 500,
  MIGRATION_FAILED: 500,
  /** An outside service Kiln called (e.g. an OpenAI-compatible content endpoint) failed. */
  UPSTREAM_FAILED: 502,
  SHUTTING_DOWN: 503,
  NOT_READY: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

export class KilnError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'KilnError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return errorStatus[this.code];
  }

  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isKilnError(e: unknown): e is KilnError {
  return e instanceof KilnError;
}
