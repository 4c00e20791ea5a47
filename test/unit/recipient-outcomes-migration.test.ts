import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/connection';
import { migrations } from '../../electron/core/db/migrations';
import { tempDataDir } from '../helpers/kiln';

// Migration 013 reads the reports already recorded back into per-recipient outcomes, and makes the
// stored statuses follow the rule: bounced exactly when no recipient got the message.

describe('migration 013: recipient outcomes', () => {
  it('backfills outcomes from events and placements, and the bounced status from them', async () => {
    const db = openDatabase(tempDataDir());
    db.sqlite.pragma('foreign_keys = OFF');
    const names = Object.keys(migrations);
    const at = names.indexOf('2026-12-04-013-recipient-outcomes');
    for (const name of names.slice(0, at)) await migrations[name]!.up(db.kysely as never);

    const msg = db.sqlite.prepare(
      `INSERT INTO messages (id, workspace_id, mailbox_id, kind, status, message_id, from_addr, subject, created_at, updated_at, sent_at)
       VALUES (?, 'ws', 'mb', 'api', ?, ?, 's@warm.test', 'x', 1, 1, 1)`,
    );
    const rcpt = db.sqlite.prepare(`INSERT INTO message_recipients (message_id, kind, address, status) VALUES (?, 'to', ?, 'accepted')`);
    const event = db.sqlite.prepare(`INSERT INTO message_events (message_id, workspace_id, at, type, data) VALUES (?, 'ws', ?, ?, ?)`);
    // Policy-rejected, only recipient: was left "sent".
    msg.run('m1', 'sent', '<m1@warm.test>');
    rcpt.run('m1', 'p@elsewhere.example');
    event.run('m1', 10, 'sender_rejected', JSON.stringify({ recipient: 'p@elsewhere.example', status: '5.7.1', diagnostic: 'policy' }));
    // One of two bounced, the other seen in its mailbox: was marked "bounced" for the whole message.
    msg.run('m2', 'bounced', '<m2@warm.test>');
    rcpt.run('m2', 'ghost@warm.test');
    rcpt.run('m2', 'reader@other.test');
    event.run('m2', 20, 'bounced', JSON.stringify({ recipient: 'ghost@warm.test', status: '5.1.1', diagnostic: 'unknown' }));
    db.sqlite
      .prepare(`INSERT INTO message_placements (message_id, recipient, workspace_id, mailbox_id, placement, seen_at, updated_at) VALUES ('m2', 'reader@other.test', 'ws', 'mb2', 'inbox', 30, 30)`)
      .run();
    // A delay, then a complaint: the complaint wins.
    msg.run('m3', 'complained', '<m3@warm.test>');
    rcpt.run('m3', 'c@other.test');
    event.run('m3', 40, 'soft_bounce', JSON.stringify({ recipient: 'c@other.test', status: '4.2.2', diagnostic: 'full' }));
    event.run('m3', 50, 'complained', JSON.stringify({ recipient: 'c@other.test', feedbackType: 'abuse' }));

    await migrations['2026-12-04-013-recipient-outcomes']!.up(db.kysely as never);
    const rows = db.sqlite.prepare('SELECT message_id, address, outcome, outcome_status, outcome_at FROM message_recipients ORDER BY message_id, address').all();
    expect(rows).toEqual([
      { message_id: 'm1', address: 'p@elsewhere.example', outcome: 'bounced', outcome_status: '5.7.1', outcome_at: 10 },
      { message_id: 'm2', address: 'ghost@warm.test', outcome: 'bounced', outcome_status: '5.1.1', outcome_at: 20 },
      { message_id: 'm2', address: 'reader@other.test', outcome: 'delivered', outcome_status: null, outcome_at: 30 },
      { message_id: 'm3', address: 'c@other.test', outcome: 'complained', outcome_status: null, outcome_at: 50 },
    ]);
    const status = db.sqlite.prepare('SELECT id, status FROM messages ORDER BY id').all();
    expect(status).toEqual([
      { id: 'm1', status: 'bounced' },
      { id: 'm2', status: 'sent' },
      { id: 'm3', status: 'complained' },
    ]);
    await db.close();
  });
});
