// message.placed and message.replied from real mail: one message sent through the mail hub to two
// mailboxes Kiln reads, both placed in the same round and both answered by the engagement loop
// (reply rate 100 %, no dwell). Each recipient gets its own message.placed (its own recipient and
// folder, exactly once) and its own message.replied, after the message's message.sent, every
// delivery verified with the `standardwebhooks` package (the published procedure).
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addMailHubUser } from '../helpers/mailhub';
import { startTestCore, type TestCore } from '../helpers/core';
import { hubAccount, uniqueUser } from '../helpers/imap';
import { waitFor } from '../helpers/wait';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: { type: string; data: Record<string, unknown> };
}

const hub = inject('mailhub');
const sender = uniqueUser('whe-s');
const first = uniqueUser('whe-a', 'other.test');
const second = uniqueUser('whe-b', 'other.test');
const received: Received[] = [];
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    received.push({ headers: req.headers, body, json: JSON.parse(body) as Received['json'] });
    res.writeHead(200).end();
  });
});
let k: TestCore;
let senderId: string;
let hook: { id: string; secret: string };

const forMessage = (id: string) => received.filter((r) => r.json.data.messageId === id);
const ofType = (id: string, type: string) => forMessage(id).filter((r) => r.json.type === type);

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  for (const u of [sender, first, second]) await addMailHubUser(hub, u.address, u.password);
  // The real clock's time (standardwebhooks checks webhook-timestamp against Date.now()); it stands
  // still, so both recipients are placed and engaged in the same millisecond.
  k = await startTestCore({
    ca: [hub.caCert],
    now: Date.now(),
    warmup: false,
    feedbackPollMs: 300,
    engagement: { rescue: 0, open: 0, flag: 0, reply: 1, filing: { mode: 'none' }, dwellMs: [0, 0] },
    webhookAllowPrivate: true,
  });
  // API mail stands in for engaged mail: the workspace allows engagement with it.
  await k.call('preferences.update', { engagement: { otherKilnMail: true } });
  senderId = (await k.call('mailboxes.create', { email: sender.address, provider: 'custom', ...hubAccount(hub, sender) })).id;
  for (const u of [first, second]) await k.call('mailboxes.create', { email: u.address, provider: 'custom', ...hubAccount(hub, u) });
  hook = await k.call('webhooks.create', { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, events: ['message.sent', 'message.placed', 'message.replied'] });
});
afterAll(async () => {
  await k?.core.close(5000);
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('message.placed and message.replied from the feedback loop', () => {
  it('a message to two mailboxes: one message.placed and one message.replied per recipient, after message.sent, signed', async () => {
    const sent = await k.call('messages.send', { mailboxId: senderId, to: [first.address, second.address], subject: 'Planning for next week', text: 'Shall we meet on Tuesday?' });
    await waitFor(() => ofType(sent.id, 'message.placed').length >= 2 && ofType(sent.id, 'message.replied').length >= 2, { timeoutMs: 30_000, what: 'both placements and both replies' });
    // Both replies went out through the hub: the engagement loop really answered.
    await waitFor(
      () => (k.core.services.db.sqlite.prepare(`SELECT count(*) FROM messages WHERE kind = 'reply' AND in_reply_to = ? AND status = 'sent'`).pluck().get(sent.messageId) as number) === 2,
      { timeoutMs: 20_000, what: 'the two replies sent' },
    );

    const events = forMessage(sent.id);
    expect(events[0]!.json.type).toBe('message.sent');
    expect(ofType(sent.id, 'message.sent')).toHaveLength(1);

    const placed = ofType(sent.id, 'message.placed').map((r) => r.json.data);
    expect(placed).toHaveLength(2);
    expect(placed.map((d) => d.recipient).sort()).toEqual([first.address, second.address].sort());
    for (const d of placed) expect(d).toMatchObject({ messageId: sent.id, placement: 'inbox', folder: 'INBOX', recipients: [first.address, second.address] });

    const replied = ofType(sent.id, 'message.replied').map((r) => r.json.data);
    expect(replied).toHaveLength(2);
    expect(replied.map((d) => d.recipient).sort()).toEqual([first.address, second.address].sort());
    for (const d of replied) expect(d).toMatchObject({ messageId: sent.id, messageIdHeader: sent.messageId, mailboxId: senderId, from: sender.address, kind: 'api' });
    // Each recipient's reply follows its placement.
    for (const to of [first.address, second.address]) {
      const at = (type: string) => events.findIndex((r) => r.json.type === type && r.json.data.recipient === to);
      expect(at('message.replied')).toBeGreaterThan(at('message.placed'));
    }

    const verifier = new StandardWebhook(hook.secret);
    for (const r of events) expect(() => verifier.verify(r.body, r.headers as Record<string, string>)).not.toThrow();
    expect(new Set(events.map((r) => r.headers['webhook-id'])).size).toBe(events.length);
  });
});
