// testImap against a real Dovecot (the test mail hub, 127.0.0.1 only), plus testSmtp against the hub's Postfix
// submission port. No DNS query leaves the machine: hosts are 127.0.0.1 / localhost, other names use the injected lookup.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testImap, testSmtp, type ImapTestResult, type ServerParams, type SmtpTestResult } from '../../electron/core/mail/connection-test';
import { startMailHub, type MailHub } from '../helpers/mailhub';

const USER = 'alice@warm.test';

let hub: MailHub;
let password: string;
const servers: net.Server[] = [];

beforeAll(async () => {
  hub = await startMailHub();
  password = hub.users[USER] as string;
});

afterAll(async () => {
  for (const s of servers) s.close();
  await hub?.stop();
});

function params(port: number, over: Partial<ServerParams> = {}): ServerParams {
  return { host: '127.0.0.1', port, security: 'starttls', user: USER, password, ...over };
}

const trust = () => ({ ca: [hub.caCert] });

function check<T extends ImapTestResult | SmtpTestResult>(r: T, secret = password): T {
  const text = JSON.stringify(r);
  expect(text).not.toContain(secret);
  expect(text).not.toContain(Buffer.from(secret).toString('base64'));
  if (!r.ok) {
    expect(r.failure?.code).toBe(r.code);
    expect(r.failure?.stage).toBe(r.stage);
  }
  return r;
}

async function listen(onConnection: (s: net.Socket) => void): Promise<number> {
  const server = net.createServer((s) => {
    s.on('error', () => undefined);
    s.resume();
    onConnection(s);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const IMAP_ALL = ['dns', 'connect', 'tls', 'auth', 'select'];
const SMTP_ALL = ['dns', 'connect', 'tls', 'auth', 'send'];

describe('testImap against Dovecot', () => {
  it('passes every stage on the IMAP port with STARTTLS', async () => {
    const r = check(await testImap(params(hub.ports.imap), trust()));
    expect(r).toMatchObject({ ok: true, passed: IMAP_ALL });
  });

  it('passes every stage on IMAPS (implicit TLS)', async () => {
    const r = check(await testImap(params(hub.ports.imaps, { security: 'tls' }), trust()));
    expect(r).toMatchObject({ ok: true, passed: IMAP_ALL });
  });

  it('verifies the certificate against the host name (localhost, no DNS query)', async () => {
    const starttls = check(await testImap(params(hub.ports.imap, { host: 'localhost' }), trust()));
    expect(starttls).toMatchObject({ ok: true, passed: IMAP_ALL });
    const implicit = check(await testImap(params(hub.ports.imaps, { host: 'localhost', security: 'tls' }), trust()));
    expect(implicit).toMatchObject({ ok: true, passed: IMAP_ALL });
  });

  it('passes over plaintext when security is none, saying tls "not used" (never passed)', async () => {
    const r = check(await testImap(params(hub.ports.imap, { security: 'none' })));
    expect(r).toMatchObject({ ok: true, passed: ['dns', 'connect', 'auth', 'select'] });
    expect(r.stages.find((s) => s.stage === 'tls')).toMatchObject({ status: 'not_used', verdict: { state: 'na', label: 'not used' } });
  });

  it('the tls stage names the protocol and certificate it saw (STARTTLS and IMAPS)', async () => {
    for (const [port, security, asked] of [[hub.ports.imap, 'starttls', 'STARTTLS'], [hub.ports.imaps, 'tls', 'TLS handshake']] as const) {
      const r = check(await testImap(params(port, { security }), trust()));
      const tls = r.stages.find((s) => s.stage === 'tls')!;
      expect(tls).toMatchObject({ status: 'passed', verdict: { state: 'good' } });
      expect(tls.verdict.evidence[0]).toMatchObject({ asked: `${asked} at 127.0.0.1:${port}` });
      expect(tls.verdict.evidence[0]!.answered).toMatch(/^TLSv1\.[23], .*certificate CN=localhost/);
      expect(r.stages.find((s) => s.stage === 'select')!.verdict.evidence[0]!.answered).toMatch(/^opened, \d+ messages?$/);
    }
  });

  it('reports a wrong password at stage auth (STARTTLS and IMAPS)', async () => {
    const wrong = 'not-alices-Passw0rd';
    const r = check(await testImap(params(hub.ports.imap, { password: wrong }), trust()), wrong);
    expect(r).toMatchObject({ ok: false, stage: 'auth', code: 'IMAP_AUTH_FAILED', passed: ['dns', 'connect', 'tls'] });
    expect(r.failure).toMatchObject({ kind: 'permanent', mailboxProblem: true, serverResponseCode: 'AUTHENTICATIONFAILED' });

    const s = check(await testImap(params(hub.ports.imaps, { security: 'tls', password: wrong }), trust()), wrong);
    expect(s).toMatchObject({ ok: false, stage: 'auth', code: 'IMAP_AUTH_FAILED', passed: ['dns', 'connect', 'tls'] });
  });

  it('reports an unknown user at stage auth', async () => {
    const r = check(await testImap(params(hub.ports.imap, { user: 'nobody@warm.test' }), trust()));
    expect(r).toMatchObject({ ok: false, stage: 'auth', code: 'IMAP_AUTH_FAILED' });
  });

  it('reports a closed port at stage connect', async () => {
    const r = check(await testImap(params(await closedPort()), trust()));
    expect(r).toMatchObject({ ok: false, stage: 'connect', code: 'IMAP_CONNECT', passed: ['dns'] });
  });

  it('reports an untrusted certificate at stage tls: verification is never disabled', async () => {
    const starttls = check(await testImap(params(hub.ports.imap)));
    expect(starttls).toMatchObject({ ok: false, stage: 'tls', code: 'IMAP_TLS_FAILED', passed: ['dns', 'connect'] });
    const implicit = check(await testImap(params(hub.ports.imaps, { security: 'tls' })));
    expect(implicit).toMatchObject({ ok: false, stage: 'tls', code: 'IMAP_TLS_FAILED', passed: ['dns', 'connect'] });
  });

  it('reports a certificate for another name at stage tls', async () => {
    const lookup = async () => ['127.0.0.1'];
    const r = check(await testImap(params(hub.ports.imap, { host: 'imap.kiln.test' }), { ...trust(), lookup }));
    expect(r).toMatchObject({ ok: false, stage: 'tls', code: 'IMAP_TLS_FAILED' });
  });

  it('reports implicit TLS against the plaintext port at stage tls', async () => {
    const r = check(await testImap(params(hub.ports.imap, { security: 'tls' }), trust()));
    expect(r).toMatchObject({ ok: false, stage: 'tls', code: 'IMAP_TLS_FAILED', passed: ['dns', 'connect'] });
  });

  it('reports an unresolvable host at stage dns, through the injected lookup', async () => {
    const lookup = async (host: string): Promise<string[]> => {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    };
    const r = check(await testImap(params(hub.ports.imap, { host: 'nonexistent.invalid' }), { lookup }));
    expect(r).toMatchObject({ ok: false, stage: 'dns', code: 'IMAP_DNS', passed: [] });
  });

  it('reports STARTTLS not offered at stage tls', async () => {
    const port = await listen((s) => {
      s.write('* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] no tls here\r\n');
      let buf = '';
      s.on('data', (chunk) => {
        buf += chunk.toString();
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const [tag = '*', verb = ''] = buf.slice(0, nl).trim().split(' ');
          buf = buf.slice(nl + 1);
          s.write(verb.toUpperCase() === 'CAPABILITY' ? `* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n${tag} OK done\r\n` : `${tag} BAD no\r\n`);
        }
      });
    });
    const r = check(await testImap(params(port), trust()));
    expect(r).toMatchObject({ ok: false, stage: 'tls', code: 'IMAP_TLS_UNAVAILABLE', passed: ['dns', 'connect'] });
  });

  it('reports a server that stalls inside the STARTTLS handshake at stage tls', async () => {
    const port = await listen((s) => {
      s.write('* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] ready\r\n');
      let buf = '';
      s.on('data', (chunk) => {
        buf += chunk.toString('latin1');
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const [tag = '*', verb = ''] = buf.slice(0, nl).trim().split(' ');
          buf = buf.slice(nl + 1);
          if (verb.toUpperCase() === 'CAPABILITY') s.write(`* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN\r\n${tag} OK done\r\n`);
          else if (verb.toUpperCase() === 'STARTTLS') s.write(`${tag} OK Begin TLS negotiation now\r\n`); // then stalls
        }
      });
    });
    const r = check(await testImap(params(port), { ...trust(), timeoutMs: 1_000 }));
    expect(r).toMatchObject({ ok: false, stage: 'tls', code: 'IMAP_TIMEOUT', passed: ['dns', 'connect'] });
  });

  it('does not hang on a server that never greets', async () => {
    const port = await listen(() => undefined);
    const r = check(await testImap(params(port), { ...trust(), timeoutMs: 1_000 }));
    expect(r).toMatchObject({ ok: false, stage: 'connect', code: 'IMAP_TIMEOUT', passed: ['dns'] });
  });
});

describe('testSmtp against Postfix submission (SASL via Dovecot)', () => {
  it('passes every stage with STARTTLS', async () => {
    const r = check(await testSmtp(params(hub.ports.submission), trust()));
    expect(r).toMatchObject({ ok: true, passed: SMTP_ALL });
  });

  it('reports a wrong password at stage auth with 535 5.7.8', async () => {
    const wrong = 'not-alices-Passw0rd';
    const r = check(await testSmtp(params(hub.ports.submission, { password: wrong }), trust()), wrong);
    expect(r).toMatchObject({ ok: false, stage: 'auth', code: 'SMTP_AUTH_FAILED', passed: ['dns', 'connect', 'tls'] });
    expect(r.failure).toMatchObject({ responseCode: 535, enhancedStatus: '5.7.8', senderProblem: true, mailboxProblem: true });
  });
});
