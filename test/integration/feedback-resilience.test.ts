import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addMailHubUser } from '../helpers/mailhub';
import { startTestCore, type TestCore } from '../helpers/core';
import { startProxy } from '../helpers/tcp-proxy';
import { uniqueUser } from '../helpers/imap';
import { waitFor } from '../helpers/wait';

// The IMAP server goes away mid-watch and comes back: the watcher reconnects with backoff and
// misses nothing. Odd and huge mail in the mailbox never stops it.

const hub = inject('mailhub');
const sender = uniqueUser('res-s');
const receiver = uniqueUser('res-r');
let k: TestCore;
let proxy: Awaited<ReturnType<typeof startProxy>>;
let senderId: string;
let receiverId: string;

beforeAll(async () => {
  await addMailHubUser(hub, sender.address, sender.password);
  await addMailHubUser(hub, receiver.address, receiver.password);
  proxy = await startProxy(hub.ports.imap);
  k = await startTestCore({ ca: [hub.caCert], feedbackPollMs: 300, engagement: { open: 0, flag: 0, reply: 0, rescue: 0 } });
  const smtp = (u: typeof sender) => ({ host: '127.0.0.1', port: hub.ports.submission, security: 'starttls' as const, user: u.address, password: u.password });
  senderId = (await k.call('mailboxes.create', { email: sender.address, provider: 'custom', smtp: smtp(sender) })).id;
  receiverId = (
    await k.call('mailboxes.create', {
      email: receiver.address,
      provider: 'custom',
      smtp: smtp(receiver),
      imap: { host: '127.0.0.1', port: proxy.port, security: 'starttls', user: receiver.address, password: receiver.password },
    })
  ).id;
});
afterAll(async () => {
  await k?.core.close(5000);
  await proxy?.close();
});

const placed = (id: string) =>
  waitFor(async () => (await k.call('messages.get', { id })).placements[0], { timeoutMs: 20_000, what: `placement of ${id}` });

describe('watcher resilience', () => {
  it('reconnects after the IMAP server goes away and records what arrived meanwhile, once', async () => {
    const first = await k.call('messages.send', { mailboxId: senderId, to: [receiver.address], subject: 'Before the outage', text: 'one' });
    await placed(first.id);

    const logsBefore = k.logs.length;
    await proxy.cut();
    const during = await k.call('messages.send', { mailboxId: senderId, to: [receiver.address], subject: 'During the outage', text: 'two' });
    await k.waitStatus(during.id, ['sent']);
    // The watcher noticed the outage and backs off before the server comes back.
    const lost = (line: string) => line.includes('IMAP connection lost; reconnecting') && line.includes(receiverId);
    await waitFor(() => k.logs.slice(logsBefore).some(lost), { timeoutMs: 20_000, what: "the receiver's watcher to notice the outage" });
    await proxy.restore();

    const p = await placed(during.id);
    expect(p.placement).toBe('inbox');
    const counts = k.core.services.db.sqlite.prepare('SELECT count(*) AS n FROM message_placements WHERE mailbox_id = ?').get(receiverId) as { n: number };
    expect(counts.n).toBe(2);
  });

  it('reads past malformed, header-less and 20 MB messages without stopping', async () => {
    // Straight into the mailbox (Postfix would refuse 20 MB): a multipart without its boundary, a
    // DSN cut in half, a message with no headers at all, and one very large message.
    const c = new ImapFlow({ host: '127.0.0.1', port: hub.ports.imap, secure: false, doSTARTTLS: true, tls: { ca: [hub.caCert] }, auth: { user: receiver.address, pass: receiver.password }, logger: false });
    await c.connect();
    await c.append('INBOX', 'Subject: broken\r\nContent-Type: multipart/mixed\r\n\r\n--nope\r\ngarbage');
    await c.append('INBOX', 'From: MAILER-DAEMON@other.test\r\nSubject: Undelivered Mail Returned to Sender\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\nFinal-Rec');
    await c.append('INBOX', '\r\njust a body');
    await c.append('INBOX', `From: big@other.test\r\nSubject: Huge\r\n\r\n${'x'.repeat(76)}\r\n`.repeat(1).concat(`${'y'.repeat(998)}\r\n`.repeat(21_000)));
    await c.logout();
    const after = await k.call('messages.send', { mailboxId: senderId, to: [receiver.address], subject: 'After the odd ones', text: 'three' });
    expect((await placed(after.id)).placement).toBe('inbox');
  });
});
