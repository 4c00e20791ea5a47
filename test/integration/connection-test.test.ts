// testSmtp against real SMTP servers (smtp-server) on 127.0.0.1, with a throw-away self-signed certificate.
// No DNS query leaves the machine: hosts are IP literals or 'localhost', and other names go through the injected lookup.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSmtp, type ConnectOptions, type ServerParams, type SmtpTestResult } from '../../electron/core/mail/connection-test';

const USER = 'alice@warm.test';
const PASSWORD = 'Corr3ct-Horse!battery';
const WRONG_PASSWORD = 'Wr0ng-Horse!staple';

let dir: string;
let key: string;
let cert: string;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-conntest-'));
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '2',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  key = fs.readFileSync(path.join(dir, 'key.pem'), 'utf8');
  cert = fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8');
});

afterAll(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Listening {
  port: number;
  /** How many client connections the server still has open. */
  open(): number;
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

/** A real SMTP server: alice@warm.test / PASSWORD, STARTTLS (or implicit TLS) with the test certificate. */
async function smtpServer(opts: SMTPServerOptions = {}): Promise<Listening> {
  const server = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    key,
    cert,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, cb) {
      if (auth.username === USER && auth.password === PASSWORD) cb(null, { user: USER });
      else cb(new Error('Invalid username or password'));
    },
    ...opts,
  });
  server.on('error', () => undefined);
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.server.address() as net.AddressInfo).port)),
  );
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  // smtp-server's own session set: after STARTTLS the raw socket object no longer reports 'close'.
  return { port, open: () => server.connections.size };
}

/** A raw TCP server running `onConnection` for each client; it reads (and drops) input so it sees the client's FIN. */
async function rawServer(onConnection: (s: net.Socket) => void): Promise<Listening> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.once('close', () => sockets.delete(s));
    s.resume();
    onConnection(s);
  });
  const port = await listen(server);
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port, open: () => sockets.size };
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function params(port: number, over: Partial<ServerParams> = {}): ServerParams {
  return { host: '127.0.0.1', port, security: 'starttls', user: USER, password: PASSWORD, ...over };
}

const trust = (): ConnectOptions => ({ ca: [cert] });

/** Every result: consistent shape, and the password never leaks into what users or logs see. */
function check(r: SmtpTestResult, password = PASSWORD): SmtpTestResult {
  const text = JSON.stringify(r);
  expect(text).not.toContain(password);
  expect(text).not.toContain(Buffer.from(password).toString('base64'));
  expect(r.durationMs).toBeGreaterThanOrEqual(0);
  if (r.ok) {
    expect(r.stage).toBeUndefined();
    expect(r.code).toBeUndefined();
  } else {
    expect(r.stage).toBeDefined();
    expect(r.code).toMatch(/^SMTP_[A-Z_]+$/);
    expect(r.message).toBeTruthy();
    expect(r.failure?.code).toBe(r.code);
    expect(r.failure?.stage).toBe(r.stage);
  }
  return r;
}

/** Resolves once the server has seen every connection closed: the test must not leave sockets behind. */
async function allClosed(l: Listening): Promise<void> {
  await expect.poll(() => l.open(), { timeout: 5_000 }).toBe(0);
}

const ALL = ['dns', 'connect', 'tls', 'auth', 'send'];

describe('testSmtp against smtp-server', () => {
  it('passes every stage with STARTTLS and good credentials', async () => {
    const srv = await smtpServer();
    const r = check(await testSmtp(params(srv.port), trust()));
    expect(r).toMatchObject({ ok: true, passed: ALL });
    await allClosed(srv);
  });

  it('passes every stage with implicit TLS', async () => {
    const srv = await smtpServer({ secure: true });
    const r = check(await testSmtp(params(srv.port, { security: 'tls' }), trust()));
    expect(r).toMatchObject({ ok: true, passed: ALL });
    await allClosed(srv);
  });

  it('reports progress forward, stage by stage, ending with every stage passed (STARTTLS and implicit TLS)', async () => {
    // STARTTLS happens inside nodemailer's connect, so `tls` is known passed only once auth starts;
    // implicit TLS is a stage of its own, and its step back to `connect` (the greeting) is not re-reported.
    const expected = {
      starttls: [['dns', []], ['connect', ['dns']], ['auth', ['dns', 'connect', 'tls']]],
      tls: [['dns', []], ['connect', ['dns']], ['tls', ['dns', 'connect']], ['auth', ['dns', 'connect', 'tls']]],
    };
    for (const security of ['starttls', 'tls'] as const) {
      const srv = await smtpServer({ secure: security === 'tls' });
      const seen: Array<[string | null, string[]]> = [];
      const r = check(await testSmtp(params(srv.port, { security }), { ...trust(), onStage: (running, passed) => seen.push([running, [...passed]]) }));
      expect(r.ok).toBe(true);
      expect(seen, security).toEqual([...expected[security], ['send', ['dns', 'connect', 'tls', 'auth']], [null, ALL]]);
    }
  });

  it('progress stops at the failing stage, and a throwing listener does not break the test', async () => {
    const srv = await smtpServer();
    const seen: Array<string | null> = [];
    const r = check(
      await testSmtp(params(srv.port, { password: WRONG_PASSWORD }), {
        ...trust(),
        onStage: (running) => {
          seen.push(running);
          throw new Error('listener bug');
        },
      }),
      WRONG_PASSWORD,
    );
    expect(r).toMatchObject({ ok: false, stage: 'auth', code: 'SMTP_AUTH_FAILED' });
    expect(seen).toEqual(['dns', 'connect', 'auth']);
    // The failed stage is bad with the coded error as its answer; the one after it was never reached.
    expect(r.stages.map((s) => [s.stage, s.status, s.verdict.state])).toEqual([
      ['dns', 'passed', 'good'],
      ['connect', 'passed', 'good'],
      ['tls', 'passed', 'good'],
      ['auth', 'failed', 'bad'],
      ['send', 'not_reached', 'unknown'],
    ]);
    const auth = r.stages[3]!.verdict.evidence.at(-1)!;
    expect(auth.asked).toBe(`AUTH as ${USER} at 127.0.0.1:${srv.port}`);
    expect(auth.answered).toMatch(/^SMTP_AUTH_FAILED: /);
  });

  it('verifies the certificate against the host name (localhost, no DNS query)', async () => {
    const srv = await smtpServer();
    const r = check(await testSmtp(params(srv.port, { host: 'localhost' }), trust()));
    expect(r).toMatchObject({ ok: true, passed: ALL });
  });

  it('passes over plaintext when security is none, saying tls "not used" (never passed), also in the progress', async () => {
    const srv = await smtpServer({ allowInsecureAuth: true, hideSTARTTLS: true });
    const seen: Array<[string | null, string[], string[]]> = [];
    const r = check(await testSmtp(params(srv.port, { security: 'none' }), { onStage: (running, passed, notUsed) => seen.push([running, [...passed], [...notUsed]]) }));
    expect(r).toMatchObject({ ok: true, passed: ['dns', 'connect', 'auth', 'send'] });
    expect(r.stages.map((s) => [s.stage, s.status, s.verdict.state, s.verdict.label])).toEqual([
      ['dns', 'passed', 'good', 'passed'],
      ['connect', 'passed', 'good', 'passed'],
      ['tls', 'not_used', 'na', 'not used'],
      ['auth', 'passed', 'good', 'passed'],
      ['send', 'passed', 'good', 'passed'],
    ]);
    expect(seen.map(([running, passed]) => [running, passed])).toEqual([['dns', []], ['connect', ['dns']], ['auth', ['dns', 'connect']], ['send', ['dns', 'connect', 'auth']], [null, ['dns', 'connect', 'auth', 'send']]]);
    expect(seen.every(([, , notUsed]) => notUsed.join() === 'tls')).toBe(true);
  });

  it('every passed stage rests on evidence: what was asked, what answered, when (the injected clock)', async () => {
    const srv = await smtpServer();
    const at = Date.UTC(2026, 0, 2, 3, 4, 5);
    const r = check(await testSmtp(params(srv.port), { ...trust(), now: () => at }));
    expect(r.ok).toBe(true);
    for (const s of r.stages) {
      expect(s.verdict.state, s.stage).toBe('good');
      expect(s.verdict.evidence.length, s.stage).toBeGreaterThan(0);
      for (const e of s.verdict.evidence) expect(e.at).toBe(new Date(at).toISOString());
    }
    const tls = r.stages.find((s) => s.stage === 'tls')!.verdict.evidence;
    expect(tls[0]!.asked).toBe(`STARTTLS at 127.0.0.1:${srv.port}`);
    expect(tls[0]!.answered).toMatch(/^TLSv1\.[23], .*certificate CN=localhost/);
    expect(r.stages.find((s) => s.stage === 'send')!.verdict.evidence[0]!.answered).toMatch(/^250/);
  });

  it('sends MAIL FROM and RSET but never DATA', async () => {
    const seen: string[] = [];
    const srv = await smtpServer({
      onMailFrom(address, _session, cb) {
        seen.push(`MAIL ${address.address}`);
        cb();
      },
      onRcptTo(_address, _session, cb) {
        seen.push('RCPT');
        cb();
      },
      onData(stream, _session, cb) {
        seen.push('DATA');
        stream.resume();
        stream.on('end', () => cb(null));
      },
    });
    const r = check(await testSmtp(params(srv.port), { ...trust(), mailFrom: 'warmup@warm.test' }));
    expect(r.ok).toBe(true);
    expect(seen).toEqual(['MAIL warmup@warm.test']);
  });

  it('reports a wrong password at stage auth', async () => {
    const srv = await smtpServer();
    const r = check(await testSmtp(params(srv.port, { password: WRONG_PASSWORD }), trust()), WRONG_PASSWORD);
    expect(r).toMatchObject({ ok: false, stage: 'auth', code: 'SMTP_AUTH_FAILED', passed: ['dns', 'connect', 'tls'] });
    expect(r.failure).toMatchObject({ kind: 'permanent', mailboxProblem: true, senderProblem: true, responseCode: 535 });
    await allClosed(srv);
  });

  it('reports a closed port at stage connect', async () => {
    const r = check(await testSmtp(params(await closedPort()), trust()));
    expect(r).toMatchObject({ ok: false, stage: 'connect', code: 'SMTP_CONNECT', passed: ['dns'] });
  });

  it('reports STARTTLS not offered at stage tls', async () => {
    const srv = await smtpServer({ disabledCommands: ['STARTTLS'], allowInsecureAuth: true });
    const r = check(await testSmtp(params(srv.port), trust()));
    expect(r).toMatchObject({ ok: false, stage: 'tls', code: 'SMTP_TLS_UNAVAILABLE', passed: ['dns', 'connect'] });
    expect(r.failure).toMatchObject({ kind: 'permanent', mailboxProblem: true });
    await allClosed(srv);
  });

  it('reports an untrusted (self-signed) certificate at stage tls: verification is never disabled', async () => {
    const srv = await smtpServer();
    const starttls = check(await testSmtp(params(srv.port)));
    expect(starttls).toMatchObject({ ok: false, stage: 'tls', code: 'SMTP_TLS_FAILED', passed: ['dns', 'connect'] });

    const implicit = await smtpServer({ secure: true });
    const r = check(await testSmtp(params(implicit.port, { security: 'tls' })));
    expect(r).toMatchObject({ ok: false, stage: 'tls', code: 'SMTP_TLS_FAILED', passed: ['dns', 'connect'] });
    await allClosed(srv);
    await allClosed(implicit);
  });

  it('reports a certificate for another name at stage tls', async () => {
    const srv = await smtpServer();
    const lookup = async (host: string) => (host === 'mail.kiln.test' ? ['127.0.0.1'] : []);
    const r = check(await testSmtp(params(srv.port, { host: 'mail.kiln.test' }), { ...trust(), lookup }));
    expect(r).toMatchObject({ ok: false, stage: 'tls', code: 'SMTP_TLS_FAILED' });
  });

  it('reports implicit TLS against a plaintext port at stage tls', async () => {
    const srv = await smtpServer();
    const r = check(await testSmtp(params(srv.port, { security: 'tls' }), trust()));
    expect(r).toMatchObject({ ok: false, stage: 'tls', code: 'SMTP_TLS_FAILED', passed: ['dns', 'connect'] });
  });

  it('reports an unresolvable host at stage dns, through the injected lookup', async () => {
    const asked: string[] = [];
    const lookup = async (host: string): Promise<string[]> => {
      asked.push(host);
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host });
    };
    const r = check(await testSmtp(params(25, { host: 'nonexistent.invalid' }), { lookup }));
    expect(r).toMatchObject({ ok: false, stage: 'dns', code: 'SMTP_DNS', passed: [] });
    expect(r.failure).toMatchObject({ kind: 'permanent', mailboxProblem: true });
    expect(asked).toEqual(['nonexistent.invalid']);

    const empty = check(await testSmtp(params(25, { host: 'nonexistent.invalid' }), { lookup: async () => [] }));
    expect(empty).toMatchObject({ ok: false, stage: 'dns', code: 'SMTP_DNS' });
  });

  it('uses the injected lookup for the addresses it connects to', async () => {
    const srv = await smtpServer({ allowInsecureAuth: true, hideSTARTTLS: true });
    const r = check(await testSmtp(params(srv.port, { host: 'smtp.kiln.test', security: 'none' }), { lookup: async () => ['127.0.0.1'] }));
    expect(r).toMatchObject({ ok: true, passed: ['dns', 'connect', 'auth', 'send'] });
    expect(r.stages[0]!.verdict.evidence[0]).toMatchObject({ asked: 'A/AAAA smtp.kiln.test', answered: '127.0.0.1' });
  });

  it('reports MAIL FROM rejected with 550 5.7.1 at stage send as the sender\'s problem', async () => {
    const srv = await smtpServer({
      onMailFrom(_address, _session, cb) {
        cb(Object.assign(new Error('5.7.1 Sender address rejected: not owned by user'), { responseCode: 550 }));
      },
    });
    const r = check(await testSmtp(params(srv.port), trust()));
    expect(r).toMatchObject({ ok: false, stage: 'send', code: 'SMTP_POLICY', passed: ['dns', 'connect', 'tls', 'auth'] });
    expect(r.failure).toMatchObject({ kind: 'permanent', senderProblem: true, responseCode: 550, enhancedStatus: '5.7.1' });
    expect(r.message).toContain('5.7.1');
    await allClosed(srv);
  });

  it('reports a temporary MAIL FROM refusal as transient', async () => {
    const srv = await smtpServer({
      onMailFrom(_address, _session, cb) {
        cb(Object.assign(new Error('4.7.1 Try again later'), { responseCode: 451 }));
      },
    });
    const r = check(await testSmtp(params(srv.port), trust()));
    expect(r).toMatchObject({ ok: false, stage: 'send', code: 'SMTP_TRANSIENT' });
    expect(r.failure).toMatchObject({ kind: 'transient', senderProblem: false, responseCode: 451 });
  });

  it('reports a server without AUTH at stage auth', async () => {
    const srv = await smtpServer({ authOptional: true, disabledCommands: ['AUTH'] });
    const r = check(await testSmtp(params(srv.port), trust()));
    expect(r).toMatchObject({ ok: false, stage: 'auth', code: 'SMTP_AUTH_UNAVAILABLE', passed: ['dns', 'connect', 'tls'] });
  });

  it('reports a 421 greeting at stage connect as transient', async () => {
    const srv = await rawServer((s) => s.end('421 4.3.2 Service not available, closing transmission channel\r\n'));
    const r = check(await testSmtp(params(srv.port), trust()));
    expect(r).toMatchObject({ ok: false, stage: 'connect', code: 'SMTP_TRANSIENT', passed: ['dns'] });
    expect(r.failure).toMatchObject({ kind: 'transient', responseCode: 421 });
  });

  it('reports a connection dropped before the greeting at stage connect', async () => {
    const srv = await rawServer((s) => s.destroy());
    const r = check(await testSmtp(params(srv.port), trust()));
    expect(r).toMatchObject({ ok: false, stage: 'connect', code: 'SMTP_CONNECTION_LOST' });
    expect(r.failure?.kind).toBe('transient');
  });

  it('does not hang on a server that never greets, and closes the socket', async () => {
    const srv = await rawServer(() => undefined);
    const r = check(await testSmtp(params(srv.port), { ...trust(), timeoutMs: 1_000 }));
    expect(r).toMatchObject({ ok: false, stage: 'connect', code: 'SMTP_TIMEOUT', passed: ['dns'] });
    expect(r.failure?.kind).toBe('transient');
    await allClosed(srv);
  });

  it('does not hang on a server that stalls the TLS handshake', async () => {
    const srv = await rawServer(() => undefined); // accepts, never answers the ClientHello
    const r = check(await testSmtp(params(srv.port, { security: 'tls' }), { ...trust(), timeoutMs: 1_000 }));
    expect(r).toMatchObject({ ok: false, stage: 'tls', code: 'SMTP_TIMEOUT', passed: ['dns', 'connect'] });
    await allClosed(srv);
  });

  it('reports a server that stalls inside the STARTTLS handshake at stage tls', async () => {
    const srv = await rawServer((s) => {
      s.write('220 stall.test ESMTP\r\n');
      let buf = '';
      s.on('data', (chunk: Buffer) => {
        buf += chunk.toString('latin1');
        if (buf.includes('EHLO') && !buf.includes('STARTTLS')) s.write('250-stall.test\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n');
        if (/STARTTLS\r\n$/.test(buf)) s.write('220 2.0.0 Ready to start TLS\r\n'); // then never answers the ClientHello
      });
    });
    const r = check(await testSmtp(params(srv.port), { ...trust(), timeoutMs: 1_000 }));
    expect(r).toMatchObject({ ok: false, stage: 'tls', code: 'SMTP_TIMEOUT', passed: ['dns', 'connect'] });
    await allClosed(srv);
  });

  it('does not hang on a server that stalls after MAIL FROM', async () => {
    const srv = await smtpServer({
      onMailFrom() {
        // never answers
      },
    });
    const r = check(await testSmtp(params(srv.port), { ...trust(), timeoutMs: 2_000 }));
    expect(r).toMatchObject({ ok: false, stage: 'send', code: 'SMTP_TIMEOUT', passed: ['dns', 'connect', 'tls', 'auth'] });
    await allClosed(srv);
  });
});
