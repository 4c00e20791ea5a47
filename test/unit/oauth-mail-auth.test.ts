// How an OAuth mailbox signs in to SMTP and IMAP: nodemailer's XOAUTH2 against smtp-server on
// 127.0.0.1 (a refused token is renewed once and tried again), imapflow's accessToken option, and
// password mailboxes exactly as before. The token source stands in for the token manager.
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailboxRow } from '../../electron/core/db/schema';
import { imapOptions } from '../../electron/core/mail/imap/options';
import { passwordCredential, type MailCredential } from '../../electron/core/mail/credential';
import { smtpOptions } from '../../electron/core/sending/transports';

const seen: { user: string; token: string | undefined; method: string }[] = [];
let server: SMTPServer;
let port = 0;

beforeAll(async () => {
  server = new SMTPServer({
    authMethods: ['XOAUTH2', 'PLAIN'],
    allowInsecureAuth: true,
    disableReverseLookup: true,
    logger: false,
    onAuth(auth, _session, cb) {
      seen.push({ user: auth.username ?? '', token: auth.accessToken, method: auth.method });
      if (auth.method === 'XOAUTH2' && auth.accessToken === 'fresh-token') return cb(null, { user: auth.username });
      if (auth.method === 'PLAIN' && auth.password === 'the-password') return cb(null, { user: auth.username });
      // XOAUTH2's error challenge (334 + JSON): the client may fetch a new token and try once more.
      if (auth.method === 'XOAUTH2') return cb(null, { data: { status: '401', schemes: 'bearer', scope: 'mail' } });
      return cb(new Error('Invalid username or password'));
    },
    onData(stream, _session, cb) {
      stream.resume();
      stream.on('end', () => cb());
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const row = (): MailboxRow =>
  ({ id: 'm1', smtp_host: '127.0.0.1', smtp_port: port, smtp_security: 'none', smtp_user: 'oauth@kiln.test', imap_host: '127.0.0.1', imap_port: 993, imap_security: 'tls', imap_user: 'oauth@kiln.test' }) as MailboxRow;

/** Hands out a stale token first; a renewal (the server refused it) gets the fresh one. */
function tokenSource() {
  const calls: boolean[] = [];
  const c: MailCredential = {
    kind: 'oauth2',
    accessToken: 'stale-token',
    token: async (renew) => {
      calls.push(renew);
      return renew ? 'fresh-token' : 'stale-token';
    },
  };
  return { c, calls };
}

describe('SMTP sign-in of an OAuth mailbox', () => {
  it('authenticates with XOAUTH2, and after a refused token renews it once and succeeds', async () => {
    seen.length = 0;
    const { c, calls } = tokenSource();
    const t = nodemailer.createTransport(smtpOptions(row(), c, {}));
    const info = await t.sendMail({ from: 'oauth@kiln.test', to: 'x@kiln.test', subject: 's', text: 't' });
    t.close();
    expect(info.accepted).toEqual(['x@kiln.test']);
    expect(seen).toEqual([
      { user: 'oauth@kiln.test', token: 'stale-token', method: 'XOAUTH2' },
      { user: 'oauth@kiln.test', token: 'fresh-token', method: 'XOAUTH2' },
    ]);
    expect(calls).toEqual([false, true]);
  });

  it('signs a password mailbox in with its password, as before', async () => {
    seen.length = 0;
    const t = nodemailer.createTransport(smtpOptions(row(), passwordCredential('the-password'), {}));
    await t.sendMail({ from: 'oauth@kiln.test', to: 'x@kiln.test', subject: 's', text: 't' });
    t.close();
    expect(seen.map((s) => s.method)).toEqual(['PLAIN']);
  });
});

describe('IMAP sign-in options', () => {
  it('gives imapflow the access token (it picks OAUTHBEARER or XOAUTH2), or the password', () => {
    expect(imapOptions(row(), tokenSource().c, { use: 'batch' }).auth).toEqual({ user: 'oauth@kiln.test', accessToken: 'stale-token' });
    expect(imapOptions(row(), passwordCredential('pw'), { use: 'batch' }).auth).toEqual({ user: 'oauth@kiln.test', pass: 'pw' });
  });
});
