import type BetterSqlite3 from 'better-sqlite3';
import type { Clock } from '../clock';
import type { MailboxRow, MessageRow, RecipientRow } from '../db/schema';
import type { Outcome, RecipientOutcome } from './queue-store';
import type { SearchResult, Sighting } from './settle-search';
import { providerRecord } from '../providers';
import { hasImapAccess, type FolderRole } from '../mail/imap';

// Interrupted sends, settled instead of guessed. A message caught on the wire by a crash may or
// may not have been accepted. Where Kiln can read a place the message would be (a recipient's
// mailbox, or the sender's Sent folder at providers that file submitted mail there), it looks:
// found → sent, with where and when as evidence; still not found after a grace period → resent
// once with the same Message-ID; nothing readable → SEND_INTERRUPTED, for a person to decide.

export const DEFAULT_SETTLE_GRACE_MS = 5 * 60_000;

export const interruptedError = {
  code: 'SEND_INTERRUPTED',
  stage: 'send',
  kind: 'permanent' as const,
  message:
    'Kiln stopped while this message was being handed to the SMTP server; it may or may not have been accepted, so it was not resent. Retry it explicitly if it did not arrive.',
};

/** A mailbox Kiln can read and the folders where the message would be. */
export interface Place {
  mailbox: MailboxRow;
  roles: FolderRole[];
  as: 'recipient' | 'sender';
  /** The recipient this mailbox is, when it is one. */
  recipient?: RecipientRow;
}

export type Settlement =
  | { kind: 'found'; sighting: Sighting; place: Place; at: number }
  | { kind: 'resend'; searched: string[] }
  | { kind: 'unreadable' | 'exhausted' | 'sender_gone' }
  | { kind: 'stopped' };

export interface SettleContext {
  clock: Clock;
  sqlite: BetterSqlite3.Database;
  search(mb: MailboxRow, messageId: string, roles: FolderRole[]): Promise<SearchResult>;
}

export interface SettleOptions {
  /** How long after the interrupted attempt a message may still arrive (queues, filters). */
  graceMs: number;
  /** Pause between searches while the grace period runs. */
  pollMs: number;
}

export class Settler {
  private stopped = false;
  private readonly sleepers = new Set<() => void>();
  private readonly s;

  constructor(
    private readonly ctx: SettleContext,
    private readonly opts: SettleOptions,
  ) {
    this.s = {
      pending: ctx.sqlite.prepare(`SELECT * FROM message_recipients WHERE message_id = ? AND status = 'pending'`),
      readable: ctx.sqlite.prepare(
        `SELECT * FROM mailboxes WHERE workspace_id = ? AND lower(email) = lower(?) AND deleted_at IS NULL
           AND imap_host IS NOT NULL AND imap_secret_ref IS NOT NULL LIMIT 1`,
      ),
      mailbox: ctx.sqlite.prepare(`SELECT * FROM mailboxes WHERE id = ?`),
      resent: ctx.sqlite.prepare(`SELECT 1 FROM message_events WHERE message_id = ? AND type = 'resending' LIMIT 1`),
    };
  }

  /** The readable places of an interrupted message; none means it cannot be settled. */
  places(m: MessageRow): Place[] {
    const out: Place[] = [];
    for (const r of this.s.pending.all(m.id) as RecipientRow[]) {
      const mb = this.s.readable.get(m.workspace_id, r.address) as MailboxRow | undefined;
      if (mb && !out.some((p) => p.mailbox.id === mb.id)) out.push({ mailbox: mb, roles: ['inbox', 'spam', 'other'], as: 'recipient', recipient: r });
    }
    const sender = this.s.mailbox.get(m.mailbox_id) as MailboxRow | undefined;
    if (sender && sender.deleted_at == null && hasImapAccess(sender) && providerRecord(sender.provider).filesSubmittedInSent) {
      out.push({ mailbox: sender, roles: ['sent'], as: 'sender' });
    }
    return out;
  }

  /** Search until found or until the grace period after `since` has passed. */
  async settle(m: MessageRow, places: Place[], since: number): Promise<Settlement> {
    let read = false;
    for (;;) {
      for (const p of places) {
        if (this.stopped) return { kind: 'stopped' };
        const r = await this.ctx.search(p.mailbox, m.message_id, p.roles);
        if ('error' in r) continue;
        if (r.found) return { kind: 'found', sighting: r.found, place: p, at: this.ctx.clock.now() };
        read = true;
      }
      if (this.ctx.clock.now() >= since + this.opts.graceMs) break;
      await this.sleep(this.opts.pollMs);
      if (this.stopped) return { kind: 'stopped' };
    }
    if (!read) return { kind: 'unreadable' };
    // Once only: a resend that is itself interrupted and still not found is a person's call.
    if (this.s.resent.get(m.id)) return { kind: 'exhausted' };
    // A deleted mailbox sends nothing more (its queued mail failed when it was deleted).
    const sender = this.s.mailbox.get(m.mailbox_id) as MailboxRow | undefined;
    if (!sender || sender.deleted_at != null) return { kind: 'sender_gone' };
    return { kind: 'resend', searched: places.map((p) => `${p.mailbox.email} (${p.roles.join(', ')})`) };
  }

  stop(): void {
    this.stopped = true;
    for (const wake of this.sleepers) wake();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.sleepers.delete(done);
        resolve();
      };
      const t = setTimeout(done, ms);
      t.unref?.();
      this.sleepers.add(done);
    });
  }
}

/** The record a settlement comes to, for a message still `sending` (attempt already counted). */
export function settlementOutcome(m: MessageRow, r: Exclude<Settlement, { kind: 'stopped' }>, now: number): Outcome {
  const base = { kind: 'outcome' as const, message: m, at: now, next: null, error: null, sentAt: null, recipients: [] as RecipientOutcome[] };
  const attempt = m.attempts;
  if (r.kind === 'found') {
    const { sighting: s, place } = r;
    const rcpt = place.recipient;
    const recipients: RecipientOutcome[] = rcpt
      ? [{ kind: rcpt.kind, address: rcpt.address, status: 'accepted', responseCode: null, enhancedStatus: null, response: `found in ${s.folder}` }]
      : [];
    const evidence = { attempt, foundIn: place.as === 'recipient' ? 'recipient_mailbox' : 'sender_sent_folder', mailbox: s.mailbox, folder: s.folder, role: s.role, at: new Date(r.at).toISOString() };
    return { ...base, status: 'sent', sentAt: m.updated_at, recipients, events: [{ type: 'settled', data: evidence }] };
  }
  if (r.kind === 'resend') {
    return { ...base, status: 'queued', next: now, events: [{ type: 'resending', data: { attempt, reason: 'not found after the grace period', searched: r.searched } }] };
  }
  const why = {
    exhausted: 'not found again after its one resend',
    sender_gone: 'not found, and its sending mailbox was deleted',
    unreadable: 'no mailbox Kiln can read would show whether it arrived',
  }[r.kind];
  return { ...base, status: 'failed', error: interruptedError, events: [{ type: 'failed', data: { attempt, error: interruptedError, reason: why } }] };
}
