import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addMailHubUser } from '../helpers/mailhub';
import { startTestCore, type TestCore } from '../helpers/core';
import { uniqueUser } from '../helpers/imap';
import { waitFor } from '../helpers/wait';

// Reports about Kiln mail arriving in the sender's own mailbox: Postfix's real DSN for an unknown
// user, an ARF abuse complaint and an out-of-office reply, each linked to the message it is about.

const hub = inject('mailhub');
const sender = uniqueUser('bnc-s');
let k: TestCore;
let senderId: string;

beforeAll(async () => {
  await addMailHubUser(hub, sender.address, sender.password);
  k = await startTestCore({ ca: [hub.caCert], feedbackPollMs: 300 });
  const acct = { host: '127.0.0.1', security: 'starttls' as const, user: sender.address, password: sender.password };
  senderId = (await k.call('mailboxes.create', { email: sender.address, provider: 'custom', smtp: { ...acct, port: hub.ports.submission }, imap: { ...acct, port: hub.ports.imap } })).id;
});
afterAll(async () => {
  await k?.core.close(5000);
});

async function appendToSender(raw: string): Promise<void> {
  const c = new ImapFlow({ host: '127.0.0.1', port: hub.ports.imap, secure: false, doSTARTTLS: true, tls: { ca: [hub.caCert] }, auth: { user: sender.address, pass: sender.password }, logger: false });
  await c.connect();
  await c.append('INBOX', raw);
  await c.logout();
}

const waitEvent = (id: string, type: string) =>
  waitFor(async () => {
    const m = await k.call('messages.get', { id });
    return m.events.some((e) => e.type === type) ? m : undefined;
  }, { timeoutMs: 20_000, what: `${type} on ${id}` });

describe('bounces, complaints and auto-replies', () => {
  it('a real Postfix DSN for an unknown user bounces the message and suppresses the address', async () => {
    const ghost = `nobody-${Date.now()}@warm.test`;
    const sent = await k.call('messages.send', { mailboxId: senderId, to: [ghost], subject: 'Are you there?', text: 'hello' });
    const m = await waitEvent(sent.id, 'bounced');
    expect(m.status).toBe('bounced');
    expect(m.events.find((e) => e.type === 'bounced')!.data).toMatchObject({ recipient: ghost, status: '5.1.1', type: 'hard', source: 'dsn' });
    const sup = (await k.call('suppressions.list', {})).items.find((s) => s.address === ghost);
    expect(sup).toMatchObject({ reason: 'hard_bounce', messageId: sent.id });
    await expect(k.call('messages.send', { mailboxId: senderId, to: [ghost], subject: 'Again', text: 'x' })).rejects.toMatchObject({ code: 'RECIPIENT_SUPPRESSED' });
    // The sender mailbox itself is fine: a recipient's problem is never the sender's.
    expect((await k.call('mailboxes.get', { id: senderId })).lastError).toBeNull();
  });

  it('an ARF abuse report marks the message complained and suppresses the complainer; an out-of-office is only noted', async () => {
    const reader = uniqueUser('bnc-reader', 'other.test');
    await addMailHubUser(hub, reader.address, reader.password);
    const to = reader.address;
    const sent = await k.call('messages.send', { mailboxId: senderId, to: [to], subject: 'Monthly notes', text: 'notes' });
    await k.waitStatus(sent.id, ['sent']);
    const ref = k.core.services.db.sqlite.prepare('SELECT ref FROM messages WHERE id = ?').pluck().get(sent.id) as string;
    const ooo = [
      'From: Reader <' + to + '>', `To: ${sender.address}`, 'Subject: Out of Office: Monthly notes', 'Auto-Submitted: auto-replied',
      `In-Reply-To: ${sent.messageId}`, 'Message-ID: <ooo-1@other.test>', '', 'I am away until Monday.', '',
    ].join('\r\n');
    await appendToSender(ooo);
    const noted = await waitEvent(sent.id, 'auto_reply');
    expect(noted.status).toBe('sent');

    const arf = [
      'From: feedback@isp.example', `To: ${sender.address}`, 'Subject: Abuse report', 'Message-ID: <arf-1@isp.example>', 'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=feedback-report; boundary="arf"', '',
      '--arf', 'Content-Type: text/plain', '', 'This is an email abuse report.', '',
      '--arf', 'Content-Type: message/feedback-report', '', 'Feedback-Type: abuse', 'User-Agent: isp/1.0', 'Version: 1', `Original-Rcpt-To: ${to}`, 'Source-IP: 127.0.0.1', '',
      '--arf', 'Content-Type: text/rfc822-headers', '', `From: ${sender.address}`, `To: ${to}`, 'Subject: Monthly notes', `Message-ID: ${sent.messageId}`, `X-Entity-Ref-ID: ${ref}`, '',
      '--arf--', '',
    ].join('\r\n');
    await appendToSender(arf);
    const complained = await waitEvent(sent.id, 'complained');
    expect(complained.status).toBe('complained');
    expect((await k.call('suppressions.list', {})).items.find((s) => s.address === to)).toMatchObject({ reason: 'complaint' });
    // A second pass over the same folder (resync) records nothing twice.
    k.core.services.db.sqlite.prepare("UPDATE imap_folder_state SET last_uid = 0 WHERE mailbox_id = ?").run(senderId);
    const w = k.core.services.feedback!.watcher(senderId)!;
    const rounds = w.rounds;
    w.nudge();
    await waitFor(() => w.rounds > rounds + 1, { what: 'two more rounds' });
    const events = (await k.call('messages.get', { id: sent.id })).events.map((e) => e.type);
    expect(events.filter((e) => e === 'complained')).toHaveLength(1);
    expect(events.filter((e) => e === 'auto_reply')).toHaveLength(1);
  });
});
