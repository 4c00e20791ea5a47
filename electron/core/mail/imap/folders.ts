// Folder discovery: which of the server's folders plays which part (inbox, junk, sent, trash...),
// read from LIST (SPECIAL-USE first, then names), never assumed.
import type { ImapFlow, ListResponse } from 'imapflow';

/** What a provider knows about its folder names (the provider record's `folders`). */
export interface FolderNames {
  /** Spam folder names to try (last path component, any case) when no SPECIAL-USE \Junk is announced. */
  spamNames: string[];
  /** "Delivered, but not the primary inbox" folders (promotions, newsletters, clutter). */
  otherNames: string[];
  /** A server-side search (Gmail's X-GM-RAW) that picks, in INBOX, mail sitting in a non-primary tab. */
  tabsQuery?: string;
}

export type FolderRole = 'inbox' | 'spam' | 'other' | 'sent';
export interface WatchedFolder {
  path: string;
  role: FolderRole;
  /** INBOX on Gmail: the X-GM-RAW query that finds mail in a non-primary tab. */
  tabsQuery?: string;
}

/** The special folders a server has, by role: undefined when the server has none such. */
export interface SpecialFolders {
  inbox: 'INBOX';
  junk?: string;
  sent?: string;
  trash?: string;
  drafts?: string;
  archive?: string;
}

const selectable = (f: ListResponse): boolean => !f.flags.has('\\Noselect') && !f.flags.has('\\NonExistent');

/** The server's special folders from one LIST; junk also by the provider's names (see pickSpam). */
export function discoverFolders(list: ListResponse[], names: Pick<FolderNames, 'spamNames'>): SpecialFolders {
  // Sent and the rest: SPECIAL-USE, or imapflow's name-based guess of it (specialUseSource 'name').
  const byUse = (use: string) => list.find((f) => f.specialUse === use && !f.flags.has('\\Noselect'))?.path;
  const found: SpecialFolders = { inbox: 'INBOX' };
  const junk = pickSpam(list, names.spamNames)?.path;
  if (junk) found.junk = junk;
  for (const [role, use] of [['sent', '\\Sent'], ['trash', '\\Trash'], ['drafts', '\\Drafts'], ['archive', '\\Archive']] as const) {
    const path = byUse(use);
    if (path) found[role] = path;
  }
  return found;
}

/** INBOX plus the spam folder, the provider's "other" folders and Sent, as the server names them. */
export async function resolveFolders(client: ImapFlow, names: FolderNames): Promise<WatchedFolder[]> {
  const list = await client.list();
  const tabs = names.tabsQuery && client.capabilities.has('X-GM-EXT-1') ? names.tabsQuery : undefined;
  const special = discoverFolders(list, names);
  const folders: WatchedFolder[] = [{ path: 'INBOX', role: 'inbox', ...(tabs ? { tabsQuery: tabs } : {}) }];
  if (special.junk) folders.push({ path: special.junk, role: 'spam' });
  for (const other of pickOther(list, names.otherNames)) if (other.path !== special.junk) folders.push({ path: other.path, role: 'other' });
  // The Sent folder holds the sender's own copies of Kiln mail: filed with the rest when filing is on.
  if (special.sent) folders.push({ path: special.sent, role: 'sent' });
  return folders;
}

/**
 * The server's own SPECIAL-USE flag first, then imapflow's name-based guess, then the provider's
 * names, matched on the last path component: namespaces such as Dovecot/cPanel's "INBOX." prefix
 * or Gmail's "[Gmail]/" parent resolve from what LIST returns.
 */
export function pickSpam(list: ListResponse[], spamNames: string[]): ListResponse | undefined {
  const usable = list.filter(selectable);
  return (
    usable.find((f) => f.specialUse === '\\Junk' && f.specialUseSource === 'extension') ??
    usable.find((f) => f.specialUse === '\\Junk') ??
    usable.find((f) => spamNames.includes(f.name.toLowerCase()))
  );
}

/** The provider's "delivered, but not the primary inbox" folders that exist on this server. */
export function pickOther(list: ListResponse[], otherNames: string[]): ListResponse[] {
  return list.filter((f) => selectable(f) && !f.specialUse && otherNames.includes(f.name.toLowerCase()));
}
