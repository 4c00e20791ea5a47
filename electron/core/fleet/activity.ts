import type BetterSqlite3 from 'better-sqlite3';
import type { ActivityItem } from '../../../shared/domain/fleet';
import { KilnError } from '../../../shared/errors';
import { parseJson } from '../util/json';
import { iso } from '../util/time';

type Row = { id: number; at: number; type: string; data: string; message_id: string; kind: string; subject: string };

/** A mailbox's activity log: events on the messages it sent, newest first, paged by event id. */
export function activityStore(sqlite: BetterSqlite3.Database) {
  const mailboxSt = sqlite.prepare('SELECT 1 FROM mailboxes WHERE id = ? AND workspace_id = ? AND deleted_at IS NULL').pluck();
  // CROSS JOIN keeps events as the outer loop: walking their rowid backwards stops after one page,
  // where starting from messages (no index by mailbox) would read every message first. Events are
  // not filtered by their own workspace: a placement seen by a pool member in another workspace is
  // recorded under that one, and it is still this mailbox's mail.
  const pageSt = sqlite.prepare(
    `SELECT e.id, e.at, e.type, e.data, m.id AS message_id, m.kind, m.subject
       FROM message_events e CROSS JOIN messages m ON m.id = e.message_id
      WHERE e.id < @before AND m.mailbox_id = @mailbox AND m.workspace_id = @ws
      ORDER BY e.id DESC LIMIT @limit`,
  );

  return {
    page(workspaceId: string, mailboxId: string, limit: number, cursor?: string): { items: ActivityItem[]; nextCursor: string | null } {
      if (!mailboxSt.get(mailboxId, workspaceId)) throw new KilnError('NOT_FOUND', `No mailbox ${mailboxId} in this workspace`);
      if (cursor !== undefined && !/^\d{1,15}$/.test(cursor)) throw new KilnError('VALIDATION_FAILED', 'cursor must be a value returned as nextCursor');
      const before = cursor === undefined ? Number.MAX_SAFE_INTEGER : Number(cursor);
      const rows = pageSt.all({ ws: workspaceId, mailbox: mailboxId, before, limit: limit + 1 }) as Row[];
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => ({
          id: r.id,
          at: iso(r.at),
          type: r.type,
          messageId: r.message_id,
          kind: r.kind,
          subject: r.subject,
          data: parseJson<Record<string, unknown>>(r.data) ?? {},
        })),
        nextCursor: rows.length > limit ? String(page.at(-1)!.id) : null,
      };
    },
  };
}
