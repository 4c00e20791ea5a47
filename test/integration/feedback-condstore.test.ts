// CONDSTORE against the hub's Dovecot: a folder polled again with an unchanged HIGHESTMODSEQ costs
// one EXAMINE and no FETCH; a new message or a flag change raises it and the poll reads again.
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pollFolder, type PollContext } from '../../electron/core/feedback/poll';
import { feedbackStore } from '../../electron/core/feedback/store';
import { defaultEngagement } from '../../electron/core/feedback/plan';
import type { MailboxRow } from '../../electron/core/db/schema';
import { addMailHubUser } from '../helpers/mailhub';
import { startTestCore, type TestCore } from '../helpers/core';
import { countingLogger, uniqueUser } from '../helpers/imap';

const hub = inject('mailhub');
const user = uniqueUser('condstore');
let k: TestCore;
let mailbox: MailboxRow;
let other: ImapFlow;
let client: ImapFlow;
const counter = countingLogger();
const junk = { path: 'Junk', role: 'spam' as const };

const connect = (logger: unknown = false) =>
  new ImapFlow({ host: '127.0.0.1', port: hub.ports.imap, secure: false, doSTARTTLS: true, tls: { ca: [hub.caCert] }, auth: { user: user.address, pass: user.password }, logger: logger as false });
const raw = (i: number) => `From: someone@other.test\r\nTo: ${user.address}\r\nSubject: Junk ${i}\r\nMessage-ID: <junk-${i}@other.test>\r\n\r\nBody ${i}\r\n`;

beforeAll(async () => {
  await addMailHubUser(hub, user.address, user.password);
  k = await startTestCore({ warmup: false });
  // No IMAP settings on the Kiln side: no watcher of its own interferes with the polls below.
  const id = (await k.call('mailboxes.create', { email: user.address, smtp: { host: '127.0.0.1', port: 9, security: 'none', password: 'x' } })).id;
  mailbox = k.core.services.db.sqlite.prepare('SELECT * FROM mailboxes WHERE id = ?').get(id) as MailboxRow;
  other = connect();
  await other.connect();
  await other.mailboxCreate('Junk');
  for (let i = 0; i < 3; i++) await other.append('Junk', raw(i));
  client = connect(counter.logger);
  await client.connect();
});
afterAll(async () => {
  await client?.logout().catch(() => undefined);
  await other?.logout().catch(() => undefined);
  await k?.core.close();
});

const ctx = (): PollContext => ({
  store: feedbackStore(k.core.services.db.sqlite),
  engagement: defaultEngagement,
  engagementFor: () => defaultEngagement,
  messageByRef: () => undefined,
  now: () => k.clock.now(),
  onPlacement: () => undefined,
  onResync: () => undefined,
  wantsHeadersOf: () => false,
});

/** Poll Junk as a watcher round does (INBOX selected in between), counting the IMAP commands it sends. */
async function pollJunk(): Promise<{ fetched: number; commands: number }> {
  await client.mailboxOpen('INBOX', { readOnly: true });
  counter.reset();
  const r = await pollFolder(client, ctx(), mailbox, junk);
  return { fetched: r.fetched, commands: counter.commands() };
}

describe('CONDSTORE polling', () => {
  it('reads a folder once, then costs one EXAMINE while nothing changes', async () => {
    expect((await pollJunk()).fetched).toBe(3);
    expect(client.mailbox && client.mailbox.highestModseq).toBeTruthy();
    expect(await pollJunk()).toEqual({ fetched: 0, commands: 1 });
    expect(await pollJunk()).toEqual({ fetched: 0, commands: 1 });
  });

  it('reads again when a message arrives, and when a flag changes (then is quiet again)', async () => {
    await other.append('Junk', raw(3));
    expect(await pollJunk()).toMatchObject({ fetched: 1, commands: 2 });
    const lock = await other.getMailboxLock('Junk');
    try {
      await other.messageFlagsAdd('1:*', ['\\Seen']);
    } finally {
      lock.release();
    }
    expect(await pollJunk()).toEqual({ fetched: 0, commands: 2 });
    expect(await pollJunk()).toEqual({ fetched: 0, commands: 1 });
  });
});
