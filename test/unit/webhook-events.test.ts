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
