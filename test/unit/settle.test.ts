import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/core/db/connection';
import { migrateToLatest } from '../../electron/core/db/migrate';
import { ManualClock } from '../../electron/core/clock';
import { settlementOutcome, Settler, type Place } from '../../electron/core/sending/settle';
import type { SearchResult } from '../../electron/core/sending/settle-search';
import type { MailboxRow, MessageRow } from '../../electron/core/db/schema';
import type { FolderRole } from '../../electron/core/mail/imap';
import { tempDataDir } from '../helpers/kiln';
import { waitFor } from '../helpers/wait';

// settle.ts decides what an interrupted send comes to. The searches are a fake here (the IMAP
// side is proven against the hub in interrupted-sends.test.ts); the grace period runs on a
// manual clock.

let db: Db | null = null;
afterEach(async () => {
  await db?.close();
  db = null;
});

async function setup(opts: { rcptImap?: boolean; senderHost?: string; senderProvider?: string } = {}) {
  db = openDatabase(tempDataDir('kiln-settle'));
  await migrateToLatest(db);
  db.sqlite.pragma('foreign_keys = OFF');
  const mb = db.sqlite.prepare(
    `INSERT INTO mailboxes (id, workspace_id, email, provider, smtp_host, smtp_port, smtp_security, smtp_user, smtp_secret_ref,
       imap_host, imap_port, imap_security, imap_user, imap_secret_ref, allow_insecure, status, time_zone, created_at, updated_at)
     VALUES (?, 'ws', ?, ?, 'smtp.x', 587, 'starttls', ?, 'ref', ?, 993, 'tls', ?, ?, 0, 'active', 'UTC', 1, 1)`,
  );
  mb.run('sender', 'from@a.test', opts.senderProvider ?? 'custom', 'from@a.test', opts.senderHost ?? null, 'from@a.test', opts.senderHost ? 'iref' : null);
  mb.run('rcpt', 'To@B.test', 'custom', 'to@b.test', opts.rcptImap === false ? null : 'imap.b.test', 'to@b.test', opts.rcptImap === false ? null : 'iref2');
  db.sqlite
    .prepare(`INSERT INTO messages (id, workspace_id, mailbox_id, kind, status, attempts, message_id, from_addr, subject, created_at, updated_at) VALUES ('m1', 'ws', 'sender', 'api', 'sending', 1, '<m1@a.test>', 'from@a.test', 's', 1, 1000)`)
    .run();
  db.sqlite.prepare(`INSERT INTO message_recipients (message_id, kind, address, status) VALUES ('m1', 'cc', 'to@b.test', 'pending'), ('m1', 'to', 'far@c.test', 'pending')`).run();
  return db.sqlite.prepare(`SELECT * FROM messages WHERE id = 'm1'`).get() as MessageRow;
}

function settler(answers: (mb: MailboxRow, roles: FolderRole[]) => SearchResult) {
  const clock = new ManualClock(1000);
  const searches: string[] = [];
  const s = new Settler(
    {
      clock,
      sqlite: db!.sqlite,
      search: async (mb, _id, roles) => {
        searches.push(`${mb.email}:${roles.join('+')}`);
        return answers(mb, roles);
      },
    },
    { graceMs: 60_000, pollMs: 5 },
  );
  return { s, clock, searches };
}

describe('settling interrupted sends', () => {
  it('finds the readable places: a recipient Kiln reads (any case), the Sent folder only where the provider files there', async () => {
    const m = await setup({ senderHost: 'imap.gmail.com', senderProvider: 'gmail' });
    const places = settler(() => ({ found: null })).s.places(m);
    expect(places.map((p: Place) => [p.mailbox.id, p.as, p.roles])).toEqual([
      ['rcpt', 'recipient', ['inbox', 'spam', 'other']],
      ['sender', 'sender', ['sent']],
    ]);
  });

  it('nothing readable: no places, so the dispatcher fails it as SEND_INTERRUPTED', async () => {
    const m = await setup({ rcptImap: false, senderHost: 'mail.example.test' });
    // A custom provider does not file submitted mail in Sent, so the sender is no place either.
    expect(settler(() => ({ found: null })).s.places(m)).toEqual([]);
    const o = settlementOutcome(m, { kind: 'unreadable' }, 2000);
    expect(o).toMatchObject({ status: 'failed', error: { code: 'SEND_INTERRUPTED' } });
  });

  it('found: sent, the recipient accepted, the evidence (where, when) as an event', async () => {
    const m = await setup();
    const { s, clock } = settler(() => ({ found: { mailbox: 'To@B.test', folder: 'Junk', role: 'spam' } }));
    clock.set(5000);
    const r = await s.settle(m, s.places(m), 1000);
    const o = settlementOutcome(m, r as Exclude<typeof r, { kind: 'stopped' }>, 6000);
    expect(o.status).toBe('sent');
    expect(o.recipients).toEqual([expect.objectContaining({ kind: 'cc', address: 'to@b.test', status: 'accepted' })]);
    expect(o.events).toEqual([
      { type: 'settled', data: { attempt: 1, foundIn: 'recipient_mailbox', mailbox: 'To@B.test', folder: 'Junk', role: 'spam', at: new Date(5000).toISOString() } },
    ]);
  });

  it('not found: keeps looking through the grace period, then resends once; a second time it fails', async () => {
    const m = await setup();
    const { s, clock, searches } = settler(() => ({ found: null }));
    let result: unknown = null;
    void s.settle(m, s.places(m), 1000).then((r) => (result = r));
    await waitFor(() => searches.length >= 3, { what: 'repeated searches' });
    expect(result).toBeNull(); // still inside the grace period
    clock.advance(60_000);
    await waitFor(() => result, { what: 'the settlement' });
    expect(result).toEqual({ kind: 'resend', searched: ['To@B.test (inbox, spam, other)'] });
    const o = settlementOutcome(m, result as never, 70_000);
    expect(o).toMatchObject({ status: 'queued', next: 70_000, error: null, events: [{ type: 'resending' }] });

    db!.sqlite.prepare(`INSERT INTO message_events (message_id, workspace_id, at, type, data) VALUES ('m1', 'ws', 1, 'resending', '{}')`).run();
    expect(await s.settle(m, s.places(m), 0)).toEqual({ kind: 'exhausted' });
    expect(settlementOutcome(m, { kind: 'exhausted' }, 1)).toMatchObject({ status: 'failed', error: { code: 'SEND_INTERRUPTED' } });
  });

  it('not found, but the sending mailbox was deleted meanwhile: failed, never queued behind a mailbox that sends nothing', async () => {
    const m = await setup();
    db!.sqlite.prepare(`UPDATE mailboxes SET deleted_at = 5 WHERE id = 'sender'`).run();
    const { s } = settler(() => ({ found: null }));
    expect(await s.settle(m, s.places(m), -60_000)).toEqual({ kind: 'sender_gone' });
    expect(settlementOutcome(m, { kind: 'sender_gone' }, 1)).toMatchObject({ status: 'failed', error: { code: 'SEND_INTERRUPTED' } });
  });

  it('a mailbox that cannot be read right now proves nothing: unreadable, never a resend', async () => {
    const m = await setup();
    const { s } = settler(() => ({ error: 'ECONNREFUSED' }));
    expect(await s.settle(m, s.places(m), -60_000)).toEqual({ kind: 'unreadable' });
  });

  it('stop ends a settlement without a verdict (the message stays sending for the next start)', async () => {
    const m = await setup();
    const { s, searches } = settler(() => ({ found: null }));
    const p = s.settle(m, s.places(m), 1000);
    await waitFor(() => searches.length >= 1);
    s.stop();
    expect(await p).toEqual({ kind: 'stopped' });
  });
});
