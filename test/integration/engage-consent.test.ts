import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addMailHubUser } from '../helpers/mailhub';
import { startTestCore, type TestCore } from '../helpers/core';
import { hubAccount, uniqueUser } from '../helpers/imap';
import { waitFor } from '../helpers/wait';
import type { MessageWithEvents } from '../../shared/domain/message';

// Kiln engages only with warmup mail unless the workspace allows more: an API message between two
// pool mailboxes is placed (where it landed is recorded) but never rescued, read, flagged or
// answered — checked on Dovecot itself — while a warmup message between the same two is. With the
// workspace's "other Kiln mail" consent on, the API message is engaged with too.

const hub = inject('mailhub');
const alice = uniqueUser('cns-a');
const bob = uniqueUser('cns-b');
let k: TestCore;
let aliceId: string;
let bobId: string;

beforeAll(async () => {
  await addMailHubUser(hub, alice.address, alice.password);
  await addMailHubUser(hub, bob.address, bob.password);
  // Every rate at 100 % and no dwell: anything Kiln may do, it does in the round that places the mail.
  k = await startTestCore({ ca: [hub.caCert], feedbackPollMs: 300, engagement: { rescue: 1, open: 1, flag: 1, reply: 1, filing: { mode: 'none' }, dwellMs: [0, 0] } });
  aliceId = (await k.call('mailboxes.create', { email: alice.address, provider: 'custom', ...hubAccount(hub, alice) })).id;
  bobId = (await k.call('mailboxes.create', { email: bob.address, provider: 'custom', ...hubAccount(hub, bob) })).id;
});
afterAll(async () => {
  await k?.core.close(5000);
});

/** Placed in bob's mailbox, then two more full rounds of bob's watcher: every due step has run. */
async function placedAndSettled(id: string): Promise<MessageWithEvents> {
  await waitFor(async () => (await k.call('messages.get', { id })).placements[0], { timeoutMs: 20_000, what: `placement of ${id}` });
  const w = k.core.services.feedback!.watcher(bobId)!;
  const rounds = w.rounds;
  w.nudge();
  await waitFor(() => w.rounds >= rounds + 2, { timeoutMs: 10_000, what: 'two more rounds of the receiver' });
  return k.call('messages.get', { id });
}

/** The flags and folder of a message in bob's mailbox, read from Dovecot. */
async function onServer(messageId: string): Promise<{ folder: string; flags: string[] }[]> {
  const c = new ImapFlow({ host: '127.0.0.1', port: hub.ports.imap, secure: false, doSTARTTLS: true, tls: { ca: [hub.caCert] }, auth: { user: bob.address, pass: bob.password }, logger: false });
  await c.connect();
  const found: { folder: string; flags: string[] }[] = [];
  try {
    for (const folder of ['INBOX', 'Junk']) {
      const lock = await c.getMailboxLock(folder);
      try {
        for (const uid of (await c.search({ header: { 'message-id': messageId } }, { uid: true })) || []) {
          const msg = await c.fetchOne(String(uid), { flags: true }, { uid: true });
          found.push({ folder, flags: [...(msg ? (msg.flags ?? []) : [])] });
        }
      } finally {
        lock.release();
      }
    }
  } finally {
    await c.logout().catch(() => c.close());
  }
  return found;
}

const repliesTo = (messageId: string) =>
  (k.core.services.db.sqlite.prepare(`SELECT count(*) AS n FROM messages WHERE kind = 'reply' AND in_reply_to = ?`).get(messageId) as { n: number }).n;

describe('engagement consent', () => {
  it('places an API message between two pool mailboxes but never reads, flags, rescues or answers it', async () => {
    expect((await k.call('preferences.get', {})).engagement).toEqual({ otherKilnMail: false });
    const sent = await k.call('messages.send', { mailboxId: aliceId, to: [bob.address], subject: '[SPAMTEST] Contract draft', text: 'Please review.' });
    const m = await placedAndSettled(sent.id);
    expect(m.placements[0]).toMatchObject({ placement: 'spam', folder: 'Junk', rescuedAt: null, openedAt: null, flaggedAt: null, repliedAt: null, filedAt: null });
    expect(m.events.map((e) => e.type)).not.toEqual(expect.arrayContaining(['opened']));
    expect(repliesTo(sent.messageId)).toBe(0);
    const copies = await onServer(sent.messageId);
    expect(copies).toHaveLength(1);
    expect(copies[0]!.folder).toBe('Junk');
    expect(copies[0]!.flags).not.toContain('\\Seen');
    expect(copies[0]!.flags).not.toContain('\\Flagged');
  });

  it('engages with a warmup message between the same two mailboxes', async () => {
    const sent = await k.core.services.messages.enqueue(k.ctx.workspaceId, { mailboxId: aliceId, to: [bob.address], subject: '[SPAMTEST] Lunch on Friday', text: 'Are you in?' }, 'warmup');
    const m = await placedAndSettled(sent.id);
    expect(m.placements[0]).toMatchObject({ placement: 'spam', folder: 'INBOX' });
    expect(m.placements[0]!.rescuedAt && m.placements[0]!.openedAt && m.placements[0]!.flaggedAt && m.placements[0]!.repliedAt).toBeTruthy();
    expect(repliesTo(sent.messageId)).toBe(1);
    const copies = await onServer(sent.messageId);
    expect(copies).toEqual([{ folder: 'INBOX', flags: expect.arrayContaining(['\\Seen', '\\Flagged']) }]);
  });

  it('engages with an API message once the workspace turns it on', async () => {
    const prefs = await k.call('preferences.update', { engagement: { otherKilnMail: true } });
    expect(prefs.engagement.otherKilnMail).toBe(true);
    const sent = await k.call('messages.send', { mailboxId: aliceId, to: [bob.address], subject: '[SPAMTEST] Invoice 42', text: 'Attached.' });
    const m = await placedAndSettled(sent.id);
    expect(m.placements[0]).toMatchObject({ placement: 'spam', folder: 'INBOX' });
    expect(m.placements[0]!.rescuedAt && m.placements[0]!.openedAt && m.placements[0]!.flaggedAt && m.placements[0]!.repliedAt).toBeTruthy();
    expect(repliesTo(sent.messageId)).toBe(1);
    const copies = await onServer(sent.messageId);
    expect(copies).toEqual([{ folder: 'INBOX', flags: expect.arrayContaining(['\\Seen', '\\Flagged']) }]);
  });

  it('stops steps not yet carried out when the workspace withdraws its consent', async () => {
    // A second core whose dwell is a fixed minute of its manual clock: the plan waits until told.
    const k2 = await startTestCore({ ca: [hub.caCert], feedbackPollMs: 300, engagement: { rescue: 1, open: 1, flag: 1, reply: 1, filing: { mode: 'none' }, dwellMs: [60_000, 60_000] } });
    try {
      const a = uniqueUser('cns-wa');
      const b = uniqueUser('cns-wb');
      for (const u of [a, b]) await addMailHubUser(hub, u.address, u.password);
      const aId = (await k2.call('mailboxes.create', { email: a.address, provider: 'custom', ...hubAccount(hub, a) })).id;
      const bId = (await k2.call('mailboxes.create', { email: b.address, provider: 'custom', ...hubAccount(hub, b) })).id;
      await k2.call('preferences.update', { engagement: { otherKilnMail: true } });
      const sent = await k2.call('messages.send', { mailboxId: aId, to: [b.address], subject: '[SPAMTEST] Offer', text: 'x' });
      await waitFor(async () => (await k2.call('messages.get', { id: sent.id })).placements[0], { timeoutMs: 20_000, what: 'placement' });
      const pending = () => k2.core.services.db.sqlite.prepare('SELECT engage_after FROM message_placements WHERE message_id = ?').pluck().get(sent.id);
      expect(pending()).not.toBeNull(); // planned, waiting for its dwell

      await k2.call('preferences.update', { engagement: { otherKilnMail: false } });
      k2.advance(61_000);
      const w = k2.core.services.feedback!.watcher(bId)!;
      w.nudge();
      await waitFor(() => pending() === null, { timeoutMs: 10_000, what: 'the due plan to be closed' });
      const m = await k2.call('messages.get', { id: sent.id });
      expect(m.placements[0]).toMatchObject({ placement: 'spam', folder: 'Junk', rescuedAt: null, openedAt: null, flaggedAt: null, repliedAt: null });
      expect(k2.core.services.db.sqlite.prepare(`SELECT count(*) FROM messages WHERE kind = 'reply'`).pluck().get()).toBe(0);
    } finally {
      await k2.core.close(5000);
    }
  });
});
