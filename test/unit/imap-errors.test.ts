import net from 'node:net';
import { AuthenticationFailure, ImapFlow } from 'imapflow';
import { afterAll, describe, expect, it } from 'vitest';
import { onLines } from '../helpers/lines';
import { classifyImapError, imapFailureCodes, type ImapErrorContext, type ImapFailure } from '../../electron/core/mail/imap';

function err(message: string, props: Record<string, unknown>): Error {
  return Object.assign(new Error(message), props);
}

type Row = [name: string, error: unknown, expected: Partial<ImapFailure>, ctx?: ImapErrorContext];

// Shapes as imapflow 2.10 produces them (captured against Dovecot 2.3 and scripted servers, see below).
const rows: Row[] = [
  // --- auth
  ['Dovecot wrong password', err('Command failed', {
    authenticationFailed: true, responseStatus: 'NO', serverResponseCode: 'AUTHENTICATIONFAILED',
    responseText: 'Authentication failed.', response: '4 NO [AUTHENTICATIONFAILED] Authentication failed.', executedCommand: '4 AUTHENTICATE PLAIN "(* value hidden *)"',
  }), { code: 'IMAP_AUTH_FAILED', stage: 'auth', kind: 'permanent', senderProblem: true, mailboxProblem: true, serverResponseCode: 'AUTHENTICATIONFAILED', responseStatus: 'NO' }],
  ['LOGIN refused without a response code', err('Command failed', { authenticationFailed: true, responseStatus: 'NO', responseText: 'Invalid credentials' }),
    { code: 'IMAP_AUTH_FAILED', stage: 'auth' }],
  ['auth backend down: [UNAVAILABLE]', err('Command failed', { authenticationFailed: true, responseStatus: 'NO', serverResponseCode: 'UNAVAILABLE', responseText: 'try later' }),
    { code: 'IMAP_TRANSIENT', stage: 'auth', kind: 'transient', mailboxProblem: false }],
  ['[PRIVACYREQUIRED]', err('Command failed', { authenticationFailed: true, responseStatus: 'NO', serverResponseCode: 'PRIVACYREQUIRED' }),
    { code: 'IMAP_ENCRYPTION_REQUIRED', stage: 'auth', kind: 'permanent', mailboxProblem: true }],
  ['AuthenticationFailure: login disabled', new AuthenticationFailure('Login is disabled'),
    { code: 'IMAP_AUTH_FAILED', stage: 'auth', kind: 'permanent' }],

  // --- tls
  ['STARTTLS required, not offered', err('Server does not support STARTTLS', { tlsFailed: true }),
    { code: 'IMAP_TLS_UNAVAILABLE', stage: 'tls', kind: 'permanent', mailboxProblem: true }],
  ['STARTTLS handshake: self-signed', err('self-signed certificate', { code: 'DEPTH_ZERO_SELF_SIGNED_CERT', tlsFailed: true }),
    { code: 'IMAP_TLS_FAILED', stage: 'tls', kind: 'permanent', mailboxProblem: true }],
  ['STARTTLS handshake: connection reset', err('read ECONNRESET', { code: 'ECONNRESET', tlsFailed: true }),
    { code: 'IMAP_CONNECTION_LOST', stage: 'tls', kind: 'transient' }],
  ['STARTTLS upgrade timeout', err('Failed to upgrade connection in required time', { code: 'UPGRADE_TIMEOUT', tlsFailed: true }),
    { code: 'IMAP_TIMEOUT', stage: 'tls', kind: 'transient' }],
  ['STARTTLS plaintext injection', err('Server sent data after the STARTTLS response', { code: 'STARTTLS_INJECTION', tlsFailed: true }),
    { code: 'IMAP_TLS_FAILED', stage: 'tls' }],
  ['implicit TLS: self-signed (no tlsFailed flag)', err('self-signed certificate', { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
    { code: 'IMAP_TLS_FAILED', stage: 'tls' }],
  ['implicit TLS: hostname mismatch', err("Hostname/IP does not match certificate's altnames", { code: 'ERR_TLS_CERT_ALTNAME_INVALID', reason: 'Host: x. is not in the cert\'s altnames' }),
    { code: 'IMAP_TLS_FAILED', stage: 'tls' }],
  ['implicit TLS against a plaintext port', err('ssl3_get_record:wrong version number', { code: 'ERR_SSL_WRONG_VERSION_NUMBER', reason: 'wrong version number' }),
    { code: 'IMAP_TLS_FAILED', stage: 'tls' }],

  // --- dns / connect / timeouts / lost connections
  ['ENOTFOUND', err('getaddrinfo ENOTFOUND imap.invalid', { code: 'ENOTFOUND', syscall: 'getaddrinfo' }),
    { code: 'IMAP_DNS', stage: 'dns', kind: 'permanent', mailboxProblem: true }],
  ['EAI_AGAIN', err('getaddrinfo EAI_AGAIN imap.example.com', { code: 'EAI_AGAIN' }),
    { code: 'IMAP_DNS', stage: 'dns', kind: 'transient', mailboxProblem: false }],
  ['ECONNREFUSED', err('connect ECONNREFUSED 127.0.0.1:143', { code: 'ECONNREFUSED', syscall: 'connect', address: '127.0.0.1', port: 143 }),
    { code: 'IMAP_CONNECT', stage: 'connect', kind: 'transient' }],
  ['CONNECT_TIMEOUT', err('Failed to establish connection in required time', { code: 'CONNECT_TIMEOUT' }),
    { code: 'IMAP_TIMEOUT', stage: 'connect', kind: 'transient' }],
  ['GREETING_TIMEOUT', err('Failed to receive greeting from server in required time. Maybe should use TLS?', { code: 'GREETING_TIMEOUT' }),
    { code: 'IMAP_TIMEOUT', stage: 'connect' }],
  ['socket inactivity (ETIMEOUT is imapflow\'s, not DNS)', err('Socket timeout', { code: 'ETIMEOUT' }),
    { code: 'IMAP_TIMEOUT', stage: 'select', kind: 'transient' }],
  ['BYE greeting', err('Unexpected close', { code: 'ClosedAfterConnectText', reason: 'Too many connections' }),
    { code: 'IMAP_CONNECTION_LOST', stage: 'connect', kind: 'transient' }],
  ['NoConnection mid-session', err('Connection not available', { code: 'NoConnection', rejectedFrom: 'close' }),
    { code: 'IMAP_CONNECTION_LOST', stage: 'select', kind: 'transient' }],
  ['tagged BYE', err('Connection not available', { code: 'NoConnection', responseStatus: 'BYE' }),
    { code: 'IMAP_CONNECTION_LOST', kind: 'transient' }],

  // --- select
  ['SELECT of a missing mailbox (Dovecot: bare NO, LIST confirms)', err('Command failed', {
    responseStatus: 'NO', responseText: "Mailbox doesn't exist: Nope", mailboxMissing: true,
  }), { code: 'IMAP_MAILBOX_NOT_FOUND', stage: 'select', kind: 'permanent', mailboxProblem: true }],
  ['SELECT NO [NONEXISTENT]', err('Command failed', { responseStatus: 'NO', serverResponseCode: 'NONEXISTENT' }),
    { code: 'IMAP_MAILBOX_NOT_FOUND', stage: 'select' }],
  ['SELECT NO [NOPERM]', err('Command failed', { responseStatus: 'NO', serverResponseCode: 'NOPERM' }),
    { code: 'IMAP_SELECT_FAILED', stage: 'select', kind: 'permanent' }],
  ['SELECT NO [INUSE]', err('Command failed', { responseStatus: 'NO', serverResponseCode: 'INUSE' }),
    { code: 'IMAP_TRANSIENT', stage: 'select', kind: 'transient' }],
  ['BAD', err('Command failed', { responseStatus: 'BAD', responseText: 'Error in IMAP command' }),
    { code: 'IMAP_PROTOCOL', kind: 'permanent' }],
  ['throttled (MS365)', err('Command failed', { responseStatus: 'BAD', code: 'ETHROTTLE', throttleReset: 92415 }),
    { code: 'IMAP_THROTTLED', kind: 'transient' }],
  ['parser error', err('Failed to parse the server response for this command', { code: 'ParserError11' }),
    { code: 'IMAP_PROTOCOL', kind: 'transient' }],

  // --- other
  ['unknown error, caller\'s stage', new Error('odd'), { code: 'IMAP_UNKNOWN', stage: 'auth', kind: 'transient' }, { stage: 'auth' }],
  ['not an error', 42, { code: 'IMAP_UNKNOWN' }],
];

describe('classifyImapError: imapflow error shapes', () => {
  it.each(rows)('%s', (_name, error, expected, ctx) => {
    const f = classifyImapError(error, ctx);
    expect(f).toMatchObject(expected);
    expect(imapFailureCodes).toContain(f.code);
    expect(f.message.length).toBeGreaterThan(0);
  });

  it('carries the BYE reason into the message once', () => {
    const f = classifyImapError(err('Unexpected close', { code: 'ClosedAfterConnectText', reason: 'Too many connections' }));
    expect(f.message).toContain('Too many connections');
    const tls = classifyImapError(err('x:wrong version number:y', { code: 'ERR_SSL_WRONG_VERSION_NUMBER', reason: 'wrong version number' }));
    expect(tls.message.match(/wrong version number/g)).toHaveLength(1);
  });

  it('scrubs secrets from server text', () => {
    const f = classifyImapError(err('Command failed', { authenticationFailed: true, responseStatus: 'NO', responseText: 'bad password Hunter2-x' }), { secrets: ['Hunter2-x'] });
    expect(f.message).not.toContain('Hunter2-x');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Real errors: ImapFlow against a scripted IMAP server on 127.0.0.1.

const servers: net.Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

interface Script {
  greeting: string;
  capabilities: string;
  /** Reply lines for a tagged command (without the tag on the last line: '{tag}' is replaced). */
  on?: (verb: string, line: string) => string | undefined;
}

async function scripted(script: Script): Promise<number> {
  const server = net.createServer((s) => {
    s.on('error', () => undefined);
    s.write(`${script.greeting}\r\n`);
    if (script.greeting.startsWith('* BYE')) {
      s.end();
      return;
    }
    onLines(s, (line) => {
      const [tag = '*', verb = ''] = line.split(' ');
      const custom = script.on?.(verb.toUpperCase(), line);
      if (custom !== undefined) s.write(`${custom.replaceAll('{tag}', tag)}\r\n`);
      else if (verb.toUpperCase() === 'CAPABILITY') s.write(`* CAPABILITY ${script.capabilities}\r\n${tag} OK done\r\n`);
      else if (verb.toUpperCase() === 'LOGOUT') s.end(`* BYE bye\r\n${tag} OK bye\r\n`);
      else if (verb.toUpperCase() === 'LIST') s.write(`${tag} OK LIST done\r\n`);
      else s.write(`${tag} OK done\r\n`);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

async function attempt(port: number, opts: Record<string, unknown>, after?: (c: ImapFlow) => Promise<unknown>): Promise<unknown> {
  const c = new ImapFlow({ host: '127.0.0.1', port, logger: false, disableCompression: true, disableAutoEnable: true, auth: { user: 'alice', pass: 'Pa55-word!' }, ...opts });
  c.on('error', () => undefined);
  try {
    await c.connect();
    if (after) await after(c);
    return undefined;
  } catch (e) {
    return e;
  } finally {
    c.close();
  }
}

describe('classifyImapError: errors triggered for real', () => {
  it('LOGIN refused with [AUTHENTICATIONFAILED]', async () => {
    const port = await scripted({
      greeting: '* OK IMAP ready',
      capabilities: 'IMAP4rev1',
      on: (verb) => (verb === 'LOGIN' ? '{tag} NO [AUTHENTICATIONFAILED] Authentication failed.' : undefined),
    });
    const e = await attempt(port, { doSTARTTLS: false });
    expect(e).toMatchObject({ authenticationFailed: true, responseStatus: 'NO', serverResponseCode: 'AUTHENTICATIONFAILED' });
    const f = classifyImapError(e, { secrets: ['Pa55-word!'] });
    expect(f).toMatchObject({ code: 'IMAP_AUTH_FAILED', stage: 'auth', kind: 'permanent', mailboxProblem: true });
    expect(f.message).not.toContain('Pa55-word!');
  });

  it('STARTTLS required but not advertised', async () => {
    const port = await scripted({ greeting: '* OK IMAP ready', capabilities: 'IMAP4rev1' });
    const e = await attempt(port, { doSTARTTLS: true });
    expect(e).toMatchObject({ tlsFailed: true });
    expect(classifyImapError(e)).toMatchObject({ code: 'IMAP_TLS_UNAVAILABLE', stage: 'tls', kind: 'permanent' });
  });

  it('BYE instead of a greeting', async () => {
    const port = await scripted({ greeting: '* BYE Too many connections from your IP', capabilities: '' });
    const e = await attempt(port, { doSTARTTLS: false });
    const f = classifyImapError(e);
    expect(f).toMatchObject({ code: 'IMAP_CONNECTION_LOST', stage: 'connect', kind: 'transient' });
    expect(f.message).toContain('Too many connections');
  });

  it('SELECT of a mailbox that does not exist', async () => {
    const port = await scripted({
      greeting: '* OK IMAP ready',
      capabilities: 'IMAP4rev1',
      on: (verb) => (verb === 'SELECT' || verb === 'EXAMINE' ? '{tag} NO [NONEXISTENT] Mailbox does not exist' : undefined),
    });
    const e = await attempt(port, { doSTARTTLS: false }, (c) => c.mailboxOpen('Nope', { readOnly: true }));
    expect(e).toMatchObject({ responseStatus: 'NO', serverResponseCode: 'NONEXISTENT', mailboxMissing: true });
    expect(classifyImapError(e, { stage: 'select' })).toMatchObject({ code: 'IMAP_MAILBOX_NOT_FOUND', stage: 'select', mailboxProblem: true });
  });

  it('connection refused', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const e = await attempt(port, {});
    expect(e).toMatchObject({ code: 'ECONNREFUSED' });
    expect(classifyImapError(e)).toMatchObject({ code: 'IMAP_CONNECT', stage: 'connect' });
  });
});
