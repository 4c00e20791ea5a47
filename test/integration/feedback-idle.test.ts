import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addMailHubUser } from '../helpers/mailhub';
import { startTestCore, type TestCore } from '../helpers/core';
import { uniqueUser } from '../helpers/imap';
import { waitFor } from '../helpers/wait';

// With a poll interval far longer than the test, new INBOX mail can only be seen through IDLE.

const hub = inject('mailhub');
const sender = uniqueUser('idle-s');
const receiver = uniqueUser('idle-r');
let k: TestCore;

beforeAll(async () => {
  await addMailHubUser(hub, sender.address, sender.password);
  await addMailHubUser(hub, receiver.address, receiver.password);
  k = await startTestCore({ ca: [hub.caCert], feedbackPollMs: 10 * 60_000, engagement: { open: 0, flag: 0, reply: 0 } });
});
afterAll(async () => {
  await k?.core.close(5000);
});

describe('IDLE', () => {
  it('sees new INBOX mail without waiting for the next poll', async () => {
    const acct = (u: typeof sender) => ({ host: '127.0.0.1', security: 'starttls' as const, user: u.address, password: u.password });
    const s = await k.call('mailboxes.create', { email: sender.address, provider: 'custom', smtp: { ...acct(sender), port: hub.ports.submission } });
    const r = await k.call('mailboxes.create', { email: receiver.address, provider: 'custom', smtp: { ...acct(receiver), port: hub.ports.submission }, imap: { ...acct(receiver), port: hub.ports.imap } });
    const w = await waitFor(() => k.core.services.feedback!.watcher(r.id)?.rounds ? k.core.services.feedback!.watcher(r.id) : undefined, { what: 'the first round' });
    expect(w.rounds).toBe(1);
    const sent = await k.call('messages.send', { mailboxId: s.id, to: [receiver.address], subject: 'Quick question', text: 'ok?' });
    const p = await waitFor(async () => (await k.call('messages.get', { id: sent.id })).placements[0], { timeoutMs: 20_000, what: 'placement through IDLE' });
    expect(p.placement).toBe('inbox');
  });
});
