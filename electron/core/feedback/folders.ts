import type { ImapFlow, ListResponse } from 'imapflow';
import type { FeedbackLoop } from './providers';

export type FolderRole = 'inbox' | 'spam' | 'other' | 'sent';
export interface WatchedFolder {
  path: string;
  role: FolderRole;
  /** INBOX on Gmail: the X-GM-RAW query that finds mail in a non-primary tab. */
  tabsQuery?: string;
}

/** INBOX plus the spam folder, as the server names them (never assumed). */
export async function resolveFolders(client: ImapFlow, loop: FeedbackLoop): Promise<WatchedFolder[]> {
  const list = await client.list();
  const tabs = loop.tabsQuery && client.capabilities.has('X-GM-EXT-1') ? loop.tabsQuery : undefined;
  const folders: WatchedFolder[] = [{ path: 'INBOX', role: 'inbox', ...(tabs ? { tabsQuery: tabs } : {}) }];
  const spam = pickSpam(list, loop.spamNames);
  if (spam) folders.push({ path: spam.path, role: 'spam' });
  for (const other of pickOther(list, loop.otherNames)) if (other.path !== spam?.path) folders.push({ path: other.path, role: 'other' });
  // The Sent folder holds the sender's own copies of Kiln mail: filed with the rest when filing is on.
  const sent = list.find((f) => f.specialUse === '\\Sent' && !f.flags.has('\\Noselect'));
  if (sent) folders.push({ path: sent.path, role: 'sent' });
  return folders;
}

/**
 * The server's own SPECIAL-USE flag first, then imapflow's name-based guess, then the provider's
 * names, matched on the last path component: namespaces such as Dovecot/cPanel's "INBOX." prefix
 * or Gmail's "[Gmail]/" parent resolve from what LIST returns.
 */
export function pickSpam(list: ListResponse[], spamNames: string[]): ListResponse | undefined {
  const selectable = list.filter((f) => !f.flags.has('\\Noselect') && !f.flags.has('\\NonExistent'));
  return (
    selectable.find((f) => f.specialUse === '\\Junk' && f.specialUseSource === 'extension') ??
    selectable.find((f) => f.specialUse === '\\Junk') ??
    selectable.find((f) => spamNames.includes(f.name.toLowerCase()))
  );
}

/** The provider's "delivered, but not the primary inbox" folders that exist on this server. */
export function pickOther(list: ListResponse[], otherNames: string[]): ListResponse[] {
  return list.filter((f) => !f.flags.has('\\Noselect') && !f.flags.has('\\NonExistent') && !f.specialUse && otherNames.includes(f.name.toLowerCase()));
}
