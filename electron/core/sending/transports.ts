import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import type { MailboxRow } from '../db/schema';
import type { CredentialOf, MailCredential } from '../mail/credential';

export interface TransportOptions {
  ca?: string[];
  /** The password, or for an OAuth mailbox an access-token source (oauth/credentials.ts). */
  credentialOf: CredentialOf<MailboxRow>;
  /** SMTP connections per mailbox; providers throttle parallel sessions, so 1 is the safe default. */
  maxConnections?: number;
}

/**
 * nodemailer's auth for a credential. OAuth2 (XOAUTH2): every pooled connection asks the token
 * manager when it connects (`provisionCallback`, so a long-lived pool never reuses an expired
 * token), and asks again with `renew` once if the server refuses the token.
 */
function smtpAuth(row: MailboxRow, c: MailCredential): SMTPPool.Options['auth'] {
  if (c.kind === 'password') return { user: row.smtp_user, pass: c.password };
  return {
    type: 'OAuth2',
    user: row.smtp_user,
    provisionCallback: (_user: string, renew: boolean, cb: (err: Error | null, token?: string) => void) => {
      // nodemailer renames whatever error it is given to EAUTH: a wrapper keeps the token manager's
      // coded error (OAUTH_REVOKED: the mail waits, not fails) as its cause.
      c.token(renew).then((t) => cb(null, t), (e: Error) => cb(new Error(e.message, { cause: e })));
    },
  } as SMTPPool.Options['auth'];
}

export function smtpOptions(row: MailboxRow, credential: MailCredential, o: Pick<TransportOptions, 'ca' | 'maxConnections'>): SMTPPool.Options {
  return {
    pool: true,
    maxConnections: o.maxConnections ?? 1,
    host: row.smtp_host,
    port: row.smtp_port,
    secure: row.smtp_security === 'tls',
    requireTLS: row.smtp_security === 'starttls',
    ignoreTLS: row.smtp_security === 'none',
    auth: smtpAuth(row, credential),
    tls: o.ca ? { ca: o.ca } : {},
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 120_000,
    // Kiln owns retries (backoff, events, at-most-once after a crash): nodemailer must not
    // silently resend a message whose connection closed mid-transaction.
    maxRequeues: 0,
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
  };
}

/** One pooled nodemailer transport per mailbox, created on first use and closed on pause/update/delete. */
export class TransportPool {
  private pools = new Map<string, Promise<Transporter<SMTPPool.SentMessageInfo>>>();

  constructor(private readonly opts: TransportOptions) {}

  get(row: MailboxRow): Promise<Transporter<SMTPPool.SentMessageInfo>> {
    let p = this.pools.get(row.id);
    if (!p) {
      p = this.opts.credentialOf(row, 'smtp').then((credential) => nodemailer.createTransport(smtpOptions(row, credential, this.opts)));
      // A failed secret lookup or token refresh must not stick: the next send tries again.
      p.catch(() => this.pools.delete(row.id));
      this.pools.set(row.id, p);
    }
    return p;
  }

  close(mailboxId: string): void {
    const p = this.pools.get(mailboxId);
    if (!p) return;
    this.pools.delete(mailboxId);
    // In-flight sends on the old pool finish; nodemailer closes idle connections at once.
    p.then((t) => t.close()).catch(() => {});
  }

  closeAll(): void {
    for (const id of [...this.pools.keys()]) this.close(id);
  }

  get size(): number {
    return this.pools.size;
  }
}
