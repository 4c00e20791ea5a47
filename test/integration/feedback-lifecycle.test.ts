import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addMailHubUser } from '../helpers/mailhub';
import { startTestCore, type TestCore } from '../helpers/core';
import { startFaultServer, type FaultServer } from '../helpers/fault-smtp';
import { hubAccount, uniqueUser } from '../helpers/imap';
import { waitFor } from '../helpers/wait';

// Filing, retention and `missing` against the real hub, with the core's clock moved by hand.

const hub = inject('mailhub');
const sender = uniqueUser('life-s');
const receiver = uniqueUser('life-r');
const HOUR = 3_600_000;
let k: TestCore;
let blackhole: FaultServer;
let senderId: string;
let receiverId: string;


async function inFolder(folder: string, messageId: string, who = receiver): Promise<number> {
  const c = new ImapFlow({ host: '127.0.0.1', port: hub.ports.imap, secure: false, doSTARTTLS: true, tls: { ca: [hub.caCert] }, auth: { user: who.address, pass: who.password }, logger: false });
  await c.connect();
  try {
    const lock = await c.getMailboxLock(folder);
    try {
      return ((await c.search({ header: { 'message-id': messageId } }, { uid: true })) || []).length;
    } finally {
      lock.release();
    }
  } finally {
    await c.logout().catch(() => c.close());
  }
}

beforeAll(async () => {
  await addMailHubUser(hub, sender.address, sender.password);
  await addMailHubUser(hub, receiver.address, receiver.password);
  // Accepts everything and delivers nothing: what a silently dropping provider looks like.
  blackhole = await startFaultServer({ user: 'drop@warm.test', pass: 'drop-pw' });
  k = await startTestCore({
    ca: [hub.caCert],
    feedbackPollMs: 300,
    engagement: { rescue: 1, open: 1, flag: 0, reply: 0, filing: { mode: 'folder', folder: 'Kiln' }, dwellMs: [0, 0], retentionMs: 2 * HOUR, missingAfterMs: HOUR },
  });
  senderId = (await k.call('mailboxes.create', { email: sender.address, provider: 'custom', ...hubAccount(hub, sender) })).id;
  receiverId = (await k.call('mailboxes.create', { email: receiver.address, provider: 'custom', ...hubAccount(hub, receiver) })).id;
  // The API mail below stands in for any engaged mail: the workspace allows engagement with it.
  await k.call('preferences.update', { engagement: { otherKilnMail: true } });
});
afterAll(async () => {
  await k?.core.close(5000);
  await blackhole?.close();
});

describe('feedback lifecycle', () => {
  it('files engaged mail into its folder, then deletes it after the retention period', async () => {
    const sent = await k.call('messages.send', { mailboxId: senderId, to: [receiver.address], subject: 'Catch up next week', text: 'Coffee?' });
    const filed = await waitFor(async () => (await k.call('messages.get', { id: sent.id })).placements.find((p) => p.filedAt), { timeoutMs: 15_000, what: 'filing' });
    expect(filed).toMatchObject({ placement: 'inbox', folder: 'Kiln' });
    expect(await inFolder('Kiln', sent.messageId)).toBe(1);
    expect(await inFolder('INBOX', sent.messageId)).toBe(0);

    // The sender's own copy in Sent (Postfix saves none, so put it there as a client would) is filed too.
    const copy = new ImapFlow({ host: '127.0.0.1', port: hub.ports.imap, secure: false, doSTARTTLS: true, tls: { ca: [hub.caCert] }, auth: { user: sender.address, pass: sender.password }, logger: false });
    await copy.connect();
    const ref = k.core.services.db.sqlite.prepare('SELECT ref FROM messages WHERE id = ?').pluck().get(sent.id) as string;
    await copy.append('Sent', `From: ${sender.address}\r\nTo: ${receiver.address}\r\nSubject: Catch up next week\r\nMessage-ID: ${sent.messageId}\r\nX-Entity-Ref-ID: ${ref}\r\n\r\nCoffee?\r\n`);
    await copy.logout();
    await waitFor(async () => (await k.call('messages.get', { id: sent.id })).events.some((e) => e.type === 'sent_filed'), { timeoutMs: 15_000, what: 'the Sent copy to be filed' });
    expect(await inFolder('Kiln', sent.messageId, sender)).toBe(1);
    expect(await inFolder('Sent', sent.messageId, sender)).toBe(0);

    k.clock.advance(3 * HOUR);
    k.core.services.feedback!.nudge(receiverId);
    const gone = await waitFor(async () => {
      const m = await k.call('messages.get', { id: sent.id });
      return m.events.some((e) => e.type === 'removed') ? m : undefined;
    }, { timeoutMs: 15_000, what: 'retention removal' });
    expect(gone.events.filter((e) => e.type === 'removed')).toHaveLength(1);
    expect(await inFolder('Kiln', sent.messageId)).toBe(0);
  });

  it('marks mail never seen by a readable recipient as missing, and corrects it if it turns up', async () => {
    const dropper = await k.call('mailboxes.create', {
      email: 'drop@warm.test',
      provider: 'custom',
      smtp: { host: '127.0.0.1', port: blackhole.port, security: 'none', user: 'drop@warm.test', password: 'drop-pw' },
    });
    const lost = await k.call('messages.send', { mailboxId: dropper.id, to: [receiver.address], subject: 'Lost in transit', text: 'x' });
    await k.waitStatus(lost.id, ['sent']);
    expect(k.core.services.feedback!.sweep()).toBe(0); // not overdue yet
    k.clock.advance(2 * HOUR);
    expect(k.core.services.feedback!.sweep()).toBe(1);
    expect(k.core.services.feedback!.sweep()).toBe(0); // once
    const m = await k.call('messages.get', { id: lost.id });
    expect(m.placements).toEqual([expect.objectContaining({ recipient: receiver.address, placement: 'missing', seenAt: null })]);

    // Late delivery: the blackhole's copy is handed to the hub by hand; the watcher corrects it.
    const raw = blackhole.delivered.find((d) => d.messageId === lost.messageId)!.raw;
    const c = new ImapFlow({ host: '127.0.0.1', port: hub.ports.imap, secure: false, doSTARTTLS: true, tls: { ca: [hub.caCert] }, auth: { user: receiver.address, pass: receiver.password }, logger: false });
    await c.connect();
    await c.append('INBOX', raw);
    await c.logout();
    const late = await waitFor(async () => (await k.call('messages.get', { id: lost.id })).placements.find((p) => p.placement === 'inbox'), { timeoutMs: 15_000, what: 'late placement' });
    expect(late.seenAt).not.toBeNull();
  });

  it('keeps the IMAP session through updates that do not touch IMAP, and reconnects when the IMAP password changes', async () => {
    const first = await waitFor(() => k.core.services.feedback!.watcher(receiverId), { what: 'the receiver watcher' });
    // Kiln's own kind of update (a display name, the SMTP side) keeps the same session.
    await k.call('mailboxes.update', { id: receiverId, displayName: 'Receiver' });
    await k.call('mailboxes.update', { id: receiverId, smtp: { port: hub.ports.submission } });
    await k.core.services.feedback!.settled();
    expect(k.core.services.feedback!.watcher(receiverId)).toBe(first);
    // The same password typed again is no change either; a new one is.
    await k.call('mailboxes.update', { id: receiverId, imap: { password: receiver.password } });
    await k.core.services.feedback!.settled();
    expect(k.core.services.feedback!.watcher(receiverId)).toBe(first);
    await k.call('mailboxes.update', { id: receiverId, imap: { password: 'a-new-wrong-password' } });
    await k.core.services.feedback!.settled();
    expect(k.core.services.feedback!.watcher(receiverId)).not.toBe(first);
    await k.call('mailboxes.update', { id: receiverId, imap: { password: receiver.password } });
  });
});
