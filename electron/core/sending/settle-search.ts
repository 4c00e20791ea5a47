import { ImapFlow } from 'imapflow';
import type { MailboxRow } from '../db/schema';
import { resolveFolders, type FolderRole } from '../feedback/folders';
import { feedbackLoopFor } from '../feedback/providers';

/** Where an interrupted message was found: the evidence recorded with it. */
export interface Sighting {
  mailbox: string;
  folder: string;
  role: FolderRole;
}

/** The outcome of one search: found, not there (the folders were read), or unreadable now. */
export type SearchResult = { found: Sighting } | { found: null } | { error: string };

export interface ImapAccess {
  ca?: string[];
  secretOf(ref: string): Promise<string>;
}

/**
 * Look for a Message-ID in the folders of `roles` of a mailbox Kiln can read (INBOX, spam and the
 * provider's other delivery folders for a recipient; Sent for a sender whose provider files
 * submitted mail there). Read-only: nothing is moved or flagged.
 */
export async function searchMailbox(access: ImapAccess, mb: MailboxRow, messageId: string, roles: FolderRole[]): Promise<SearchResult> {
  const client = new ImapFlow({
    host: mb.imap_host!,
    port: mb.imap_port!,
    secure: mb.imap_security === 'tls',
    doSTARTTLS: mb.imap_security === 'starttls' ? true : mb.imap_security === 'none' ? false : undefined,
    auth: { user: mb.imap_user!, pass: await access.secretOf(mb.imap_secret_ref!) },
    tls: access.ca ? { ca: access.ca } : {},
    logger: false,
    emitLogs: false,
    disableAutoIdle: true,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  client.on('error', () => {}); // surfaced through the failing command
  try {
    await client.connect();
    const folders = (await resolveFolders(client, feedbackLoopFor(mb.provider))).filter((f) => roles.includes(f.role));
    for (const f of folders) {
      const lock = await client.getMailboxLock(f.path, { readOnly: true });
      try {
        const uids = (await client.search({ header: { 'message-id': messageId } }, { uid: true })) || [];
        if (uids.length > 0) return { found: { mailbox: mb.email, folder: f.path, role: f.role } };
      } finally {
        lock.release();
      }
    }
    return { found: null };
  } catch (e) {
    // The code only: a server's words could echo what it was sent.
    return { error: (e as { code?: string }).code ?? 'IMAP_ERROR' };
  } finally {
    await client.logout().catch(() => client.close());
  }
}
