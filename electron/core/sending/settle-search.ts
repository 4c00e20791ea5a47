import type { MailboxRow } from '../db/schema';
import { findInFolder, imapClient, resolveFolders, type FolderRole } from '../mail/imap';
import { feedbackLoopFor } from '../providers';
import type { CredentialOf } from '../mail/credential';

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
  credentialOf: CredentialOf<MailboxRow>;
}

/**
 * Look for a Message-ID in the folders of `roles` of a mailbox Kiln can read (INBOX, spam and the
 * provider's other delivery folders for a recipient; Sent for a sender whose provider files
 * submitted mail there). Read-only: nothing is moved or flagged.
 */
export async function searchMailbox(access: ImapAccess, mb: MailboxRow, messageId: string, roles: FolderRole[]): Promise<SearchResult> {
  const client = imapClient(mb, await access.credentialOf(mb, 'imap'), { ca: access.ca, use: 'batch' });
  try {
    await client.connect();
    const folders = (await resolveFolders(client, feedbackLoopFor(mb.provider))).filter((f) => roles.includes(f.role));
    for (const f of folders) {
      if ((await findInFolder(client, f.path, 'message-id', messageId)).length > 0) return { found: { mailbox: mb.email, folder: f.path, role: f.role } };
    }
    return { found: null };
  } catch (e) {
    // The code only: a server's words could echo what it was sent.
    return { error: (e as { code?: string }).code ?? 'IMAP_ERROR' };
  } finally {
    await client.logout().catch(() => client.close());
  }
}
