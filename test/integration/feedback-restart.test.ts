// The IMAP server itself goes away mid-watch: a private hub's Dovecot is stopped (Postfix stays up)
// and started again. Mail that reached the mailbox while IMAP was down is found after Kiln
// reconnects — nothing is missed — and mail before and after is recorded once.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailHub, type MailHub } from '../helpers/mailhub';
import { startTestCore, type TestCore } from '../helpers/core';
import { startFaultServer, type FaultServer } from '../helpers/fault-smtp';
import { hubAccount, uniqueUser } from '../helpers/imap';
import { waitFor } from '../helpers/wait';

const sender = uniqueUser('restart-s');
const receiver = uniqueUser('restart-r');
let hub: MailHub;
let blackhole: FaultServer;
let k: TestCore;
let senderId: string;
let receiverId: string;

beforeAll(async () => {
  hub = await startMailHub({ users: { [sender.address]: sender.password, [receiver.address]: receiver.password } });
  // Accepts and keeps mail without delivering it: the copy is put into the Maildir by hand below.
  blackhole = await startFaultServer({ user: 'drop@warm.test', pass: 'drop-pw' });
  k = await startTestCore({ ca: [hub.caCert], feedbackPollMs: 300, warmup: false });
  senderId = (await k.call('mailboxes.create', { email: sender.address, ...hubAccount(hub, sender) })).id;
  receiverId = (await k.call('mailboxes.create', { email: receiver.address, ...hubAccount(hub, receiver) })).id;
}, 60_000);
afterAll(async () => {
  await k?.core.close(5000);
  await blackhole?.close();
  await hub?.stop();
});

const placementOf = (id: string) =>
  waitFor(async () => (await k.call('messages.get', { id })).placements[0], { timeoutMs: 20_000, what: `a placement for ${id}` });

describe('IMAP server restart', () => {
  it('reconnects after Dovecot restarts and records what arrived while it was down, once', async () => {
    const before = await k.call('messages.send', { mailboxId: senderId, to: [receiver.address], subject: 'Before the restart', text: 'one' });
    expect(await placementOf(before.id)).toMatchObject({ placement: 'inbox' });

    // A Kiln message sent through a server that keeps it; its copy lands in the Maildir while IMAP is down.
    const dropper = await k.call('mailboxes.create', { email: 'drop@warm.test', smtp: { host: '127.0.0.1', port: blackhole.port, security: 'none', user: 'drop@warm.test', password: 'drop-pw' } });
    const during = await k.call('messages.send', { mailboxId: dropper.id, to: [receiver.address], subject: 'During the restart', text: 'two' });
    await k.waitStatus(during.id, ['sent']);
    const raw = blackhole.delivered.find((d) => d.messageId === during.messageId)!.raw;

    await hub.stopDovecot();
    const [local, domain] = receiver.address.split('@') as [string, string];
    const maildir = path.join(hub.dir, 'mail', domain, local, 'Maildir');
    const file = path.join(maildir, 'new', `${Date.now()}.kiln-restart.${process.pid}`);
    fs.writeFileSync(file, raw.replace(/\r?\n/g, '\n'));
    execFileSync('chown', [`${execFileSync('id', ['-u', 'dovecot']).toString().trim()}:${execFileSync('id', ['-g', 'dovecot']).toString().trim()}`, file]);
    // Kiln sees the connection go and keeps trying (backoff with jitter), without flagging the mailbox.
    await waitFor(() => k.logs.some((l) => l.includes(receiverId) && l.includes('reconnecting')) || undefined, { timeoutMs: 10_000, what: 'the watcher to notice' });
    await hub.startDovecot();

    expect(await placementOf(during.id)).toMatchObject({ recipient: receiver.address, placement: 'inbox', folder: 'INBOX' });
    const after = await k.call('messages.send', { mailboxId: senderId, to: [receiver.address], subject: 'After the restart', text: 'three' });
    expect(await placementOf(after.id)).toMatchObject({ placement: 'inbox' });
    for (const id of [before.id, during.id, after.id]) {
      const m = await k.call('messages.get', { id });
      expect(m.placements, id).toHaveLength(1);
      expect(m.events.filter((e) => e.type === 'placement'), id).toHaveLength(1);
    }
    expect((await k.call('mailboxes.get', { id: receiverId })).lastError).toBeNull();
  });
});
