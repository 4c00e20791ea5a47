import fs from 'node:fs';
import path from 'node:path';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';

/** What a scripted server does at one step; `undefined` means "behave normally". */
export type Fault =
  | { reply: number; message: string } // answer with this SMTP error
  | { drop: true } // close the connection without answering
  | { stall: true } // never answer (until the server closes)
  | { delayMs: number } // answer normally, but only after a pause
  | { hold: Promise<Fault | undefined> }; // answer once the test settles the promise (as it says)

export interface Delivered {
  messageId: string | null;
  from: string;
  to: string[];
  raw: string;
}

export interface FaultScript {
  mailFrom?(address: string, session: SMTPServerSession, n: number): Fault | undefined;
  rcptTo?(address: string, session: SMTPServerSession, n: number): Fault | undefined;
  /** Called once the whole message was received, before the final reply. */
  data?(raw: string, session: SMTPServerSession, n: number): Fault | undefined;
}

export interface FaultServer {
  port: number;
  delivered: Delivered[];
  counts: { mailFrom: number; rcptTo: number; data: number; auth: number };
  close(): Promise<void>;
}

function toError(f: { reply: number; message: string }): Error {
  return Object.assign(new Error(f.message), { responseCode: f.reply });
}

/**
 * An `smtp-server` on 127.0.0.1 that follows a script of faults, for the failure modes Postfix won't
 * produce on demand. Reverse DNS is disabled: the library would otherwise query the machine's resolver.
 */
export async function startFaultServer(opts: {
  script?: FaultScript;
  user?: string;
  pass?: string;
  /** Offer STARTTLS with this key/cert directory (key.pem, cert.pem); omit to not offer TLS at all. */
  tlsDir?: string;
  extra?: Partial<SMTPServerOptions>;
}): Promise<FaultServer> {
  const script = opts.script ?? {};
  const counts = { mailFrom: 0, rcptTo: 0, data: 0, auth: 0 };
  const delivered: Delivered[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const act = (f: Fault | undefined, session: SMTPServerSession, cb: (err?: Error | null) => void, ok: () => void) => {
    if (!f) return ok();
    if ('reply' in f) return cb(toError(f));
    if ('hold' in f) {
      void f.hold.then((next) => act(next, session, cb, ok));
      return;
    }
    if ('delayMs' in f) {
      setTimeout(ok, f.delayMs);
      return;
    }
    if ('drop' in f) {
      for (const s of sockets) if ((s as unknown as { _kilnId?: string })._kilnId === session.id) s.destroy();
      return;
    }
    // stall: never call back
  };
  const server = new SMTPServer({
    disableReverseLookup: true,
    secure: false,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: !opts.user,
    disabledCommands: opts.tlsDir ? [] : ['STARTTLS'],
    ...(opts.tlsDir
      ? { key: fs.readFileSync(path.join(opts.tlsDir, 'key.pem')), cert: fs.readFileSync(path.join(opts.tlsDir, 'cert.pem')) }
      : {}),
    allowInsecureAuth: true,
    logger: false,
    onConnect(session, cb) {
      cb();
    },
    onAuth(auth, _session, cb) {
      counts.auth++;
      if (opts.user && (auth.username !== opts.user || auth.password !== opts.pass)) {
        return cb(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
      }
      cb(null, { user: auth.username });
    },
    onMailFrom(address, session, cb) {
      const n = ++counts.mailFrom;
      act(script.mailFrom?.(address.address, session, n), session, cb, () => cb());
    },
    onRcptTo(address, session, cb) {
      const n = ++counts.rcptTo;
      act(script.rcptTo?.(address.address, session, n), session, cb, () => cb());
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const n = ++counts.data;
        act(script.data?.(raw, session, n), session, cb, () => {
          delivered.push({
            messageId: /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? null,
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
          });
          cb();
        });
      });
    },
    ...opts.extra,
  });
  // Map sockets to sessions so a "drop" fault can cut exactly that connection.
  server.server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('error', () => {});
  const origOnConnect = server.onConnect.bind(server);
  server.onConnect = (session, cb) => {
    for (const s of sockets) {
      const tagged = s as unknown as { _kilnId?: string; remotePort?: number };
      if (!tagged._kilnId && s.remotePort === session.remotePort) tagged._kilnId = session.id;
    }
    origOnConnect(session, cb);
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as import('node:net').AddressInfo).port;
  return {
    port,
    delivered,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
