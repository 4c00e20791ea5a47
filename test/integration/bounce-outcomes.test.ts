import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addMailHubUser } from '../helpers/mailhub';
import { startTestCore, type TestCore } from '../helpers/core';
import { hubAccount, uniqueUser } from '../helpers/imap';
import { waitFor } from '../helpers/wait';
import type { MessageWithEvents } from '../../shared/domain/message';

// What a DSN says shows on the message, per recipient and in its status, through the API: Postfix's
// real 5.7.1 policy rejection (the hub refuses every outside domain), its real 5.1.1 for unknown
// users (one DSN naming two recipients, too), and a delay notice. A message is `bounced` only when
// nobody got it; one that reached a recipient stays `sent` with the bounced one's outcome beside it.

const hub = inject('mailhub');
const sender = uniqueUser('out-s');
const policySender = uniqueUser('out-p');
const reader = uniqueUser('out-r', 'other.test');
const slow = uniqueUser('out-slow', 'other.test');
let k: TestCore;
let senderId: string;
let policyId: string;

beforeAll(async () => {
  for (const u of [sender, policySender, reader, slow]) await addMailHubUser(hub, u.address, u.password);
  k = await startTestCore({ ca: [hub.caCert], feedbackPollMs: 300 });
  senderId = (await k.call('mailboxes.create', { email: sender.address, provider: 'custom', ...hubAccount(hub, sender) })).id;
  policyId = (await k.call('mailboxes.create', { email: policySender.address, provider: 'custom', ...hubAccount(hub, policySender) })).id;
  // Read by Kiln: a copy seen there is a delivered recipient.
  await k.call('mailboxes.create', { email: reader.address, provider: 'custom', ...hubAccount(hub, reader) });
});
afterAll(async () => {
  await k?.core.close(5000);
});

const recipient = (m: MessageWithEvents, address: string) => m.recipients.find((r) => r.address === address)!;

async function until(id: string, done: (m: MessageWithEvents) => boolean, what: string): Promise<MessageWithEvents> {
  return waitFor(
    async () => {
      const m = await k.call('messages.get', { id });
      return done(m) ? m : undefined;
    },
    { timeoutMs: 30_000, what },
  );
}

/** The message as `GET /messages` lists it. */
async function listed(id: string, mailboxId: string) {
  return (await k.call('messages.list', { mailboxId, limit: 100 })).items.find((m) => m.id === id);
}

describe('recipient outcomes from real DSNs', () => {
  it('a 5.7.1 policy rejection of the only recipient bounces the message, flags the sender and suppresses nobody', async () => {
    const outside = `partner-${Date.now()}@elsewhere.example`;
    const sent = await k.call('messages.send', { mailboxId: policyId, to: [outside], subject: 'Proposal', text: 'see attached' });
    const m = await until(sent.id, (x) => x.status === 'bounced', 'the 5.7.1 DSN to bounce the message');
    expect(recipient(m, outside).status).toBe('accepted'); // the submission server took it; the DSN came later
    expect(recipient(m, outside).outcome).toMatchObject({ state: 'bounced', status: '5.7.1', diagnostic: expect.stringContaining('outbound delivery disabled') });
    expect(m.events.find((e) => e.type === 'sender_rejected')!.data).toMatchObject({ recipient: outside, status: '5.7.1', type: 'sender' });
    const inList = await listed(sent.id, policyId);
    expect(inList).toMatchObject({ status: 'bounced', recipients: [{ address: outside, outcome: { state: 'bounced', status: '5.7.1' } }] });
    expect((await k.call('messages.list', { status: 'bounced', limit: 100 })).items.map((x) => x.id)).toContain(sent.id);
    expect((await k.call('suppressions.list', { limit: 100 })).items.map((s) => s.address)).not.toContain(outside);
    expect((await k.call('mailboxes.get', { id: policyId })).lastError).toMatchObject({ code: 'DSN_5.7.1' });
  });

  it('one unknown recipient among two: that one bounced 5.1.1, the other delivered, the message stays sent', async () => {
    const ghost = `ghost-${Date.now()}@warm.test`;
    const sent = await k.call('messages.send', { mailboxId: senderId, to: [ghost, reader.address], subject: 'Team notes', text: 'notes' });
    const m = await until(sent.id, (x) => recipient(x, ghost).outcome?.state === 'bounced' && recipient(x, reader.address).outcome?.state === 'delivered', 'both outcomes');
    expect(m.status).toBe('sent');
    expect(recipient(m, ghost).outcome).toMatchObject({ state: 'bounced', status: '5.1.1' });
    expect(recipient(m, reader.address).outcome).toMatchObject({ state: 'delivered', status: null });
    expect(await listed(sent.id, senderId)).toMatchObject({ status: 'sent', recipients: expect.arrayContaining([expect.objectContaining({ address: ghost, outcome: expect.objectContaining({ state: 'bounced' }) })]) });
  });

  it('every recipient unknown (one DSN naming both): bounced, each with its outcome', async () => {
    const ghosts = [`ghost-a-${Date.now()}@warm.test`, `ghost-b-${Date.now()}@warm.test`];
    const sent = await k.call('messages.send', { mailboxId: senderId, to: ghosts, subject: 'Hello both', text: 'hi' });
    const m = await until(sent.id, (x) => x.status === 'bounced' && ghosts.every((g) => recipient(x, g).outcome?.state === 'bounced'), 'both ghosts bounced');
    for (const g of ghosts) expect(recipient(m, g).outcome).toMatchObject({ state: 'bounced', status: '5.1.1' });
    // Postfix reported both in one DSN: two recipients' events from one report.
    const reports = m.events.filter((e) => e.type === 'bounced').map((e) => e.data.report);
    expect(reports).toHaveLength(2);
    expect(new Set(reports).size).toBe(1);
  });

  it('a delay notice records a deferred outcome and leaves the status alone', async () => {
    const sent = await k.call('messages.send', { mailboxId: senderId, to: [slow.address], subject: 'Weekly sync', text: 'agenda' });
    await k.waitStatus(sent.id, ['sent']);
    const dsn = [
      `From: MAILER-DAEMON@other.test (Mail Delivery System)`, `To: ${sender.address}`, 'Subject: Delayed Mail (still being retried)',
      'Message-ID: <delay-1@other.test>', 'Auto-Submitted: auto-replied', 'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"', '',
      '--b1', 'Content-Type: text/plain', '', 'Your message could not be delivered yet; the server will keep trying.', '',
      '--b1', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.other.test', '',
      `Final-Recipient: rfc822; ${slow.address}`, 'Action: delayed', 'Status: 4.2.2', 'Diagnostic-Code: smtp; 452 4.2.2 Mailbox full', '',
      '--b1', 'Content-Type: text/rfc822-headers', '', `From: ${sender.address}`, `To: ${slow.address}`, 'Subject: Weekly sync', `Message-ID: ${sent.messageId}`, '',
      '--b1--', '',
    ].join('\r\n');
    const c = new ImapFlow({ host: '127.0.0.1', port: hub.ports.imap, secure: false, doSTARTTLS: true, tls: { ca: [hub.caCert] }, auth: { user: sender.address, pass: sender.password }, logger: false });
    await c.connect();
    await c.append('INBOX', dsn);
    await c.logout();
    const m = await until(sent.id, (x) => recipient(x, slow.address).outcome !== null, 'the deferred outcome');
    expect(recipient(m, slow.address).outcome).toMatchObject({ state: 'deferred', status: '4.2.2', diagnostic: expect.stringContaining('Mailbox full') });
    expect(m.status).toBe('sent');
  });
});
