import type { ImapFlow, ListResponse } from 'imapflow';

export type FolderRole = 'inbox' | 'spam';
export interface WatchedFolder {
  path: string;
  role: FolderRole;
}

// Names providers and hosting panels give the spam folder when the server announces no
// SPECIAL-USE \Junk flag. Matched on the last path component, so namespaces such as
// Dovecot/cPanel's "INBOX." prefix or Gmail's "[Gmail]/" parent resolve from what LIST returns.
const SPAM_NAMES = ['junk', 'spam', 'junk e-mail', 'junk email', 'bulk', 'bulk mail'];

/** INBOX plus the spam folder, as the server names them (never assumed). */
export async function resolveFolders(client: ImapFlow): Promise<WatchedFolder[]> {
  const list = await client.list();
  const folders: WatchedFolder[] = [{ path: 'INBOX', role: 'inbox' }];
  const spam = pickSpam(list);
  if (spam) folders.push({ path: spam.path, role: 'spam' });
  return folders;
}

export function pickSpam(list: ListResponse[]): ListResponse | undefined {
  const selectable = list.filter((f) => !f.flags.has('\\Noselect') && !f.flags.has('\\NonExistent'));
  // The server's own SPECIAL-USE flag first, then imapflow's name-based guess, then our names.
  return (
    selectable.find((f) => f.specialUse === '\\Junk' && f.specialUseSource === 'extension') ??
    selectable.find((f) => f.specialUse === '\\Junk') ??
    selectable.find((f) => SPAM_NAMES.includes(f.name.toLowerCase()))
  );
}
