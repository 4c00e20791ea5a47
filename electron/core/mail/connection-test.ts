// "Test connection" for a mailbox: runs the SMTP stages dns -> connect -> tls -> auth -> send and the IMAP stages
// dns -> connect -> tls -> auth -> select, and reports the first failing stage with a coded, password-free message.
//
// DNS and the TCP connect are done here (so the stage is exact and an injected resolver can stand in for DNS). SMTP
// then runs over that very socket: for implicit TLS the handshake is done here too and the TLS socket is handed to
// nodemailer's SMTPConnection (`connection` + `secured`); for STARTTLS nodemailer upgrades it itself (`requireTLS`),
// so TLS and AUTH behave exactly as when Kiln sends. The `send` stage issues MAIL FROM and RSET on the authenticated
// session (SMTPConnection has no API for an envelope without a message) and never sends DATA.
//
// IMAP: after the TCP probe (and, for implicit TLS, a handshake probe) ImapFlow connects to the address that answered
// (servername = the configured host, so no second DNS query), does STARTTLS/auth itself, then opens INBOX read-only.
//
// Certificates are always verified; `ca` adds trusted roots (for self-signed test servers) to Node's bundled ones.
// One deadline (timeoutMs) bounds the whole test; every socket is closed on every path.
import dns from 'node:dns';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { StringDecoder } from 'node:string_decoder';
import tls from 'node:tls';
import { ImapFlow } from 'imapflow';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { ImapStage, ProtocolTestResult, Security, SmtpStage } from '../../../shared/domain/mailbox';
import { classifyImapError, type ImapFailure } from './imap-errors';
import { classifySmtpError, type FailureKind, type SmtpFailure } from './smtp-errors';

export interface ConnectOptions {
  /** Extra trusted CA certificates (PEM), added to Node's bundled roots. Verification is never disabled. */
  ca?: string[];
  /** Bound on the whole test. Default 20 s. */
  timeoutMs?: number;
  /** Injectable DNS: host -> addresses. Default: node:dns lookup (getaddrinfo, reads /etc/hosts). */
  lookup?: (host: string) => Promise<string[]>;
  /** Address for the SMTP MAIL FROM probe; default `user`. */
  mailFrom?: string;
}

export interface ServerParams {
  host: string;
  port: number;
  security: Security;
  user: string;
  password: string;
}

export const DEFAULT_TEST_TIMEOUT_MS = 20_000;
const SMTP_STAGES: readonly SmtpStage[] = ['dns', 'connect', 'tls', 'auth', 'send'];
const IMAP_STAGES: readonly ImapStage[] = ['dns', 'connect', 'tls', 'auth', 'select'];
const LOGOUT_GRACE_MS = 2_000;
const QUIT_GRACE_MS = 1_000;

// ---------------------------------------------------------------------------------------------------------------
// shared plumbing

type AnyStage = SmtpStage | ImapStage;

interface FailureLike<S extends AnyStage> {
  code: string;
  stage: S;
  message: string;
}

/** A failure already expressed as a Kiln failure (not a library error to classify). */
class StageFailure<F> extends Error {
  constructor(readonly failure: F & { message: string }) {
    super(failure.message);
  }
}

class DeadlineExceeded extends Error {}

const noop = (): void => undefined;

function errorWithCode(message: string, code: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { code }, extra);
}

/** What the socket helpers need from a run: the time left and a place to register cleanups. */
interface Lifetime {
  remaining(): number;
  onClose(fn: () => void): void;
}

/** Tracks the running stage, the deadline and everything that must be closed. */
class Run<S extends AnyStage, F extends FailureLike<S>> implements Lifetime {
  readonly t0 = performance.now();
  readonly deadline: number;
  /** The stage being run; on failure it is the classifier's hint where the error does not say. */
  stage: S;
  /** While a library runs several stages in one call, tells which one it is in (used when the deadline hits). */
  probe: (() => S) | undefined;
  private readonly closers: Array<() => void> = [];

  constructor(
    readonly stages: readonly S[],
    readonly timeoutMs: number,
    private readonly classify: (err: unknown, stage: S) => F,
    private readonly timedOut: (stage: S, timeoutMs: number) => F,
  ) {
    this.deadline = Date.now() + timeoutMs;
    this.stage = stages[0] as S;
  }

  remaining(): number {
    return Math.max(this.deadline - Date.now(), 1);
  }

  onClose(fn: () => void): void {
    this.closers.push(fn);
  }

  close(): void {
    for (const fn of this.closers.splice(0).reverse()) {
      try {
        fn();
      } catch {
        // closing is best effort
      }
    }
  }

  private duration(): number {
    return Math.round(performance.now() - this.t0);
  }

  private result(failure?: F): ProtocolTestResult & { failure?: F } {
    if (!failure) return { ok: true, passed: [...this.stages], durationMs: this.duration() };
    // Stages run strictly in order, so every stage before the failing one has passed.
    const passed = this.stages.slice(0, Math.max(this.stages.indexOf(failure.stage), 0));
    return { ok: false, stage: failure.stage, code: failure.code, message: failure.message, passed, durationMs: this.duration(), failure };
  }

  /** Runs body within the deadline; on expiry closes everything and reports a timeout at the running stage. */
  async guard(body: () => Promise<void>): Promise<ProtocolTestResult & { failure?: F }> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DeadlineExceeded()), this.timeoutMs);
    });
    const running = body();
    running.catch(noop); // after a timeout the body fails on its own once its sockets are closed
    try {
      await Promise.race([running, expired]);
      return this.result();
    } catch (err) {
      if (err instanceof DeadlineExceeded) return this.result(this.timedOut(this.probe?.() ?? this.stage, this.timeoutMs));
      if (err instanceof StageFailure) return this.result(err.failure as F);
      return this.result(this.classify(err, this.stage));
    } finally {
      clearTimeout(timer);
      this.close();
    }
  }
}

function timeoutMessage(stage: AnyStage, timeoutMs: number): string {
  return `The server did not respond in time: no answer within ${Math.round(timeoutMs / 100) / 10} s (stage ${stage})`;
}

/** Settles with `promise`, or resolves undefined after `ms`; the timer never outlives the race. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const elapsed = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ms);
    });
    return await Promise.race([promise, elapsed]);
  } finally {
    clearTimeout(timer);
  }
}

function bareHost(host: string): string {
  const h = host.trim();
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

async function systemLookup(host: string): Promise<string[]> {
  const found = await dns.promises.lookup(host, { all: true, verbatim: true });
  return found.map((a) => a.address);
}

/** IP literals and localhost need no query; anything else goes through `lookup`. */
async function resolveHost(host: string, lookup: ConnectOptions['lookup']): Promise<string[]> {
  if (net.isIP(host)) return [host];
  if (host.toLowerCase() === 'localhost') return ['127.0.0.1', '::1'];
  const addresses = await (lookup ?? systemLookup)(host);
  if (addresses.length === 0) throw errorWithCode(`No address found for ${host}`, 'ENOTFOUND', { hostname: host });
  return addresses;
}

function connectOne(address: string, port: number, timeoutMs: number, run: Lifetime): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port });
    socket.on('error', noop); // errors are handled below and by whoever takes the socket over
    run.onClose(() => socket.destroy());
    const timer = setTimeout(() => {
      socket.destroy();
      reject(errorWithCode(`Connection to ${address}:${port} timed out`, 'ETIMEDOUT', { address, port }));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeListener('error', onError);
      resolve(socket);
    });
    const onError = (err: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    socket.once('error', onError);
  });
}

/** Plain TCP connect, trying the addresses in turn. */
async function connectTcp(addresses: readonly string[], port: number, run: Lifetime): Promise<net.Socket> {
  let lastError: unknown = errorWithCode('No address to connect to', 'ENOTFOUND');
  for (const address of addresses) {
    try {
      return await connectOne(address, port, run.remaining(), run);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

function tlsOptions(host: string, ca: readonly string[] | undefined): tls.ConnectionOptions {
  const opts: tls.ConnectionOptions = { rejectUnauthorized: true };
  if (ca && ca.length > 0) opts.ca = [...tls.rootCertificates, ...ca];
  // SNI must not be an IP address; the certificate is then checked against the IP (from `host`).
  if (!net.isIP(host)) opts.servername = host;
  return opts;
}

/** Implicit TLS handshake over a connected socket; resolves once the certificate is verified. */
function tlsHandshake(socket: net.Socket, host: string, ca: readonly string[] | undefined, run: Lifetime): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const secure = tls.connect({ ...tlsOptions(host, ca), socket, host });
    secure.on('error', noop);
    run.onClose(() => secure.destroy());
    const timer = setTimeout(() => {
      secure.destroy();
      reject(errorWithCode('TLS handshake timed out', 'ERR_TLS_HANDSHAKE_TIMEOUT'));
    }, run.remaining());
    const onError = (err: Error): void => {
      clearTimeout(timer);
      secure.destroy();
      reject(err);
    };
    secure.once('error', onError);
    secure.once('secureConnect', () => {
      clearTimeout(timer);
      secure.removeListener('error', onError);
      resolve(secure);
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// SMTP

/** Reads complete SMTP replies ("250-..." continuation lines joined with "\n") from a socket it took over. */
class ReplyReader {
  private buffer = '';
  private readonly decoder = new StringDecoder('utf8');
  private readonly lines: string[] = [];
  private readonly replies: string[] = [];
  private waiter: { resolve: (reply: string) => void; reject: (err: unknown) => void } | undefined;
  private failure: unknown;

  constructor(private readonly socket: net.Socket) {
    socket.on('data', this.onData);
    socket.once('close', this.onClose);
  }

  private readonly onData = (chunk: Buffer | string): void => {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      this.lines.push(line);
      if (!/^\d{3}-/.test(line)) this.replies.push(this.lines.splice(0).join('\n'));
    }
    this.settle();
  };

  private readonly onClose = (): void => {
    this.failure = errorWithCode('Connection closed unexpectedly', 'ECONNECTION', { command: 'CONN' });
    this.settle();
  };

  private settle(): void {
    const w = this.waiter;
    if (!w) return;
    const reply = this.replies.shift();
    if (reply !== undefined) {
      this.waiter = undefined;
      w.resolve(reply);
    } else if (this.failure !== undefined) {
      this.waiter = undefined;
      w.reject(this.failure);
    }
  }

  command(line: string): Promise<string> {
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.socket.write(`${line}\r\n`);
      this.settle();
    });
  }

  detach(): void {
    this.socket.removeListener('data', this.onData);
    this.socket.removeListener('close', this.onClose);
  }
}

function smtpReplyError(message: string, code: string, command: string, response: string): Error {
  return errorWithCode(`${message}: ${response}`, code, { command, response, responseCode: Number(response.slice(0, 3)) || undefined });
}

/** ProtocolTestResult plus, on failure, the full classification (kind, senderProblem, responseCode, ...). */
export type SmtpTestResult = ProtocolTestResult & { failure?: SmtpFailure };
export type ImapTestResult = ProtocolTestResult & { failure?: ImapFailure };

function smtpFailure(stage: SmtpStage, code: string, message: string, kind: FailureKind = 'permanent'): SmtpFailure {
  return { code, stage, kind, senderProblem: false, mailboxProblem: kind === 'permanent', message };
}

export async function testSmtp(p: ServerParams, o: ConnectOptions = {}): Promise<SmtpTestResult> {
  const secrets = [p.password];
  const run = new Run<SmtpStage, SmtpFailure>(
    SMTP_STAGES,
    o.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS,
    (err, stage) => classifySmtpError(err, { stage, secrets }),
    (stage, ms) => smtpFailure(stage, 'SMTP_TIMEOUT', timeoutMessage(stage, ms), 'transient'),
  );
  const host = bareHost(p.host);
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
    run.stage = 'dns';
    const addresses = await resolveHost(host, o.lookup);

    run.stage = 'connect';
    const socket = await connectTcp(addresses, p.port, run);

    let session: net.Socket = socket;
    if (p.security === 'tls') {
      run.stage = 'tls';
      session = await tlsHandshake(socket, host, o.ca, run);
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

    run.stage = 'auth';
    if (!c.allowsAuth) {
      throw new StageFailure(smtpFailure('auth', 'SMTP_AUTH_UNAVAILABLE', 'The server does not offer authentication (no AUTH in its EHLO reply)'));
    }
    await step<void>((res, rej) => c.login({ user: p.user, pass: p.password }, (err) => (err ? rej(err) : res())));

    run.stage = 'send';
    const from = o.mailFrom ?? p.user;
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
        const rset = await reader.command('RSET');
        if (!rset.startsWith('2')) throw smtpReplyError('Could not reset session state', 'EPROTOCOL', 'RSET', rset);
      })().then(res, rej);
    });
    // Polite QUIT, bounded: the result does not depend on it.
    await within(reader.command('QUIT'), Math.min(QUIT_GRACE_MS, run.remaining())).catch(noop);
    reader.detach();
  });
}

// ---------------------------------------------------------------------------------------------------------------
// IMAP

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
  const secrets = [p.password];
  const run = new Run<ImapStage, ImapFailure>(
    IMAP_STAGES,
    o.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS,
    (err, stage) => classifyImapError(err, { stage, secrets }),
    (stage, ms) => imapFailure(stage, 'IMAP_TIMEOUT', timeoutMessage(stage, ms), 'transient'),
  );
  const host = bareHost(p.host);

  return run.guard(async () => {
    run.stage = 'dns';
    const addresses = await resolveHost(host, o.lookup);

    run.stage = 'connect';
    const socket = await connectTcp(addresses, p.port, run);
    const address = socket.remoteAddress ?? addresses[0] ?? host;
    if (p.security === 'tls') {
      run.stage = 'tls';
      const secure = await tlsHandshake(socket, host, o.ca, run);
      secure.destroy();
    } else {
      socket.destroy();
    }

    // Greeting, STARTTLS and login all happen inside connect(); the stage is attributed from the client's state.
    run.stage = 'connect';
    const tlsOpts = tlsOptions(host, o.ca);
    delete tlsOpts.servername; // ImapFlow takes it as its own option
    const c = new ImapFlow({
      host: address,
      ...(net.isIP(host) ? {} : { servername: host }),
      port: p.port,
      secure: p.security === 'tls',
      doSTARTTLS: p.security === 'starttls',
      auth: { user: p.user, pass: p.password },
      tls: tlsOpts,
      logger: false,
      disableCompression: true,
      disableAutoEnable: true,
      disableAutoIdle: true,
      connectionTimeout: run.remaining(),
      greetingTimeout: run.remaining(),
      socketTimeout: run.remaining(),
    });
    c.on('error', noop); // connect() and the commands reject with the same errors
    run.onClose(() => c.close());
    run.probe = () => imapConnectStage(undefined, c, p.security);
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

    run.stage = 'select';
    await c.mailboxOpen('INBOX', { readOnly: true });
    // Polite LOGOUT, bounded: the result does not depend on it.
    await within(c.logout(), Math.min(LOGOUT_GRACE_MS, run.remaining())).catch(noop);
  });
}
