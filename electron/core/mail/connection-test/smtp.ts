// The SMTP test: (oauth ->) dns -> connect -> tls -> auth -> send over the socket Kiln connected, with nodemailer's
// SMTPConnection doing the greeting, EHLO, STARTTLS and AUTH (XOAUTH2 for an OAuth mailbox) exactly as when Kiln sends.
import type net from 'node:net';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import XOAuth2 from 'nodemailer/lib/xoauth2';
import type { ProtocolTestResult, SmtpStage } from '../../../../shared/domain/mailbox';
import { classifySmtpError, sanitizeText, type FailureKind, type SmtpFailure } from '../smtp-errors';
import { DEFAULT_TEST_TIMEOUT_MS, noop, Run, StageFailure, timeoutMessage, within } from './deadline';
import type { ConnectOptions, ServerParams } from './types';
import { ReplyReader, smtpReplyError } from './reply-reader';
import { bareHost, describeTls, errorWithCode, tlsHandshake, tlsOptions } from './sockets';
import { askDns, askConnect } from './stages';
import { askOAuth } from './oauth';

const SMTP_STAGES: readonly SmtpStage[] = ['dns', 'connect', 'tls', 'auth', 'send'];
const QUIT_GRACE_MS = 1_000;

/** ProtocolTestResult plus, on failure, the full classification (kind, senderProblem, responseCode, ...). */
export type SmtpTestResult = ProtocolTestResult & { failure?: SmtpFailure };

function smtpFailure(stage: SmtpStage, code: string, message: string, kind: FailureKind = 'permanent'): SmtpFailure {
  return { code, stage, kind, senderProblem: false, mailboxProblem: kind === 'permanent', message };
}

export async function testSmtp(p: ServerParams, o: ConnectOptions = {}): Promise<SmtpTestResult> {
  const secrets = p.password === undefined ? [] : [p.password];
  const host = bareHost(p.host);
  const now = o.now ?? Date.now;
  const run = new Run<SmtpStage, SmtpFailure>({
    stages: p.oauth ? ['oauth', ...SMTP_STAGES] : SMTP_STAGES,
    notUsed: p.security === 'none' ? ['tls'] : [],
    timeoutMs: o.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS,
    classify: (err, stage) => classifySmtpError(err, { stage, secrets, keep: [host] }),
    timedOut: (stage, ms) => smtpFailure(stage, 'SMTP_TIMEOUT', timeoutMessage(stage, ms), 'transient'),
    onStage: o.onStage,
    now,
  });
  const log = run.log;
  const at = `${host}:${p.port}`;
  // Nodemailer reports most failures as 'error' events; this routes them to the step being awaited.
  let reject: ((err: unknown) => void) | undefined;
  const step = <T>(fn: (resolve: (v: T) => void, reject: (err: unknown) => void) => void): Promise<T> =>
    new Promise<T>((res, rej) => {
      reject = rej;
      fn(res, rej);
    }).finally(() => {
      reject = undefined;
    });

  return run.guard(async () => {
    let accessToken: string | undefined;
    if (p.oauth) {
      run.stage = 'oauth';
      accessToken = await askOAuth(log, p.oauth, 'smtp', now, (code, message, kind) => smtpFailure('oauth', code, message, kind));
      secrets.push(accessToken);
    }

    run.stage = 'dns';
    const addresses = await askDns(log, host, o.lookup);

    run.stage = 'connect';
    const socket = await askConnect(log, addresses, p.port, run);

    let session: net.Socket = socket;
    if (p.security === 'tls') {
      run.stage = 'tls';
      log.ask('tls', `TLS handshake at ${at}`);
      session = await tlsHandshake(socket, host, o.ca, run);
      log.answer('tls', describeTls(session));
    }

    // The greeting and EHLO belong to `connect`; STARTTLS to `tls`.
    run.stage = 'connect';
    const c = new SMTPConnection({
      host,
      port: p.port,
      connection: session,
      secure: p.security === 'tls',
      secured: p.security === 'tls',
      requireTLS: p.security === 'starttls',
      ignoreTLS: p.security === 'none',
      tls: tlsOptions(host, o.ca),
      logger: false,
      debug: false,
      connectionTimeout: run.remaining(),
      greetingTimeout: run.remaining(),
      socketTimeout: run.remaining(),
      socketCloseTimeout: 1_000,
    });
    c.on('error', (err: unknown) => reject?.(err));
    c.on('end', () => reject?.(errorWithCode('Connection closed unexpectedly', 'ECONNECTION', { command: 'CONN' })));
    run.onClose(() => c.close());

    run.probe = () => (c.upgrading ? 'tls' : 'connect');
    log.ask('connect', `SMTP greeting and EHLO at ${at}`);
    if (p.security === 'starttls') log.ask('tls', `STARTTLS at ${at}`);
    try {
      await step<void>((res, rej) => c.connect((err) => (err ? rej(err) : res())));
    } catch (err) {
      run.stage = run.probe();
      throw err;
    } finally {
      run.probe = undefined;
    }
    if (p.security === 'starttls' && !c.secure) {
      throw new StageFailure(smtpFailure('tls', 'SMTP_TLS_UNAVAILABLE', 'The server did not upgrade the connection with STARTTLS'));
    }
    const extensions = (c as unknown as { _supportedExtensions?: string[] })._supportedExtensions ?? [];
    log.answer('connect', `EHLO answered${extensions.length ? `: ${extensions.join(' ')}` : ''}`);
    if (p.security === 'starttls') log.answer('tls', describeTls(c._socket));

    run.stage = 'auth';
    log.ask('auth', `AUTH${accessToken === undefined ? '' : ' XOAUTH2'} as ${p.user} at ${at}`);
    if (!c.allowsAuth) {
      throw new StageFailure(smtpFailure('auth', 'SMTP_AUTH_UNAVAILABLE', 'The server does not offer authentication (no AUTH in its EHLO reply)'));
    }
    // XOAUTH2 as the sending path signs in (nodemailer's OAuth2 auth), with the token just issued: no renewal here,
    // a refusal is the server's answer to a fresh token.
    const auth = accessToken === undefined ? { user: p.user, pass: p.password ?? '' } : { user: p.user, method: 'XOAUTH2', oauth2: new XOAuth2({ user: p.user, accessToken }) };
    await step<void>((res, rej) => c.login(auth as SMTPConnection.AuthenticationType, (err) => (err ? rej(err) : res())));
    log.answer('auth', c.lastServerResponse ? sanitizeText(c.lastServerResponse, secrets) : 'accepted');

    run.stage = 'send';
    const from = o.mailFrom ?? p.user;
    log.ask('send', `MAIL FROM:<${from}> and RSET at ${at}`);
    if (/[\r\n<>]/.test(from)) {
      throw new StageFailure(smtpFailure('send', 'SMTP_INVALID_ENVELOPE', 'The sender address contains characters not allowed in an SMTP envelope'));
    }
    const live = c._socket;
    if (!live || live.destroyed) throw errorWithCode('Connection closed unexpectedly', 'ECONNECTION', { command: 'CONN' });
    // Take the idle, authenticated session over from nodemailer: its only 'data' listener is its reply parser.
    live.removeAllListeners('data');
    const reader = new ReplyReader(live);
    await step<void>((res, rej) => {
      void (async () => {
        const mail = await reader.command(`MAIL FROM:<${from}>`);
        if (!mail.startsWith('2')) throw smtpReplyError('Mail command failed', 'EENVELOPE', 'MAIL FROM', mail);
        log.answer('send', sanitizeText(mail, secrets));
        const rset = await reader.command('RSET');
        if (!rset.startsWith('2')) throw smtpReplyError('Could not reset session state', 'EPROTOCOL', 'RSET', rset);
      })().then(res, rej);
    });
    // Polite QUIT, bounded: the result does not depend on it.
    await within(reader.command('QUIT'), Math.min(QUIT_GRACE_MS, run.remaining())).catch(noop);
    reader.detach();
  });
}
