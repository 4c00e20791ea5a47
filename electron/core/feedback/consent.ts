import type BetterSqlite3 from 'better-sqlite3';
import type { MailboxRow, MessageRow } from '../db/schema';

/**
 * Whether a receiving mailbox may act on a Kiln message (rescue, open, flag, reply, file), or only
 * record where it landed. Warmup mail and the replies in its threads exist to be engaged with; any
 * other Kiln mail (API sends, placement-test copies, replies to those) was written for a person,
 * so Kiln leaves it alone unless the receiving workspace turned that on for its own mail.
 */
export function engagementConsent(sqlite: BetterSqlite3.Database, otherKilnMail: (workspaceId: string) => boolean) {
  const warmupOriginal = sqlite.prepare(`SELECT 1 FROM messages WHERE message_id = ? AND kind = 'warmup' LIMIT 1`);
  return (m: MessageRow, receiver: MailboxRow): boolean => {
    if (m.kind === 'warmup') return true;
    if (m.kind === 'reply' && m.in_reply_to && warmupOriginal.get(m.in_reply_to) !== undefined) return true;
    // Another workspace's non-warmup mail is never this workspace's to touch, whatever it allows.
    return m.workspace_id === receiver.workspace_id && otherKilnMail(receiver.workspace_id);
  };
}
export type EngagementConsent = ReturnType<typeof engagementConsent>;
