import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import type { MailboxRow } from '../db/schema';

export interface TransportOptions {
  ca?: string[];
  secretOf(ref: string): Promise<string>;
  /** SMTP connections per mailbox; providers throttle parallel sessions, so 1 is the safe default. */
  maxConnections?: number;
}

export function smtpOptions(row: MailboxRow, password: string, o: Pick<TransportOptions, 'ca' | 'maxConnections'>): SMTPPool.Options {
  return {
    pool: true,
    maxConnections: o.maxConnections ?? 1,
    host: row.smtp_host,
    port: row.smtp_port,
    secure: row.smtp_security === 'tls',
    requireTLS: row.smtp_security === 'starttls',
    ignoreTLS: row.smtp_security === 'none',
    auth: { user: row.smtp_user, pass: password },
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
      p = this.opts.secretOf(row.smtp_secret_ref).then((password) => nodemailer.createTransport(smtpOptions(row, password, this.opts)));
      // A failed secret lookup must not stick: the next send tries again.
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
