import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/connection';
import { migrateToLatest } from '../../electron/core/db/migrate';
import { engagementConsent } from '../../electron/core/feedback/consent';
import { defaultEngagement, drawPlan } from '../../electron/core/feedback/plan';
import type { MailboxRow, MessageRow } from '../../electron/core/db/schema';
import { tempDataDir } from '../helpers/kiln';

// Who may be engaged with: warmup mail and replies in warmup threads always; other Kiln mail only
// with the receiving workspace's consent and only within that workspace; placement copies never
// get more than filing, whatever the rates.

const receiver = { workspace_id: 'ws-a' } as MailboxRow;
const msg = (o: Partial<MessageRow>) => ({ workspace_id: 'ws-a', kind: 'api', in_reply_to: null, ...o }) as MessageRow;

describe('engagement consent', () => {
  it('engages warmup threads always, other mail only with its own workspace consent', async () => {
    const db = openDatabase(tempDataDir());
    await migrateToLatest(db);
    db.sqlite.pragma('foreign_keys = OFF');
    db.sqlite
      .prepare(`INSERT INTO messages (id, workspace_id, mailbox_id, kind, status, message_id, from_addr, subject, created_at, updated_at) VALUES ('w1', 'ws-b', 'mb', 'warmup', 'sent', '<w1@x>', 'a@x', 's', 1, 1)`)
      .run();
    const allowed = new Set<string>();
    const may = engagementConsent(db.sqlite, (ws) => allowed.has(ws));

    expect(may(msg({ kind: 'warmup', workspace_id: 'ws-b' }), receiver)).toBe(true);
    expect(may(msg({ kind: 'reply', workspace_id: 'ws-b', in_reply_to: '<w1@x>' }), receiver)).toBe(true);
    expect(may(msg({ kind: 'reply', in_reply_to: '<api@x>' }), receiver)).toBe(false);
    expect(may(msg({ kind: 'api' }), receiver)).toBe(false);
    expect(may(msg({ kind: 'placement' }), receiver)).toBe(false);

    allowed.add('ws-a');
    expect(may(msg({ kind: 'api' }), receiver)).toBe(true);
    expect(may(msg({ kind: 'reply', in_reply_to: '<api@x>' }), receiver)).toBe(true);
    // Another workspace's API mail stays untouched, whatever this workspace allows.
    expect(may(msg({ kind: 'api', workspace_id: 'ws-b' }), receiver)).toBe(false);
    await db.close();
  });

  it('never rescues, opens, flags or answers a placement-test copy, even at 100 %', () => {
    const all = { ...defaultEngagement, rescue: 1, open: 1, flag: 1, reply: 1 };
    expect(drawPlan(all, 'spam', 'placement', () => 0)).toEqual({ rescue: false, open: false, flag: false, reply: false, file: null });
  });
});
