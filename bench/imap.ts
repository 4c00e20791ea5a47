import fs from 'node:fs';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import pino from 'pino';
import { startMailHub, addMailHubUser, type MailHub } from '../test/helpers/mailhub';
import { countingLogger } from '../test/helpers/imap';
import { openDatabase } from '../electron/core/db/connection';
import { migrateToLatest } from '../electron/core/db/migrate';
import { feedbackStore } from '../electron/core/feedback/store';
import { pollFolder } from '../electron/core/feedback/poll';
import { defaultEngagement } from '../electron/core/feedback/plan';
import { createCore } from '../electron/core/app';
import type { MailboxRow } from '../electron/core/db/schema';
import { tempDir } from './util';

const raw = (i: number) => `From: filler@other.test\r\nTo: x@warm.test\r\nSubject: Filler ${i}\r\nMessage-ID: <filler-${i}@other.test>\r\n\r\nFiller body ${i}\r\n`;

/** Straight into the Maildir as Dovecot would store it: 10,000 IMAP APPENDs take minutes. */
async function fill(hub: MailHub, user: string, pass: string, count: number, offset = 0): Promise<void> {
  // Let Dovecot create the mailbox first, so the Maildir and its owner are Dovecot's.
  const c = new ImapFlow({ host: '127.0.0.1', port: hub.ports.imap, secure: false, doSTARTTLS: true, tls: { ca: [hub.caCert] }, auth: { user, pass }, logger: false });
  await c.connect();
  await c.status('INBOX', { messages: true });
  await c.logout();
  const [local, domain] = user.split('@') as [string, string];
  const dir = path.join(hub.dir, 'mail', domain, local, 'Maildir', 'new');
  const owner = fs.statSync(path.dirname(dir));
  const now = Math.floor(Date.now() / 1000);
  for (let i = offset; i < offset + count; i++) {
    const file = path.join(dir, `${now}.M${i}P${process.pid}.bench`);
    fs.writeFileSync(file, raw(i));
    fs.chownSync(file, owner.uid, owner.gid);
  }
}

/** Poll cost (ms, IMAP commands) for a mailbox of `size` messages, after 10 new ones arrived. */
async function pollCost(hub: MailHub, size: number): Promise<{ ms: number; commands: number }> {
  const user = `poll${size}@warm.test`;
  const pass = `pw-${size}`;
  await addMailHubUser(hub, user, pass);
  await fill(hub, user, pass, size);
  const db = openDatabase(tempDir('kiln-bench-imap'));
  await migrateToLatest(db);
  db.sqlite.prepare("INSERT INTO workspaces VALUES ('ws', 'w', 'w', 0)").run();
  db.sqlite.prepare(
    `INSERT INTO mailboxes (id, workspace_id, email, provider, smtp_host, smtp_port, smtp_security, smtp_user, smtp_secret_ref, status, time_zone, created_at, updated_at)
     VALUES ('mbx', 'ws', ?, 'custom', '127.0.0.1', 25, 'none', ?, 'x', 'active', 'UTC', 0, 0)`,
  ).run(user, user);
  const mailbox = db.sqlite.prepare("SELECT * FROM mailboxes WHERE id = 'mbx'").get() as MailboxRow;
  const ctx = { store: feedbackStore(db.sqlite), engagement: defaultEngagement, engagementFor: () => defaultEngagement, messageByRef: () => undefined, now: () => Date.now(), onPlacement: () => {}, onResync: () => {}, wantsHeadersOf: () => false };
  const counter = countingLogger();
  const client = new ImapFlow({ host: '127.0.0.1', port: hub.ports.imap, secure: false, doSTARTTLS: true, tls: { ca: [hub.caCert] }, auth: { user, pass }, logger: counter.logger });
  await client.connect();
  const inbox = { path: 'INBOX', role: 'inbox' as const };
  await pollFolder(client, ctx, mailbox, inbox); // first read: the whole folder, once
  await fill(hub, user, pass, 10, size);
  counter.reset();
  const t0 = performance.now();
  await pollFolder(client, ctx, mailbox, inbox);
  const ms = performance.now() - t0;
  const commands = counter.commands();
  await client.logout();
  await db.close();
  return { ms, commands };
}

/** Send → placement seen, through Kiln's own send path and the receiving mailbox's IDLE. */
export async function idleLatency(hub: MailHub): Promise<number> {
  await addMailHubUser(hub, 'idle-s@warm.test', 'idle-s-pw');
  await addMailHubUser(hub, 'idle-r@warm.test', 'idle-r-pw');
  const core = await createCore({ dataDir: tempDir('kiln-bench-idle'), ca: [hub.caCert], logger: pino({ level: process.env.BENCH_DEBUG ? 'debug' : 'warn' }), feedbackPollMs: 60_000, engagement: { open: 0, flag: 0, reply: 0 } });
  const ctx = { workspaceId: core.defaultWorkspaceId, scopes: ['admin' as const] };
  const acct = (u: string, p: string) => ({ host: '127.0.0.1', port: hub.ports.submission, security: 'starttls', user: u, password: p });
  const s = await core.call('mailboxes.create', { email: 'idle-s@warm.test', provider: 'custom', smtp: acct('idle-s@warm.test', 'idle-s-pw') }, ctx);
  await core.call('mailboxes.create', { email: 'idle-r@warm.test', provider: 'custom', smtp: acct('idle-r@warm.test', 'idle-r-pw'), imap: { ...acct('idle-r@warm.test', 'idle-r-pw'), port: hub.ports.imap } }, ctx);
  await new Promise((r) => setTimeout(r, 1500)); // watcher connected and idling
  const senderId = (s as { ok: true; data: { id: string } }).data.id;
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    let sentAt = 0;
    const seen = new Promise<number>((resolve) => {
      const off = core.subscribe((e) => {
        const d = e.data as { event?: string };
        if (e.name !== 'message.updated') return;
        if (d.event === 'sent') sentAt = performance.now();
        if (d.event?.startsWith('placement:')) {
          off();
          resolve(performance.now() - sentAt);
        }
      });
    });
    const r = await core.call('messages.send', { mailboxId: senderId, to: ['idle-r@warm.test'], subject: `Idle ${i}`, text: 'hello' }, ctx);
    if (!r.ok) throw new Error(`send failed: ${r.error.code} ${r.error.message}`);
    samples.push(await seen);
  }
  await core.close();
  return samples.sort((a, b) => a - b)[2]!;
}

export async function imapBench(log: (s: string) => void = () => {}): Promise<string> {
  const hub = await startMailHub();
  try {
    const small = await pollCost(hub, 100);
    log(`imap: 100-message poll measured`);
    const large = await pollCost(hub, 10_000);
    log(`imap: 10,000-message poll measured`);
    const idle = await idleLatency(hub);
    return `imap-poll: small=${small.ms.toFixed(1)} large=${large.ms.toFixed(1)} ratio=${(large.ms / small.ms).toFixed(2)} commands-small=${small.commands} commands-large=${large.commands} idle-latency=${idle.toFixed(0)}`;
  } finally {
    await hub.stop();
  }
}
