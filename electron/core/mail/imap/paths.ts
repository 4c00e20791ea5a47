// Folder paths: Kiln's notation ("A/B") to the server's, and creating a folder once.
import type { ImapFlow } from 'imapflow';

/** The server's personal namespace, as imapflow reports it from NAMESPACE (or LIST). */
export interface Namespace {
  prefix: string;
  delimiter: string | null | undefined;
}

/**
 * A folder as configured ("DMARC/Processed": `/` separates levels whatever the server uses) to the
 * server's own path: its delimiter between levels and its namespace prefix in front, so Dovecot or
 * cPanel with an `INBOX.` namespace gets "INBOX.DMARC.Processed". INBOX is INBOX everywhere.
 */
export function serverPath(configured: string, ns: Namespace | null | undefined): string {
  const parts = configured.split('/').map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0 || (parts.length === 1 && parts[0]!.toUpperCase() === 'INBOX')) return 'INBOX';
  const delimiter = ns?.delimiter || '/';
  const path = parts.join(delimiter);
  const prefix = ns?.prefix ?? '';
  if (!prefix || path.startsWith(prefix)) return path;
  // "INBOX/Reports" typed on an INBOX. server already names the prefix, only in Kiln's notation.
  if (prefix.toUpperCase() === `INBOX${delimiter}` && parts[0]!.toUpperCase() === 'INBOX') return `INBOX${delimiter}${parts.slice(1).join(delimiter)}`;
  return prefix + path;
}

/** Create the folder unless `known` (paths the server listed) has it already; returns its path. */
export async function ensureFolder(client: ImapFlow, path: string, known?: Set<string>): Promise<string> {
  if (known?.has(path)) return path;
  try {
    await client.mailboxCreate(path);
  } catch (e) {
    // ALREADYEXISTS: the usual answer after the first time, or created by someone else since we listed
    // (imapflow answers created:false for the coded form).
    if (!/already ?exists/i.test(String((e as { responseText?: string }).responseText ?? (e as Error).message))) throw e;
  }
  known?.add(path);
  return path;
}
