// Every ImapFlow Kiln opens is configured here, the IMAP counterpart of `smtpOptions`
// (sending/transports.ts): a mailbox's long-lived watcher, a one-shot batch run (DMARC reports),
// and the connection test's probe.
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import type { Security } from '../../../../shared/domain/mailbox';
import type { MailboxRow } from '../../db/schema';
import type { MailCredential } from '../credential';

/**
 * `watch`: a session that idles on INBOX between polls (the feedback watcher);
 * `batch`: connect, do a run of commands, log out (DMARC ingestion): no IDLE at all.
 */
export type ImapUse = 'watch' | 'batch';

/** imapflow signs in with OAUTHBEARER when the server offers it, else XOAUTH2, given an access token. */
export const imapAuth = (user: string, c: MailCredential): ImapFlowOptions['auth'] =>
  c.kind === 'password' ? { user, pass: c.password } : { user, accessToken: c.accessToken };

/**
 * A stored mailbox's IMAP settings to ImapFlow options. Certificates are always verified; `ca` adds
 * roots. An OAuth access token is fetched just before (oauth/credentials.ts): a session that is
 * refused reconnects with a renewed one.
 */
export function imapOptions(row: MailboxRow, credential: MailCredential, o: { ca?: string[] | undefined; use: ImapUse }): ImapFlowOptions {
  return {
    host: row.imap_host!,
    port: row.imap_port!,
    secure: row.imap_security === 'tls',
    doSTARTTLS: row.imap_security === 'starttls' ? true : row.imap_security === 'none' ? false : undefined,
    auth: imapAuth(row.imap_user!, credential),
    tls: o.ca ? { ca: o.ca } : {},
    logger: false,
    emitLogs: false,
    // watch: IDLE right after each round (imapflow waits 15 s by default), so new mail wakes the watcher at once.
    ...(o.use === 'watch' ? { autoIdleDelay: 200 } : { disableAutoIdle: true }),
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 5 * 60_000,
  };
}

/** Whether Kiln can open IMAP sessions for a stored mailbox (settings and a credential ref). */
export const hasImapAccess = (row: Pick<MailboxRow, 'imap_host' | 'imap_secret_ref'>): boolean => row.imap_host != null && row.imap_secret_ref != null;

/** A client for a stored mailbox; 'error' events are swallowed: they surface through 'close' and failed commands. */
export function imapClient(row: MailboxRow, credential: MailCredential, o: { ca?: string[] | undefined; use: ImapUse }): ImapFlow {
  const client = new ImapFlow(imapOptions(row, credential, o));
  client.on('error', () => {});
  return client;
}

export interface ProbeTarget {
  /** The address that answered the TCP probe (so ImapFlow makes no second DNS query). */
  address: string;
  /** The configured host name, for SNI and certificate checks; absent when the host is an IP literal. */
  servername?: string;
  port: number;
  security: Security;
  user: string;
  /** A password, or an OAuth mailbox's access token (imapflow then signs in as `imapAuth` has it: OAUTHBEARER or XOAUTH2). */
  secret: { password: string } | { accessToken: string };
  /** TLS options without `servername` (ImapFlow takes it as its own option). */
  tls: ImapFlowOptions['tls'];
  /** What is left of the test's deadline: bounds connect, greeting and socket inactivity. */
  remainingMs: number;
}

/** The connection test's client options: no compression, no auto-ENABLE, no IDLE, every wait bounded by the test. */
export function probeImapOptions(t: ProbeTarget): ImapFlowOptions {
  return {
    host: t.address,
    ...(t.servername ? { servername: t.servername } : {}),
    port: t.port,
    secure: t.security === 'tls',
    doSTARTTLS: t.security === 'starttls',
    auth: 'accessToken' in t.secret ? { user: t.user, accessToken: t.secret.accessToken } : { user: t.user, pass: t.secret.password },
    tls: t.tls,
    logger: false,
    disableCompression: true,
    disableAutoEnable: true,
    disableAutoIdle: true,
    connectionTimeout: t.remainingMs,
    greetingTimeout: t.remainingMs,
    socketTimeout: t.remainingMs,
  };
}
