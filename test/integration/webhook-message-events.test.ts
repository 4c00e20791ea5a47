// Message-event webhooks end to end: real sends through the mail hub (sent, then placed by the
// feedback loop reading the recipient's INBOX; a hard bounce from Postfix's own DSN; an ARF
// complaint), a send refused with 550 by a scripted SMTP server (failed), each delivered to an
// HTTP receiver on 127.0.0.1 with a signature verified by the `standardwebhooks` package (the
// published procedure, independent of Kiln's signer), in order per message even when the receiver
// fails the first event, and exactly once per webhook-id after a redelivery.
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ImapFlow } from 'imapflow';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { WebhookDelivery } from '../../shared/domain/webhook';
import { addMailHubUser } from '../helpers/mailhub';
import { startTestCore, type TestCore } from '../helpers/core';
import { startFaultServer, type FaultServer } from '../helpers/fault-smtp';
import { uniqueUser } from '../helpers/imap';
import { waitFor } from '../helpers/wait';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: { type: string; data: Record<string, unknown> };
}

const hub = inject('mailhub');
const sender = uniqueUser('whm-s');
const reader = uniqueUser('whm-r', 'other.test');
const received: Received[] = [];
/** HTTP statuses to answer, in turn; then 200. */
const script: number[] = [];
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    received.push({ headers: req.headers, body, json: JSON.parse(body) as Received['json'] });
    res.writeHead(script.shift() ?? 200).end();
  });
});
let k: TestCore;
let fault: FaultServer;
let senderId: string;
let faultId: string;
let hook: { id: string; secret: string };
let alertOnly: { id: string };

const forMessage = (id: string) => received.filter((r) => r.json.data.messageId === id);
/** What a receiver that drops repeated webhook-ids keeps. */
const deduped = (rs: Received[]) => rs.filter((r, i) => rs.findIndex((x) => x.headers['webhook-id'] === r.headers['webhook-id']) === i);
const typesOf = (rs: Received[]) => rs.map((r) => r.json.type);
const waitType = (id: string, type: string) => waitFor(() => forMessage(id).find((r) => r.json.type === type), { timeoutMs: 25_000, what: `${type} for ${id}` });
const log = async (q: { type?: WebhookDelivery['type']; webhookId?: string } = {}) => (await k.call('webhooks.deliveryLog', q)).items;

async function appendToSender(raw: string): Promise<void> {
  const c = new ImapFlow({ host: '127.0.0.1', port: hub.ports.imap, secure: false, doSTARTTLS: true, tls: { ca: [hub.caCert] }, auth: { user: sender.address, pass: sender.password }, logger: false });
  await c.connect();
  await c.append('INBOX', raw);
  await c.logout();
}

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  await addMailHubUser(hub, sender.address, sender.password);
  await addMailHubUser(hub, reader.address, reader.password);
  fault = await startFaultServer({ user: 'fault@faults.test', pass: 'fault-pw', script: { data: () => ({ reply: 550, message: '5.7.1 Message rejected as spam by content filter' }) } });
  // The real clock's time: standardwebhooks checks webhook-timestamp against Date.now() (5 min tolerance).
  k = await startTestCore({ ca: [hub.caCert], now: Date.now(), warmup: false, feedbackPollMs: 300, engagement: { open: 0, flag: 0, reply: 0 }, webhookAllowPrivate: true });
  const acct = (u: typeof sender) => ({ host: '127.0.0.1', security: 'starttls' as const, user: u.address, password: u.password });
  senderId = (await k.call('mailboxes.create', { email: sender.address, provider: 'custom', smtp: { ...acct(sender), port: hub.ports.submission }, imap: { ...acct(sender), port: hub.ports.imap } })).id;
  await k.call('mailboxes.create', { email: reader.address, provider: 'custom', smtp: { ...acct(reader), port: hub.ports.submission }, imap: { ...acct(reader), port: hub.ports.imap } });
  faultId = (await k.call('mailboxes.create', { email: 'fault@faults.test', provider: 'custom', smtp: { host: '127.0.0.1', port: fault.port, security: 'none', user: 'fault@faults.test', password: 'fault-pw' } })).id;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  hook = await k.call('webhooks.create', { url, events: ['message.sent', 'message.failed', 'message.bounced', 'message.complained', 'message.placed', 'message.replied'] });
  // Registered without `events`: alert-only, so none of the message events below reach it.
  alertOnly = await k.call('webhooks.create', { url: `${url}?alerts` });
});
afterAll(async () => {
  await k?.core.close(5000);
  await fault?.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('message-event webhooks', () => {
  it('sent then placed, in that order even when the receiver fails the first one; redelivery keeps the webhook-id', async () => {
    script.push(500);
    const sent = await k.call('messages.send', { mailboxId: senderId, to: [reader.address], subject: 'Quarterly figures', text: 'see attached' });
    await waitType(sent.id, 'message.sent');
    // The placement is recorded and queued while message.sent waits for its retry...
    await waitFor(async () => (await k.call('messages.get', { id: sent.id })).placements[0], { timeoutMs: 25_000, what: 'placement' });
    const placed = await waitFor(async () => (await log({ type: 'message.placed' })).find((d) => (d.payload as Received['json']).data.messageId === sent.id), { what: 'placed queued' });
    // The receiver has answered 500; the worker records that attempt just after (wait for it, under load it lags).
    const first = await waitFor(async () => (await log({ type: 'message.sent' })).find((d) => d.id === received[0]!.headers['webhook-id'] && d.attempts > 0), { what: 'the failed first attempt recorded' });
    expect(first).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500 });
    // ...and is not due before it: the worker will not start it while an earlier delivery for the message is pending.
    const due = k.core.services.webhookWorker!['repo'].due(k.clock.now(), 100).map((d) => d.id);
    expect(due).not.toContain(placed.id);
    expect((await log({ type: 'message.placed' })).find((d) => d.id === placed.id)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(typesOf(forMessage(sent.id))).toEqual(['message.sent']);

    k.advance(Date.parse(first.nextAttemptAt!) - k.clock.now() + 1_000);
    await waitType(sent.id, 'message.placed');
    expect(typesOf(forMessage(sent.id))).toEqual(['message.sent', 'message.sent', 'message.placed']);
    const [s, p] = deduped(forMessage(sent.id));
    expect(s!.json.data).toMatchObject({ messageId: sent.id, messageIdHeader: sent.messageId, mailboxId: senderId, from: sender.address, kind: 'api', status: 'sent', recipients: [reader.address] });
    expect(String(s!.json.data.smtpResponse)).toMatch(/^250 /);
    expect(p!.json.data).toMatchObject({ messageId: sent.id, placement: 'inbox', recipient: reader.address, folder: 'INBOX' });
    expect(JSON.stringify(received)).not.toContain('see attached');

    // Redeliver message.sent: the same webhook-id again, so a deduplicating receiver keeps one.
    const again = await k.call('webhooks.redeliver', { id: s!.headers['webhook-id'] as string });
    expect(again).toMatchObject({ id: s!.headers['webhook-id'], status: 'pending' });
    await waitFor(() => forMessage(sent.id).length === 4, { what: 'the redelivery' });
    expect(forMessage(sent.id)[3]!.headers['webhook-id']).toBe(s!.headers['webhook-id']);
    expect(forMessage(sent.id)[3]!.body).toBe(s!.body);
    expect(typesOf(deduped(forMessage(sent.id)))).toEqual(['message.sent', 'message.placed']);
    const after = await waitFor(async () => (await log({ webhookId: hook.id })).find((d) => d.id === again.id && d.status === 'delivered' && d.attempts === 3), { what: 'redelivered' });
    expect(after.attemptLog.map((a) => a.statusCode)).toEqual([500, 200, 200]);

    // The ARF complaint about the same message follows.
    const ref = k.core.services.db.sqlite.prepare('SELECT ref FROM messages WHERE id = ?').pluck().get(sent.id) as string;
    await appendToSender(
      [
        'From: feedback@isp.example', `To: ${sender.address}`, 'Subject: Abuse report', 'Message-ID: <arf-whm@isp.example>', 'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=feedback-report; boundary="arf"', '',
        '--arf', 'Content-Type: text/plain', '', 'This is an email abuse report.', '',
        '--arf', 'Content-Type: message/feedback-report', '', 'Feedback-Type: abuse', 'User-Agent: isp/1.0', 'Version: 1', `Original-Rcpt-To: ${reader.address}`, '',
        '--arf', 'Content-Type: text/rfc822-headers', '', `From: ${sender.address}`, `To: ${reader.address}`, 'Subject: Quarterly figures', `Message-ID: ${sent.messageId}`, `X-Entity-Ref-ID: ${ref}`, '',
        '--arf--', '',
      ].join('\r\n'),
    );
    const c = await waitType(sent.id, 'message.complained');
    expect(c.json.data).toMatchObject({ messageId: sent.id, status: 'complained', recipient: reader.address, feedbackType: 'abuse' });
    expect(typesOf(deduped(forMessage(sent.id)))).toEqual(['message.sent', 'message.placed', 'message.complained']);
  });

  it('a real DSN makes message.bounced after message.sent, with the DSN status and diagnostic', async () => {
    const ghost = `nobody-${Date.now()}@warm.test`;
    const sent = await k.call('messages.send', { mailboxId: senderId, to: [ghost], subject: 'Are you there?', text: 'hello' });
    const b = await waitType(sent.id, 'message.bounced');
    expect(typesOf(deduped(forMessage(sent.id)))).toEqual(['message.sent', 'message.bounced']);
    expect(b.json.data).toMatchObject({ messageId: sent.id, status: 'bounced', recipient: ghost, bounceType: 'hard', dsnStatus: '5.1.1' });
    expect(String(b.json.data.diagnostic)).toMatch(/550|unknown|User/i);
  });

  it('a 550 answer makes message.failed with the SMTP answer', async () => {
    const sent = await k.call('messages.send', { mailboxId: faultId, to: ['someone@faults.test'], subject: 'Offer', text: 'x' });
    const f = await waitType(sent.id, 'message.failed');
    expect(typesOf(forMessage(sent.id))).toEqual(['message.failed']);
    expect(f.json.data).toMatchObject({ messageId: sent.id, status: 'failed', recipients: ['someone@faults.test'], error: { responseCode: 550 } });
    expect(JSON.stringify(f.json.data.error)).toContain('rejected as spam');
    expect(JSON.stringify(f.json.data)).not.toContain('fault-pw');
  });

  it('every delivery verifies with the published Standard Webhooks procedure; the alert-only webhook got none; the log filters', async () => {
    expect(received.length).toBeGreaterThanOrEqual(8);
    const verifier = new StandardWebhook(hook.secret);
    for (const r of received) {
      expect(() => verifier.verify(r.body, r.headers as Record<string, string>)).not.toThrow();
    }
    expect(() => verifier.verify(received[0]!.body.replace('"message.sent"', '"message.failed"'), received[0]!.headers as Record<string, string>)).toThrow();
    expect(await log({ webhookId: alertOnly.id })).toEqual([]);
    const bounced = await log({ type: 'message.bounced' });
    expect(bounced.length).toBe(1);
    expect(bounced.every((d) => d.webhookId === hook.id && d.type === 'message.bounced')).toBe(true);
    expect((await k.call('webhooks.deliveryLog', { status: 'failed' })).items).toEqual([]);
    await expect(k.call('webhooks.redeliver', { id: 'whd_nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
