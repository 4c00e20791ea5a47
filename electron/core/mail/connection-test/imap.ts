// The IMAP test: (oauth ->) dns -> connect -> tls -> auth -> select. Kiln probes DNS, TCP and implicit TLS itself, then ImapFlow
// does the greeting, STARTTLS and login and opens INBOX read-only.
import net from 'node:net';
import { ImapFlow } from 'imapflow';
import type { ImapStage, ProtocolTestResult, Security } from '../../../../shared/domain/mailbox';
import { classifyImapError, probeImapOptions, type ImapFailure } from '../imap';
import { sanitizeText, type FailureKind } from '../smtp-errors';
import { DEFAULT_TEST_TIMEOUT_MS, noop, Run, StageFailure, timeoutMessage, within } from './deadline';
import type { ConnectOptions, ServerParams } from './types';
import { bareHost, describeTls, tlsHandshake, tlsOptions } from './sockets';
import { askConnect, askDns } from './stages';
import { askOAuth } from './oauth';

const IMAP_STAGES: readonly ImapStage[] = ['dns', 'connect', 'tls', 'auth', 'select'];
const LOGOUT_GRACE_MS = 2_000;

export type ImapTestResult = ProtocolTestResult & { failure?: ImapFailure };

/** Which stage an error from ImapFlow's connect() (greeting, STARTTLS, login, session setup) belongs to. */
function imapConnectStage(err: unknown, client: ImapFlow, security: Security): ImapStage {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { authenticationFailed?: unknown; tlsFailed?: unknown };
  if (e.authenticationFailed === true) return 'auth';
  if (e.tlsFailed === true) return 'tls';
  if (client.authenticated) return 'select'; // logged in, failed while setting the session up
  if (client.greeting === undefined) return 'connect';
  if (security === 'starttls' && !client.secureConnection) return 'tls';
  return 'auth';
}

function imapFailure(stage: ImapStage, code: string, message: string, kind: FailureKind = 'permanent'): ImapFailure {
  return { code, stage, kind, senderProblem: false, mailboxProblem: kind === 'permanent', message };
}

export async function testImap(p: ServerParams, o: ConnectOptions = {}): Promise<ImapTestResult> {
  const secrets = p.password === undefined ? [] : [p.password];
  const host = bareHost(p.host);
  const now = o.now ?? Date.now;
  const run = new Run<ImapStage, ImapFailure>({
    stages: p.oauth ? ['oauth', ...IMAP_STAGES] : IMAP_STAGES,
    notUsed: p.security === 'none' ? ['tls'] : [],
    timeoutMs: o.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS,
    classify: (err, stage) => classifyImapError(err, { stage, secrets, keep: [host] }),
    timedOut: (stage, ms) => imapFailure(stage, 'IMAP_TIMEOUT', timeoutMessage(stage, ms), 'transient'),
    onStage: o.onStage,
    now,
  });
  const log = run.log;
  const at = `${host}:${p.port}`;

  return run.guard(async () => {
    let accessToken: string | undefined;
    if (p.oauth) {
      run.stage = 'oauth';
      accessToken = await askOAuth(log, p.oauth, 'imap', now, (code, message, kind) => imapFailure('oauth', code, message, kind));
      secrets.push(accessToken);
    }

    run.stage = 'dns';
    const addresses = await askDns(log, host, o.lookup);

    run.stage = 'connect';
    const socket = await askConnect(log, addresses, p.port, run);
    const address = socket.remoteAddress ?? addresses[0] ?? host;
    if (p.security === 'tls') {
      run.stage = 'tls';
      log.ask('tls', `TLS handshake at ${at}`);
      const secure = await tlsHandshake(socket, host, o.ca, run);
      log.answer('tls', describeTls(secure));
      secure.destroy();
    } else {
      socket.destroy();
    }

    // Greeting, STARTTLS and login all happen inside connect(); the stage is attributed from the client's state.
    run.stage = 'connect';
    const tlsOpts = tlsOptions(host, o.ca);
    delete tlsOpts.servername; // ImapFlow takes it as its own option
    const c = new ImapFlow(
      probeImapOptions({
        address,
        ...(net.isIP(host) ? {} : { servername: host }),
        port: p.port,
        security: p.security,
        user: p.user,
        secret: accessToken === undefined ? { password: p.password ?? '' } : { accessToken },
        tls: tlsOpts,
        remainingMs: run.remaining(),
      }),
    );
    c.on('error', noop); // connect() and the commands reject with the same errors
    run.onClose(() => c.close());
    run.probe = () => imapConnectStage(undefined, c, p.security);
    log.ask('connect', `IMAP greeting at ${at}`);
    if (p.security === 'starttls') log.ask('tls', `STARTTLS at ${at}`);
    log.ask('auth', `${accessToken === undefined ? 'LOGIN' : 'AUTHENTICATE (OAuth access token)'} as ${p.user} at ${at}`);
    try {
      await c.connect();
    } catch (err) {
      run.stage = imapConnectStage(err, c, p.security);
      throw err;
    } finally {
      run.probe = undefined;
    }
    if (p.security === 'starttls' && !c.secureConnection) {
      throw new StageFailure(imapFailure('tls', 'IMAP_TLS_UNAVAILABLE', 'The server did not upgrade the connection with STARTTLS'));
    }
    log.answer('connect', c.greeting ? `greeted: ${sanitizeText(c.greeting, secrets)}` : 'greeted');
    if (p.security === 'starttls') log.answer('tls', describeTls((c as unknown as { socket?: unknown }).socket));
    log.answer('auth', 'accepted');

    run.stage = 'select';
    log.ask('select', `SELECT INBOX (read-only) at ${at}`);
    const inbox = await c.mailboxOpen('INBOX', { readOnly: true });
    log.answer('select', `opened, ${inbox.exists} message${inbox.exists === 1 ? '' : 's'}`);
    // Polite LOGOUT, bounded: the result does not depend on it.
    await within(c.logout(), Math.min(LOGOUT_GRACE_MS, run.remaining())).catch(noop);
  });
}
