/**
 * Proves the test mail hub (test/helpers/mailhub.ts) that vitest's globalSetup starts for the run: SMTP in,
 * delivery through LMTP + Sieve, IMAP/IMAPS read-back, DSNs, submission AUTH, and a second hub side by side.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { ImapFlow, type SearchObject } from 'imapflow';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import { describe, expect, inject, it } from 'vitest';
import { addMailHubUser, startMailHub, type MailHubInfo } from '../helpers/mailhub';
import { waitFor } from '../helpers/wait';

const hub = inject('mailhub');

type ImapMode = 'plain' | 'starttls' | 'imaps';

function password(info: MailHubInfo, user: string): string {
  const pw = info.users[user];
  if (pw === undefined) throw new Error(`no such hub user ${user}`);
  return pw;
}

function smtpTransport(info: MailHubInfo, port = info.ports.smtp, auth?: { user: string; pass: string }) {
  // Postfix offers STARTTLS; nodemailer takes it and must then trust the hub's self-signed cert.
  return nodemailer.createTransport({ host: info.host, port, secure: false, tls: { ca: [info.caCert] }, auth });
}

async function withImap<T>(
  info: MailHubInfo,
  user: string,
  mode: ImapMode,
  fn: (client: ImapFlow) => Promise<T>,
): Promise<T> {
  const client = new ImapFlow({
    host: info.host,
    port: mode === 'imaps' ? info.ports.imaps : info.ports.imap,
    secure: mode === 'imaps',
    doSTARTTLS: mode === 'starttls' ? true : mode === 'plain' ? false : undefined,
    tls: { ca: [info.caCert] },
    auth: { user, pass: password(info, user) },
    logger: false,
    disableAutoIdle: true,
  });
  await client.connect();
  try {
    expect(client.secureConnection).toBe(mode !== 'plain');
    return await fn(client);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** Polls `mailbox` of `user` until a message matches `query`; resolves with the parsed message. */
async function waitForMessage(
  user: string,
  mailbox: string,
  query: SearchObject,
  opts: { mode?: ImapMode; info?: MailHubInfo; keepDeliveryStatus?: boolean } = {},
): Promise<ParsedMail> {
  const { mode = 'starttls', info = hub, keepDeliveryStatus = false } = opts;
  const source = await waitFor(
    () =>
      withImap(info, user, mode, async (client) => {
        const lock = await client.getMailboxLock(mailbox);
        try {
          const uids = await client.search(query, { uid: true });
          const uid = uids ? uids[0] : undefined;
          if (uid === undefined) return undefined;
          const msg = await client.fetchOne(String(uid), { source: true }, { uid: true });
          return msg ? msg.source : undefined;
        } finally {
          lock.release();
        }
      }),
    { timeoutMs: 20_000, what: `message ${JSON.stringify(query)} in ${user}/${mailbox}` },
  );
  return simpleParser(source, { keepDeliveryStatus });
}

async function countMessages(user: string, mailbox: string, query: SearchObject): Promise<number> {
  return withImap(hub, user, 'starttls', async (client) => {
    const lock = await client.getMailboxLock(mailbox);
    try {
      const uids = await client.search(query, { uid: true });
      return uids ? uids.length : 0;
    } finally {
      lock.release();
    }
  });
}

function token(): { id: string; messageId: string } {
  const id = randomUUID();
  return { id, messageId: `<${id}@kiln.test>` };
}

/** The message/delivery-status part of a DSN parsed with keepDeliveryStatus: true. */
function deliveryStatus(dsn: ParsedMail): string {
  const part = dsn.attachments.find((a) => a.contentType === 'message/delivery-status');
  if (!part) throw new Error(`no message/delivery-status part in ${dsn.attachments.map((a) => a.contentType)}`);
  return part.content.toString('utf8');
}

describe('mail hub', () => {
  it('delivers SMTP mail to bob, readable over IMAP plain, IMAP STARTTLS and IMAPS', async () => {
    const t = token();
    const info = await smtpTransport(hub).sendMail({
      from: 'alice@warm.test',
      to: 'bob@warm.test',
      subject: `hello ${t.id}`,
      text: 'warm greetings',
      messageId: t.messageId,
    });
    expect(info.accepted).toEqual(['bob@warm.test']);

    for (const mode of ['plain', 'starttls', 'imaps'] as const) {
      const msg = await waitForMessage('bob@warm.test', 'INBOX', { header: { 'message-id': t.id } }, { mode });
      expect(msg.messageId).toBe(t.messageId);
      expect(msg.subject).toBe(`hello ${t.id}`);
      expect(msg.text?.trim()).toBe('warm greetings');
    }
  });

  it('files X-Spam-Flag: YES and [SPAMTEST] mail into Junk, which is a SPECIAL-USE mailbox', async () => {
    const flagged = token();
    const subjectTagged = token();
    const transport = smtpTransport(hub);
    await transport.sendMail({
      from: 'alice@warm.test',
      to: 'bob@warm.test',
      subject: `flagged ${flagged.id}`,
      text: 'spam?',
      messageId: flagged.messageId,
      headers: { 'X-Spam-Flag': 'YES' },
    });
    await transport.sendMail({
      from: 'alice@warm.test',
      to: 'bob@warm.test',
      subject: `[SPAMTEST] ${subjectTagged.id}`,
      text: 'spam?',
      messageId: subjectTagged.messageId,
    });

    for (const t of [flagged, subjectTagged]) {
      const msg = await waitForMessage('bob@warm.test', 'Junk', { header: { 'message-id': t.id } });
      expect(msg.messageId).toBe(t.messageId);
      expect(await countMessages('bob@warm.test', 'INBOX', { header: { 'message-id': t.id } })).toBe(0);
    }

    const specialUse = await withImap(hub, 'bob@warm.test', 'imaps', async (client) =>
      Object.fromEntries((await client.list()).map((m) => [m.path, m.specialUse])),
    );
    expect(specialUse).toMatchObject({ Junk: '\\Junk', Sent: '\\Sent' });
  });

  it('returns an RFC 3464 DSN (5.1.1) to the sender for an unknown user of a hub domain', async () => {
    const t = token();
    await smtpTransport(hub).sendMail({
      from: 'alice@warm.test',
      to: 'nobody@warm.test',
      subject: `to nobody ${t.id}`,
      text: 'hello?',
      messageId: t.messageId,
    });
    // SEARCH BODY does not find the Message-ID inside the DSN's embedded message; SEARCH TEXT does.
    const dsn = await waitForMessage('alice@warm.test', 'INBOX', { text: t.id }, { keepDeliveryStatus: true });
    const contentType = dsn.headers.get('content-type') as { value: string; params: Record<string, string> };
    expect(contentType.value).toBe('multipart/report');
    expect(contentType.params['report-type']).toBe('delivery-status');
    const status = deliveryStatus(dsn);
    expect(status).toMatch(/^Final-Recipient: rfc822; ?nobody@warm\.test$/im);
    expect(status).toMatch(/^Action: failed$/im);
    expect(status).toMatch(/^Status: 5\.1\.1$/im);
  });

  it('never sends mail out: other domains bounce locally with 5.7.1', async () => {
    const t = token();
    await smtpTransport(hub).sendMail({
      from: 'alice@warm.test',
      to: 'someone@example.com',
      subject: `outbound ${t.id}`,
      text: 'must not leave',
      messageId: t.messageId,
    });
    const dsn = await waitForMessage('alice@warm.test', 'INBOX', { text: t.id }, { keepDeliveryStatus: true });
    const status = deliveryStatus(dsn);
    expect(status).toMatch(/^Final-Recipient: rfc822; ?someone@example\.com$/im);
    expect(status).toMatch(/^Status: 5\.7\.1$/im);
  });

  it('submission port refuses a wrong password with 535 and accepts the right one', async () => {
    const wrong = smtpTransport(hub, hub.ports.submission, { user: 'alice@warm.test', pass: 'not-alicepw' });
    await expect(wrong.verify()).rejects.toMatchObject({ responseCode: 535 });

    const right = smtpTransport(hub, hub.ports.submission, {
      user: 'alice@warm.test',
      pass: password(hub, 'alice@warm.test'),
    });
    await expect(right.verify()).resolves.toBe(true);
    const t = token();
    await right.sendMail({
      from: 'alice@warm.test',
      to: 'carol@other.test',
      subject: `submitted ${t.id}`,
      text: 'via submission',
      messageId: t.messageId,
    });
    const msg = await waitForMessage('carol@other.test', 'INBOX', { header: { 'message-id': t.id } });
    expect(msg.subject).toBe(`submitted ${t.id}`);
  });

  it('adds users at runtime (Dovecot re-reads its passwd-file)', async () => {
    const info: MailHubInfo = { ...hub, users: { ...hub.users } };
    const address = `dave-${randomUUID().slice(0, 8)}@warm.test`;
    await addMailHubUser(info, address, 'davepw');
    const t = token();
    await smtpTransport(info).sendMail({
      from: 'alice@warm.test',
      to: address,
      subject: `welcome ${t.id}`,
      text: 'hi dave',
      messageId: t.messageId,
    });
    const msg = await waitForMessage(address, 'INBOX', { header: { 'message-id': t.id } }, { info, mode: 'imaps' });
    expect(msg.subject).toBe(`welcome ${t.id}`);
  });

  it('runs a second hub side by side and stops it completely', async () => {
    const second = await startMailHub({ users: { 'erin@other.test': 'erinpw' } });
    const pids = [
      Number.parseInt(readFileSync(`${second.dir}/postfix/queue/pid/master.pid`, 'utf8'), 10),
      Number.parseInt(readFileSync(`${second.dir}/dovecot/run/master.pid`, 'utf8'), 10),
    ];
    try {
      for (const port of Object.values(hub.ports)) expect(Object.values(second.ports)).not.toContain(port);
      expect(second.users['erin@other.test']).toBe('erinpw');
      const t = token();
      await smtpTransport(second).sendMail({
        from: 'carol@other.test',
        to: 'erin@other.test',
        subject: `second hub ${t.id}`,
        text: 'hello erin',
        messageId: t.messageId,
      });
      const msg = await waitForMessage(
        'erin@other.test',
        'INBOX',
        { header: { 'message-id': t.id } },
        { info: second, mode: 'imaps' },
      );
      expect(msg.subject).toBe(`second hub ${t.id}`);
      // and the first hub never saw it
      expect(await countMessages('carol@other.test', 'INBOX', { header: { 'message-id': t.id } })).toBe(0);
    } finally {
      await second.stop();
    }
    for (const pid of pids) expect(existsSync(`/proc/${pid}`) && !isZombie(pid)).toBe(false);
    expect(existsSync(second.dir)).toBe(false);
  });
});

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}
