// The IMAP operations Kiln's features use, on an open ImapFlow session: lock a folder, fetch
// (size-capped sources, header blocks), search, flag, move, delete. All by UID.
import type { ImapFlow } from 'imapflow';

/** A message as last recorded: its UID, valid only while the folder's UIDVALIDITY is unchanged. */
export interface RecordedUid {
  uid: number | null;
  uidvalidity: string | null;
}

/** Run `fn` with `folder` selected (imapflow's mailbox lock), always releasing the lock. */
export async function withFolder<T>(client: ImapFlow, folder: string, fn: () => Promise<T>, o: { readOnly?: boolean } = {}): Promise<T> {
  const lock = await client.getMailboxLock(folder, o.readOnly ? { readOnly: true } : {});
  try {
    return await fn();
  } finally {
    lock.release();
  }
}

/** The open folder's UIDVALIDITY as a decimal string ('' when none is open). */
export function openUidValidity(client: ImapFlow): string {
  return String(client.mailbox ? client.mailbox.uidValidity : '');
}

/** The full source of one message in the open folder, unless it is larger than `maxBytes` (then null, never downloaded). */
export async function fetchSourceUpTo(client: ImapFlow, uid: number, maxBytes: number): Promise<Buffer | null> {
  const meta = await client.fetchOne(String(uid), { size: true }, { uid: true });
  if (!meta || (meta.size ?? 0) > maxBytes) return null;
  const msg = await client.fetchOne(String(uid), { source: true }, { uid: true });
  return msg && msg.source ? msg.source : null;
}

/** The named header fields of one message in the open folder, as the server stored them. */
export async function fetchHeaderFields(client: ImapFlow, uid: number, names: string[]): Promise<Buffer | null> {
  const msg = await client.fetchOne(String(uid), { headers: names }, { uid: true });
  return msg && msg.headers ? msg.headers : null;
}

/** UIDs in the open folder carrying header `name` with `value` (IMAP SEARCH HEADER: a substring match). */
export async function searchHeader(client: ImapFlow, name: string, value: string): Promise<number[]> {
  return (await client.search({ header: { [name]: value } }, { uid: true })) || [];
}

/** UIDs in `folder` carrying header `name` with `value`, the folder opened read-only. */
export function findInFolder(client: ImapFlow, folder: string, name: string, value: string): Promise<number[]> {
  return withFolder(client, folder, () => searchHeader(client, name, value), { readOnly: true });
}

/**
 * A message's UID in the open folder: the recorded one if the folder's UIDVALIDITY is unchanged and
 * the UID still exists, else the first message carrying `header` (its recognition token), else null.
 */
export async function locate(client: ImapFlow, at: RecordedUid, header: { name: string; value: string | null }): Promise<number | null> {
  const valid = client.mailbox && at.uidvalidity !== null && String(client.mailbox.uidValidity) === at.uidvalidity;
  if (valid && at.uid !== null) {
    const hit = await client.search({ uid: String(at.uid) }, { uid: true });
    if (hit && hit.length > 0) return at.uid;
  }
  if (!header.value) return null;
  const found = await searchHeader(client, header.name, header.value);
  return found.length > 0 ? found[0]! : null;
}

export async function addFlags(client: ImapFlow, uids: number | number[], flags: string[]): Promise<void> {
  await client.messageFlagsAdd(uidSet(uids), flags, { uid: true });
}

export async function removeFlags(client: ImapFlow, uids: number | number[], flags: string[]): Promise<void> {
  await client.messageFlagsRemove(uidSet(uids), flags, { uid: true });
}

/** MOVE from the open folder; where one message landed (its new UID and the target's UIDVALIDITY), when the server says. */
export async function moveMessages(client: ImapFlow, uids: number | number[], target: string): Promise<{ uid: number | null; uidvalidity: string | null }> {
  const moved = await client.messageMove(uidSet(uids), target, { uid: true });
  const first = Array.isArray(uids) ? uids[0] : uids;
  const uid = moved && first !== undefined ? (moved.uidMap?.get(first) ?? null) : null;
  const uidvalidity = moved && moved.uidValidity !== undefined ? String(moved.uidValidity) : null;
  return { uid, uidvalidity };
}

export async function deleteMessage(client: ImapFlow, uid: number): Promise<void> {
  await client.messageDelete(String(uid), { uid: true });
}

const uidSet = (uids: number | number[]): string => (Array.isArray(uids) ? uids.join(',') : String(uids));
