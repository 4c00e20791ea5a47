import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/connection';
import { migrateToLatest } from '../../electron/core/db/migrate';
import { webhookEvents, webhookTypeOf } from '../../electron/core/webhooks/events';
import type { PushEvent } from '../../shared/api/events';
import type { WarmupStatus } from '../../shared/domain/warmup';
import { tempDataDir } from '../helpers/kiln';

const updated = (event: string): PushEvent => ({ workspaceId: 'ws', name: 'message.updated', data: { id: 'msg_1', mailboxId: 'mbx_1', status: 'sent', event } });
const warmup = (state: WarmupStatus['state'], reason: string | null = null): PushEvent =>
  ({ workspaceId: 'ws', name: 'warmup.updated', data: { mailboxId: 'mbx_1', state, reason, reasonCode: null, until: null } as unknown as WarmupStatus }) as PushEvent;

describe('webhook events from bus events', () => {
  it('maps message outcomes and placements; queueing, sending and retries are no webhook event', () => {
    expect(['queued', 'sending', 'retry_scheduled', 'soft_bounce', 'auto_reply', 'not_spam'].map((e) => webhookTypeOf(updated(e)))).toEqual([null, null, null, null, null, null]);
    expect(['sent', 'settled', 'failed', 'bounced', 'sender_rejected', 'complained', 'replied'].map((e) => webhookTypeOf(updated(e)))).toEqual([
      'message.sent', 'message.sent', 'message.failed', 'message.bounced', 'message.bounced', 'message.complained', 'message.replied',
    ]);
    expect(['placement:inbox', 'placement:spam', 'placement:other', 'placement:missing'].map((e) => webhookTypeOf(updated(e)))).toEqual(Array(4).fill('message.placed'));
  });

  it('message.placed names the recipient the bus event is about, with its own folder, when several are placed at once', async () => {
    const db = openDatabase(tempDataDir());
    await migrateToLatest(db);
    db.sqlite.pragma('foreign_keys = OFF');
    db.sqlite
      .prepare(`INSERT INTO messages (id, workspace_id, mailbox_id, kind, status, message_id, from_addr, subject, created_at, updated_at) VALUES ('msg_1', 'ws', 'mbx_1', 'api', 'sent', '<m1@x>', 'a@x', 's', 1, 1)`)
      .run();
    const place = db.sqlite.prepare(`INSERT INTO message_placements (message_id, recipient, workspace_id, mailbox_id, placement, folder, updated_at) VALUES ('msg_1', ?, 'ws', ?, ?, ?, 5)`);
    // Same round, same millisecond.
    place.run('b@x', 'mbx_b', 'spam', 'Junk');
    place.run('c@x', 'mbx_c', 'spam', 'Spam');
    const toEvent = webhookEvents(db);
    const placed = (recipient: string) => ({ ...updated('placement:spam'), data: { ...updated('placement:spam').data, recipient } }) as PushEvent;
    expect(toEvent(placed('b@x'), 'message.placed')?.data).toMatchObject({ placement: 'spam', recipient: 'b@x', folder: 'Junk' });
    expect(toEvent(placed('c@x'), 'message.placed')?.data).toMatchObject({ placement: 'spam', recipient: 'c@x', folder: 'Spam' });
    const replied = { ...updated('replied'), data: { ...updated('replied').data, recipient: 'c@x' } } as PushEvent;
    expect(toEvent(replied, 'message.replied')?.data).toMatchObject({ recipient: 'c@x' });
    await db.close();
  });

  it('message.bounced lists every recipient one DSN bounced, not only the last recorded', async () => {
    const db = openDatabase(tempDataDir());
    await migrateToLatest(db);
    db.sqlite.pragma('foreign_keys = OFF');
    db.sqlite
      .prepare(`INSERT INTO messages (id, workspace_id, mailbox_id, kind, status, message_id, from_addr, subject, created_at, updated_at) VALUES ('msg_1', 'ws', 'mbx_1', 'api', 'bounced', '<m1@x>', 'a@x', 's', 1, 1)`)
      .run();
    const event = db.sqlite.prepare(`INSERT INTO message_events (message_id, workspace_id, at, type, data) VALUES ('msg_1', 'ws', 5, ?, ?)`);
    // An earlier report, then one DSN naming two recipients (one event each, as the feedback loop records them).
    event.run('bounced', JSON.stringify({ report: '<old@mta>', recipient: 'a@x', status: '5.1.1', diagnostic: 'gone', type: 'hard' }));
    event.run('bounced', JSON.stringify({ report: '<dsn@mta>', recipient: 'b@x', status: '5.1.1', diagnostic: 'no such user', type: 'hard' }));
    event.run('sender_rejected', JSON.stringify({ report: '<dsn@mta>', recipient: 'c@x', status: '5.7.1', diagnostic: 'policy', type: 'sender' }));
    const data = webhookEvents(db)(updated('bounced'), 'message.bounced')?.data;
    expect(data).toMatchObject({ recipient: 'b@x', dsnStatus: '5.1.1', bounceType: 'hard' });
    expect((data as { bounces: unknown[] }).bounces).toEqual([
      { recipient: 'b@x', bounceType: 'hard', dsnStatus: '5.1.1', diagnostic: 'no such user' },
      { recipient: 'c@x', bounceType: 'sender', dsnStatus: '5.7.1', diagnostic: 'policy' },
    ]);
    await db.close();
  });

  it('warmup.stateChanged only when the closed-loop state really changes, not for a new warmup or a new reason', async () => {
    const db = openDatabase(tempDataDir());
    await migrateToLatest(db);
    const toEvent = webhookEvents(db);
    const seen = [warmup('warming'), warmup('warming'), warmup('throttled', 'spam 4 %'), warmup('throttled', 'spam 5 %'), warmup('paused', 'bounces'), warmup('warming')].map((e) => toEvent(e, 'warmup.stateChanged'));
    expect(seen.map((e) => (e ? `${(e.data as { from: string }).from}->${(e.data as { to: string }).to}` : null))).toEqual([null, null, 'warming->throttled', null, 'throttled->paused', 'paused->warming']);
    expect(seen[2]).toMatchObject({ type: 'warmup.stateChanged', orderKey: 'warmup:mbx_1', data: { mailboxId: 'mbx_1', reason: 'spam 4 %' } });
    await db.close();
  });
});
