import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addMailHubUser, type MailHubInfo } from '../helpers/mailhub';
import { startTestCore, type TestCore } from '../helpers/core';
import { hubAccount, uniqueUser } from '../helpers/imap';
import { waitFor } from '../helpers/wait';

// Engagement against the real hub (consent is engage-consent.test.ts): the receiving mailbox rescues Kiln mail from Junk (flags first,
// then MOVE), marks it read and flagged, replies in thread through its own SMTP, and does each
// of these once however many times it polls.

const hub = inject('mailhub');
const sender = uniqueUser('eng-s');
const receiver = uniqueUser('eng-r');
let k: TestCore;
let senderId: string;


async function withImap<T>(info: MailHubInfo, u: { address: string; password: string }, fn: (c: ImapFlow) => Promise<T>): Promise<T> {
  const c = new ImapFlow({ host: '127.0.0.1', port: info.ports.imap, secure: false, doSTARTTLS: true, tls: { ca: [info.caCert] }, auth: { user: u.address, pass: u.password }, logger: false });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.logout().catch(() => c.close());
  }
}

beforeAll(async () => {
  await addMailHubUser(hub, sender.address, sender.password);
  await addMailHubUser(hub, receiver.address, receiver.password);
  k = await startTestCore({
    ca: [hub.caCert],
    feedbackPollMs: 300,
    engagement: { rescue: 1, open: 1, flag: 1, reply: 1, filing: { mode: 'none' }, dwellMs: [0, 0] },
  });
  senderId = (await k.call('mailboxes.create', { email: sender.address, provider: 'custom', ...hubAccount(hub, sender) })).id;
  await k.call('mailboxes.create', { email: receiver.address, provider: 'custom', ...hubAccount(hub, receiver) });
  // The API mail below stands in for any engaged mail: the workspace allows engagement with it.
  await k.call('preferences.update', { engagement: { otherKilnMail: true } });
});
afterAll(async () => {
  await k?.core.close(5000);
});

describe('engagement', () => {
  it('rescues from Junk with flags set before the move, opens, flags and replies in thread, once each', async () => {
    const sent = await k.call('messages.send', { mailboxId: senderId, to: [receiver.address], subject: '[SPAMTEST] Project notes', text: 'Line one\nLine two' });
    const done = await waitFor(
      async () => {
        const m = await k.call('messages.get', { id: sent.id });
        const p = m.placements[0];
        return p?.rescuedAt && p.openedAt && p.flaggedAt && p.repliedAt ? m : undefined;
      },
      { timeoutMs: 20_000, what: 'rescue, open, flag and reply' },
    );
    expect(done.placements[0]).toMatchObject({ placement: 'spam', folder: 'INBOX' });

    // On the server: in INBOX, read and flagged; no longer in Junk.
    await withImap(hub, receiver, async (c) => {
      const lock = await c.getMailboxLock('INBOX');
      try {
        const uids = (await c.search({ header: { 'message-id': done.messageId } }, { uid: true })) || [];
        expect(uids).toHaveLength(1);
        const msg = await c.fetchOne(String(uids[0]), { flags: true }, { uid: true });
        expect(msg && [...(msg.flags ?? [])]).toEqual(expect.arrayContaining(['\\Seen', '\\Flagged']));
      } finally {
        lock.release();
      }
      const junk = await c.getMailboxLock('Junk');
      try {
        expect((await c.search({ header: { 'message-id': done.messageId } }, { uid: true })) || []).toHaveLength(0);
      } finally {
        junk.release();
      }
    });

    // The reply reaches the sender threaded to the original, quoting it.
    const reply = await waitFor(
      () =>
        withImap(hub, sender, async (c) => {
          const lock = await c.getMailboxLock('INBOX');
          try {
            const uids = (await c.search({ header: { 'in-reply-to': done.messageId } }, { uid: true })) || [];
            if (uids.length === 0) return undefined;
            const msg = await c.fetchOne(String(uids[0]), { source: true }, { uid: true });
            return msg ? msg.source!.toString() : undefined;
          } finally {
            lock.release();
          }
        }),
      { timeoutMs: 20_000, what: 'the reply in the sender INBOX' },
    );
    expect(reply).toContain(`In-Reply-To: ${done.messageId}`);
    expect(reply).toMatch(/References: .*<[0-9a-z]{9}\.[0-9a-f]{24}@warm\.test>/);
    expect(reply).toContain('Subject: Re: [SPAMTEST] Project notes');
    expect(reply).toContain('> Line one');

    // Further rounds do nothing twice; the reply itself is never answered.
    const watchers = [...k.core.services.db.sqlite.prepare('SELECT id FROM mailboxes').all()].map((r) => k.core.services.feedback!.watcher((r as { id: string }).id)!);
    const rounds = watchers.map((w) => w.rounds);
    await waitFor(() => watchers.every((w, i) => w.rounds >= rounds[i]! + 2), { what: 'two more rounds on both mailboxes' });
    const events = (await k.call('messages.get', { id: sent.id })).events.map((e) => e.type);
    for (const t of ['placement', 'opened', 'flagged', 'rescued', 'replied']) expect(events.filter((e) => e === t), t).toHaveLength(1);
    const replies = k.core.services.db.sqlite.prepare("SELECT count(*) AS n FROM messages WHERE kind = 'reply'").get() as { n: number };
    expect(replies.n).toBe(1);
  });
});
