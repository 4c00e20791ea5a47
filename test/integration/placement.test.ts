import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addMailHubUser } from '../helpers/mailhub';
import { startTestCore, type TestCore } from '../helpers/core';
import { hubAccount, uniqueUser } from '../helpers/imap';
import { waitFor } from '../helpers/wait';

// The feedback loop against the real hub: Kiln sends from one of its mailboxes to another, the
// hub's Sieve files one message into Junk, and the receiving mailbox's IMAP watcher reports
// where each landed.

const hub = inject('mailhub');
const sender = uniqueUser('placer');
const receiver = uniqueUser('placee');
let k: TestCore;
let senderId: string;
let receiverId: string;


beforeAll(async () => {
  await addMailHubUser(hub, sender.address, sender.password);
  await addMailHubUser(hub, receiver.address, receiver.password);
  k = await startTestCore({ ca: [hub.caCert], feedbackPollMs: 300 });
  senderId = (await k.call('mailboxes.create', { email: sender.address, provider: 'custom', ...hubAccount(hub, sender) })).id;
  receiverId = (await k.call('mailboxes.create', { email: receiver.address, provider: 'custom', ...hubAccount(hub, receiver) })).id;
});
afterAll(async () => {
  await k?.core.close(5000);
});

async function placementOf(id: string) {
  return waitFor(
    async () => {
      const m = await k.call('messages.get', { id });
      return m.placements[0];
    },
    { timeoutMs: 15_000, what: `a placement for ${id}` },
  );
}

describe('placement', () => {
  it('reports inbox and spam for Kiln mail, once each, and ignores mail Kiln did not send', async () => {
    const inbox = await k.call('messages.send', { mailboxId: senderId, to: [receiver.address], subject: 'Lunch on Thursday?', text: 'Are you free?' });
    const spam = await k.call('messages.send', { mailboxId: senderId, to: [receiver.address], subject: '[SPAMTEST] Quarterly notes', text: 'See below.' });

    const p1 = await placementOf(inbox.id);
    expect(p1).toMatchObject({ recipient: receiver.address, mailboxId: receiverId, placement: 'inbox', folder: 'INBOX' });
    expect(p1.seenAt).not.toBeNull();
    const p2 = await placementOf(spam.id);
    expect(p2).toMatchObject({ recipient: receiver.address, placement: 'spam', folder: 'Junk' });

    // More rounds change nothing: one placement and one placement event per message.
    const watcher = k.core.services.feedback!.watcher(receiverId)!;
    const rounds = watcher.rounds;
    await waitFor(() => watcher.rounds >= rounds + 2, { what: 'two more poll rounds' });
    for (const id of [inbox.id, spam.id]) {
      const m = await k.call('messages.get', { id });
      expect(m.placements).toHaveLength(1);
      expect(m.events.filter((e) => e.type === 'placement')).toHaveLength(1);
    }
    // Mail from outside Kiln, even with a token-shaped header Kiln never issued, is left alone.
    const outsider = nodemailer.createTransport({ host: '127.0.0.1', port: hub.ports.smtp, secure: false, tls: { ca: [hub.caCert] } });
    await outsider.sendMail({ from: 'someone@other.test', to: receiver.address, subject: 'Not from Kiln', text: 'hi' });
    await outsider.sendMail({ from: 'someone@other.test', to: receiver.address, subject: 'Forged', text: 'hi', headers: { 'X-Entity-Ref-ID': 'f'.repeat(32) } });
    const inboxUid = () => (k.core.services.db.sqlite.prepare("SELECT last_uid FROM imap_folder_state WHERE mailbox_id = ? AND folder = 'INBOX'").get(receiverId) as { last_uid: number }).last_uid;
    const before = inboxUid();
    await waitFor(() => inboxUid() >= before + 2, { what: 'the watcher to read past the outside mail' });
    const total = k.core.services.db.sqlite.prepare('SELECT count(*) AS n FROM message_placements').get() as { n: number };
    expect(total.n).toBe(2);
    // The sender's own mailbox holds no Kiln mail addressed to it: nothing recorded there.
    const rows = k.core.services.db.sqlite.prepare('SELECT count(*) AS n FROM message_placements WHERE mailbox_id = ?').get(senderId) as { n: number };
    expect(rows.n).toBe(0);
    // The received copy's headers taught the domain checks about the sender (once for both messages):
    // its envelope domain, from the Return-Path the receiving server wrote, and how the copy entered
    // that server (here an authenticated submission on the same server: no evidence of MX-to-MX TLS).
    const facts = k.core.services.db.sqlite.prepare("SELECT kind, value, source FROM auth_facts WHERE mailbox_id = ? AND domain = 'warm.test' ORDER BY kind").all(senderId);
    expect(facts).toEqual([
      { kind: 'envelope_domain', value: 'warm.test', source: 'headers' },
      { kind: 'transport', value: 'ESMTPSA', source: 'headers' },
    ]);
  });

  it('keeps its read position per folder and resyncs cleanly when the folder is recreated (new UIDVALIDITY)', async () => {
    const sqlite = k.core.services.db.sqlite;
    const state = sqlite.prepare('SELECT * FROM imap_folder_state WHERE mailbox_id = ? ORDER BY folder').all(receiverId) as { folder: string; role: string; last_uid: number; uidvalidity: string }[];
    expect(state.map((s) => [s.folder, s.role])).toEqual([['INBOX', 'inbox'], ['Junk', 'spam'], ['Sent', 'sent']]);
    expect(state.filter((s) => s.role !== 'sent').every((s) => s.last_uid >= 1)).toBe(true);
    const junkBefore = state.find((s) => s.folder === 'Junk')!.uidvalidity;

    // On the server: save Junk's messages, delete the folder, create it again, put them back.
    const c = new ImapFlow({ host: '127.0.0.1', port: hub.ports.imap, secure: false, doSTARTTLS: true, tls: { ca: [hub.caCert] }, auth: { user: receiver.address, pass: receiver.password }, logger: false });
    await c.connect();
    const sources: Buffer[] = [];
    const lock = await c.getMailboxLock('Junk');
    try {
      for await (const m of c.fetch('1:*', { source: true })) if (m.source) sources.push(m.source);
    } finally {
      lock.release();
    }
    await c.mailboxDelete('Junk');
    await c.mailboxCreate('Junk');
    for (const src of sources) await c.append('Junk', src);
    await c.logout();

    const junkNow = () => (sqlite.prepare("SELECT uidvalidity FROM imap_folder_state WHERE mailbox_id = ? AND folder = 'Junk'").get(receiverId) as { uidvalidity: string }).uidvalidity;
    await waitFor(() => junkNow() !== junkBefore, { what: 'the watcher to notice the new UIDVALIDITY' });
    const count = sqlite.prepare('SELECT count(*) AS n FROM message_placements WHERE mailbox_id = ?').get(receiverId) as { n: number };
    expect(count.n).toBe(2);
    const events = sqlite.prepare("SELECT count(*) AS n FROM message_events WHERE type = 'placement'").get() as { n: number };
    expect(events.n).toBe(2);
  });
});
