import { ImapFlow } from 'imapflow';
import type { MailHubInfo } from './mailhub';

/** Messages in `folder` of a hub user whose Message-ID header is `messageId` (read over IMAP STARTTLS). */
export async function findByMessageId(hub: MailHubInfo, user: string, password: string, messageId: string, folder = 'INBOX'): Promise<string[]> {
  const client = new ImapFlow({
    host: hub.host,
    port: hub.ports.imap,
    secure: false,
    doSTARTTLS: true,
    tls: { ca: [hub.caCert] },
    auth: { user, pass: password },
    logger: false,
    disableAutoIdle: true,
  });
  await client.connect();
  try {
    const lock = await client.getMailboxLock(folder);
    try {
      const uids = (await client.search({ header: { 'message-id': messageId } }, { uid: true })) || [];
      const raws: string[] = [];
      for (const uid of uids) {
        const msg = await client.fetchOne(String(uid), { source: true }, { uid: true });
        if (msg && msg.source) raws.push(msg.source.toString('utf8'));
      }
      return raws;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** Unique hub addresses per test file: files run in parallel against one hub. */
export function uniqueUser(prefix: string, domain = 'warm.test'): { address: string; password: string } {
  const tag = Math.random().toString(36).slice(2, 8);
  return { address: `${prefix}-${tag}@${domain}`, password: `pw-${prefix}-${tag}-S3cret!` };
}

/** SMTP (submission, STARTTLS) and IMAP (STARTTLS) settings of a hub user, as a mailbox create body takes them. */
export function hubAccount(hub: MailHubInfo, u: { address: string; password: string }) {
  const base = { host: '127.0.0.1', security: 'starttls' as const, user: u.address, password: u.password };
  return { smtp: { ...base, port: hub.ports.submission }, imap: { ...base, port: hub.ports.imap } };
}

/** Counts the IMAP commands a client sends (imapflow logs each one at debug level, src "c"). */
export function countingLogger() {
  let n = 0;
  const noop = () => {};
  return {
    logger: {
      debug: (o: { src?: string; msg?: string }) => {
        if (o?.src === 'c' && typeof o.msg === 'string' && /^\S+ (UID )?[A-Z]{3,}/.test(o.msg)) n++;
      },
      info: noop,
      warn: noop,
      error: noop,
    },
    commands: () => n,
    reset: () => {
      n = 0;
    },
  };
}
