import type BetterSqlite3 from 'better-sqlite3';
import type { ContentRow, FolderStateRow, MessageRow, PlacementRow } from '../db/schema';
import type { Placement } from '../../../shared/domain/message';
import { outcomeRecorder } from './outcomes';

/** Folder read positions and placements: synchronous statements, one transaction per sighting batch. */
export function feedbackStore(sqlite: BetterSqlite3.Database) {
  const outcomes = outcomeRecorder(sqlite);
  const s = {
    state: sqlite.prepare('SELECT * FROM imap_folder_state WHERE mailbox_id = ? AND folder = ?'),
    saveState: sqlite.prepare(
      `INSERT INTO imap_folder_state (mailbox_id, folder, role, uidvalidity, last_uid, highest_modseq, updated_at)
       VALUES (@mailbox, @folder, @role, @uidvalidity, @lastUid, @modseq, @now)
       ON CONFLICT (mailbox_id, folder) DO UPDATE SET role = excluded.role, uidvalidity = excluded.uidvalidity,
         last_uid = excluded.last_uid, highest_modseq = excluded.highest_modseq, updated_at = excluded.updated_at`,
    ),
    isRecipient: sqlite.prepare('SELECT 1 FROM message_recipients WHERE message_id = ? AND address = ?'),
    // The first sighting decides the placement (where the provider put it); later ones (after a
    // resync, or after Kiln itself moved the message) only track its folder and UID. A message
    // declared missing that turns up late gets its real placement and plan.
    place: sqlite.prepare(
      `INSERT INTO message_placements (message_id, recipient, workspace_id, mailbox_id, placement, folder, uidvalidity, uid, seen_at, plan, engage_after, updated_at)
       VALUES (@messageId, @recipient, @workspace, @mailbox, @placement, @folder, @uidvalidity, @uid, @now, @plan, @engageAfter, @now)
       ON CONFLICT (message_id, recipient) DO UPDATE SET folder = excluded.folder, uidvalidity = excluded.uidvalidity,
         uid = excluded.uid, updated_at = excluded.updated_at,
         placement = CASE WHEN placement = 'missing' THEN excluded.placement ELSE placement END,
         seen_at = COALESCE(seen_at, excluded.seen_at),
         engage_after = CASE WHEN plan IS NULL THEN excluded.engage_after ELSE engage_after END,
         plan = COALESCE(plan, excluded.plan)`,
    ),
    // Sent to a mailbox Kiln reads, accepted by the server, never seen there in time.
    unseen: sqlite.prepare(
      `SELECT m.id AS messageId, m.workspace_id AS workspace, m.mailbox_id AS sender, r.address AS recipient, b.id AS mailbox
         FROM messages m
         JOIN message_recipients r ON r.message_id = m.id AND r.status = 'accepted' AND r.outcome IS NOT 'bounced'
         -- Warmup mail crosses workspaces through the shared pool; other mail is judged only within its own.
         JOIN mailboxes b ON b.email = r.address AND (b.workspace_id = m.workspace_id OR m.kind IN ('warmup', 'reply'))
           AND b.deleted_at IS NULL AND b.imap_host IS NOT NULL
        WHERE m.status = 'sent' AND m.sent_at BETWEEN @floor AND @cutoff
          AND NOT EXISTS (SELECT 1 FROM message_placements p WHERE p.message_id = m.id AND p.recipient = r.address)
        LIMIT 500`,
    ),
    missing: sqlite.prepare(
      `INSERT INTO message_placements (message_id, recipient, workspace_id, mailbox_id, placement, updated_at)
       VALUES (@messageId, @recipient, @workspace, @mailbox, 'missing', @now) ON CONFLICT DO NOTHING`,
    ),
    expired: sqlite.prepare(
      `SELECT * FROM message_placements WHERE mailbox_id = ? AND filed_at IS NOT NULL AND filed_at <= ? AND removed_at IS NULL LIMIT ?`,
    ),
    placed: sqlite.prepare('SELECT placement FROM message_placements WHERE message_id = ? AND recipient = ?'),
    due: sqlite.prepare(
      `SELECT * FROM message_placements WHERE mailbox_id = ? AND engage_after IS NOT NULL AND engage_after <= ? ORDER BY engage_after LIMIT ?`,
    ),
    message: sqlite.prepare('SELECT * FROM messages WHERE id = ?'),
    content: sqlite.prepare('SELECT * FROM message_contents WHERE message_id = ?'),
    event: sqlite.prepare('INSERT INTO message_events (message_id, workspace_id, at, type, data) VALUES (?, ?, ?, ?, ?)'),
  };
  return {
    state: (mailboxId: string, folder: string) => s.state.get(mailboxId, folder) as FolderStateRow | undefined,
    saveState: (v: { mailbox: string; folder: string; role: string; uidvalidity: string; lastUid: number; modseq: string | null; now: number }) =>
      s.saveState.run(v),
    isRecipient: (messageId: string, address: string) => s.isRecipient.get(messageId, address) !== undefined,
    expired: (mailboxId: string, filedBefore: number, limit: number) => s.expired.all(mailboxId, filedBefore, limit) as PlacementRow[],
    /** Mark overdue messages `missing` (with an event); returns them for the live stream. */
    markMissing: sqlite.transaction((cutoff: number, floor: number, now: number) => {
      const rows = s.unseen.all({ cutoff, floor }) as { messageId: string; workspace: string; sender: string; recipient: string; mailbox: string }[];
      for (const r of rows) {
        if (s.missing.run({ messageId: r.messageId, workspace: r.workspace, recipient: r.recipient, mailbox: r.mailbox, now }).changes === 0) continue;
        s.event.run(r.messageId, r.workspace, now, 'placement', JSON.stringify({ recipient: r.recipient, placement: 'missing' }));
      }
      return rows;
    }),
    /** Append an event about a message (an action that has no placement of its own). */
    event: (m: MessageRow, type: string, data: object, now: number) => s.event.run(m.id, m.workspace_id, now, type, JSON.stringify(data)),
    due: (mailboxId: string, now: number, limit: number) => s.due.all(mailboxId, now, limit) as PlacementRow[],
    message: (id: string) => s.message.get(id) as MessageRow | undefined,
    content: (id: string) => s.content.get(id) as ContentRow | undefined,
    /** Save what an engagement step did (columns of the placement) and its event, together. */
    engaged: sqlite.transaction((p: PlacementRow, changes: Partial<PlacementRow>, event: { type: string; data: object } | null, now: number) => {
      const cols = Object.keys(changes);
      const set = [...cols.map((c) => `${c} = @${c}`), 'updated_at = @now'].join(', ');
      sqlite.prepare(`UPDATE message_placements SET ${set} WHERE message_id = @messageId AND recipient = @recipient`).run({ ...changes, now, messageId: p.message_id, recipient: p.recipient });
      if (event) s.event.run(p.message_id, p.workspace_id, now, event.type, JSON.stringify({ recipient: p.recipient, ...event.data }));
    }),
    /** Record a sighting; true when it is the first one (a new placement, with its event). */
    place: sqlite.transaction(
      (
        m: MessageRow,
        v: { recipient: string; mailbox: string; placement: Placement; folder: string; uidvalidity: string; uid: number; now: number; plan: string; engageAfter: number | null },
      ) => {
        const before = s.placed.get(m.id, v.recipient) as { placement: string } | undefined;
        const existed = before !== undefined && before.placement !== 'missing';
        s.place.run({ messageId: m.id, workspace: m.workspace_id, ...v });
        // Seen in the recipient's mailbox: delivered, whatever a soft bounce said before.
        if (!existed) outcomes.record({ messageId: m.id, recipient: v.recipient, state: 'delivered', status: null, diagnostic: null, now: v.now });
        if (!existed) s.event.run(m.id, m.workspace_id, v.now, 'placement', JSON.stringify({ recipient: v.recipient, placement: v.placement, folder: v.folder }));
        return !existed;
      },
    ),
  };
}
export type FeedbackStore = ReturnType<typeof feedbackStore>;

