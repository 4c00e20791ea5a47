/**
 * A private, loopback-only mail hub for tests: Postfix (SMTP in) -> Dovecot LMTP (+ global Sieve) -> Maildir,
 * read back over IMAP. Every hub lives in its own directory (configs, queue, mail, logs, pid files) and on its own
 * ports on 127.0.0.1, so several hubs can run side by side and nothing touches the system's /etc/postfix or
 * /etc/dovecot setup.
 *
 *   SMTP        ports.smtp        no auth, relays for 127.0.0.0/8
 *   submission  ports.submission  AUTH PLAIN/LOGIN checked by Dovecot (535 on a wrong password)
 *
 * With `oauth` (the global setup passes its oidc-provider, see test/helpers/oidc.ts), Dovecot also offers SASL XOAUTH2
 * and OAUTHBEARER on IMAP and, through Postfix's Dovecot SASL, on submission: an oauth2 passdb asks the provider's
 * introspection endpoint about every token (no cache, so a revoked token fails at once) and accepts it when it is
 * active and its `email` is the login name. Password mechanisms are never checked against a token and vice versa.
 * addMailHubOAuthUser() creates a user that has no password at all (it exists for delivery and OAuth sign-in only).
 *   LMTP        ports.lmtp        Dovecot; 550 5.1.1 for unknown users -> Postfix bounces a real RFC 3464 DSN
 *   IMAP        ports.imap        plain and STARTTLS        IMAPS ports.imaps       ManageSieve ports.sieve
 *
 * Domains warm.test and other.test are delivered locally; any other domain bounces locally with 5.7.1 (nothing
 * ever leaves the machine). Mail with "X-Spam-Flag: YES" or "[SPAMTEST]" in the Subject, or from an address whose local part contains
 * "junk-sender", is filed into Junk.
 *
 * Lifecycle: startMailHub() picks free ports, writes everything into a fresh dir under os.tmpdir() and resolves when
 * IMAP, LMTP, SMTP and submission greet (~0.5 s); stop() ends both daemons by PID (~0.1 s) and removes the dir
 * (KILN_KEEP_MAILHUB=1 keeps it, for its logs: postfix/maillog, dovecot/dovecot.log). Hubs left behind by a killed
 * process are stopped by the next startMailHub(); on a normal process exit their masters get SIGTERM.
 *
 * Needs root (Postfix's master refuses to start otherwise) and the Debian packages postfix, dovecot-imapd,
 * dovecot-lmtpd, dovecot-sieve, dovecot-managesieved and openssl (`node test/setup/install-deps.mjs` installs them).
 * Written against Postfix 3.7 / Dovecot 2.3 (Debian 12); Dovecot 2.4 uses a different configuration syntax.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface MailHubPorts {
  smtp: number;
  submission: number;
  lmtp: number;
  imap: number;
  imaps: number;
  sieve: number;
}

/** Plain data (structured-cloneable), so it can be handed to test workers through vitest's provide/inject. */
export interface MailHubInfo {
  dir: string;
  host: '127.0.0.1';
  ports: MailHubPorts;
  /** PEM file of the hub's self-signed certificate (CN=localhost, SAN DNS:localhost, IP:127.0.0.1). */
  caCertPath: string;
  /** The same certificate as PEM text; pass it as `ca` to trust the hub over TLS. */
  caCert: string;
  /** address -> password */
  users: Record<string, string>;
  /** Users without a password, who sign in with OAuth tokens only. */
  oauthUsers: string[];
  /** The introspection endpoint Dovecot checks tokens against, without its credentials; absent without `oauth`. */
  oauthIntrospectionUrl?: string;
}

/** Where Dovecot's oauth2 passdb checks tokens (RFC 7662 introspection, client_secret_basic). */
export interface MailHubOAuth {
  introspectionUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface MailHub extends MailHubInfo {
  addUser(address: string, password: string): Promise<void>;
  /** Stop Dovecot (IMAP, LMTP, auth) only; Postfix keeps running. */
  stopDovecot(): Promise<void>;
  /** Start Dovecot again after stopDovecot and wait until IMAP greets. */
  startDovecot(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartMailHubOptions {
  /** Directory to run in (created if missing, kept on stop). Default: a fresh temp dir, removed on stop. */
  dir?: string;
  /** Extra users (address -> password) besides alice, bob and carol. */
  users?: Record<string, string>;
  /** Check OAuth tokens (XOAUTH2, OAUTHBEARER) against this server. */
  oauth?: MailHubOAuth;
}

export const MAILHUB_DOMAINS = ['warm.test', 'other.test'] as const;

export const DEFAULT_USERS: Readonly<Record<string, string>> = {
  'alice@warm.test': 'alicepw',
  'bob@warm.test': 'bobpw',
  'carol@other.test': 'carolpw',
};

const HOST = '127.0.0.1';
const PORT_OFFSETS: MailHubPorts = { smtp: 25, submission: 587, lmtp: 24, imap: 143, imaps: 993, sieve: 190 };
// Port bases stay below the kernel's ephemeral range (32768+) so outgoing connections never sit on our ports.
const PORT_BASE_MIN = 10_000;
const PORT_BASE_MAX = 32_767 - 993;
const READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;

/** Files the hub needs, and the Debian package that ships each one. */
const REQUIRED_FILES: ReadonlyArray<readonly [file: string, pkg: string]> = [
  ['/usr/sbin/postfix', 'postfix'],
  ['/usr/lib/postfix/sbin/master', 'postfix'],
  ['/usr/sbin/dovecot', 'dovecot-core'],
  ['/usr/lib/dovecot/imap', 'dovecot-imapd'],
  ['/usr/lib/dovecot/imap-login', 'dovecot-imapd'],
  ['/usr/lib/dovecot/lmtp', 'dovecot-lmtpd'],
  ['/usr/lib/dovecot/modules/lib90_sieve_plugin.so', 'dovecot-sieve'],
  ['/usr/bin/sievec', 'dovecot-sieve'],
  ['/usr/lib/dovecot/managesieve-login', 'dovecot-managesieved'],
  ['/usr/bin/openssl', 'openssl'],
];
/** System users the packages create; Dovecot's login and mail processes must run as these, not as root. */
const REQUIRED_USERS: ReadonlyArray<readonly [user: string, pkg: string]> = [
  ['postfix', 'postfix'],
  ['dovecot', 'dovecot-core'],
  ['dovenull', 'dovecot-core'],
];

// ---------------------------------------------------------------------------------------------------------------
// public API

export async function startMailHub(opts: StartMailHubOptions = {}): Promise<MailHub> {
  checkPrerequisites();
  await reapStaleHubs();
  const users: Record<string, string> = {};
  for (const [address, password] of Object.entries({ ...DEFAULT_USERS, ...opts.users })) {
    validateUser(address, password);
    users[address.toLowerCase()] = password;
  }

  // Ports are checked free before start, but another process can still take one in the short window before the
  // daemons bind it. Such a race is detected after start (see assertSoleListeners) and retried on new ports.
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const ownsDir = opts.dir === undefined;
    const dir = ownsDir
      ? await fs.mkdtemp(path.join(os.tmpdir(), 'kiln-mailhub-'))
      : path.resolve(opts.dir as string);
    try {
      return await startIn(dir, ownsDir, users, opts.oauth);
    } catch (err) {
      lastError = err;
      if (!(err instanceof PortRaceError)) throw err;
    }
  }
  throw lastError;
}

/**
 * Adds a user to a running hub, from any process that can write its dir (e.g. a test worker holding only the
 * injected MailHubInfo). Resolves once Dovecot knows the user (up to ~1 s, see below), so the user can log in and
 * receive mail right away. Also records the user in `info.users`. Adding an existing address throws.
 */
export async function addMailHubUser(info: MailHubInfo, address: string, password: string): Promise<void> {
  validateUser(address, password);
  const addr = address.toLowerCase();
  const usersFile = path.join(info.dir, 'dovecot', 'users');
  const oauthUsersFile = path.join(info.dir, 'dovecot', 'oauth-users');
  const listed = async (f: string) => (await fs.readFile(f, 'utf8')).split('\n').some((line) => line.startsWith(`${addr}:`));
  if ((await listed(usersFile)) || (await listed(oauthUsersFile))) {
    throw new Error(`mailhub: user ${addr} already exists`);
  }
  // One short O_APPEND write, so concurrent adders do not interleave lines.
  await fs.appendFile(usersFile, passwdLine(addr, password));
  // Trap: Dovecot checks the passwd-file for changes at most once per second (it remembers the second of its last
  // check), so a user added right after any other lookup stays unknown for up to a second: mail sent to them then
  // bounces with 5.1.1. Ask Dovecot's auth process until it knows the user, so the user is usable on return.
  const deadline = Date.now() + 5_000;
  while (!(await userdbKnows(info.dir, addr))) {
    if (Date.now() >= deadline) throw new Error(`mailhub: Dovecot did not pick up new user ${addr} within 5 s`);
    await sleep(50);
  }
  info.users[addr] = password;
}

/**
 * Adds a user who has no password (OAuth sign-in only) to a running hub, like addMailHubUser: resolves once Dovecot
 * delivers to them. Their tokens come from the hub's authorization server (an account with the same email).
 */
export async function addMailHubOAuthUser(info: MailHubInfo, address: string): Promise<void> {
  const addr = validateAddress(address);
  const known = async (f: string) => (await fs.readFile(path.join(info.dir, 'dovecot', f), 'utf8')).split('\n').some((l) => l.startsWith(`${addr}:`));
  if ((await known('users')) || (await known('oauth-users'))) throw new Error(`mailhub: user ${addr} already exists`);
  await fs.appendFile(path.join(info.dir, 'dovecot', 'oauth-users'), `${addr}::::::::\n`);
  const deadline = Date.now() + 5_000;
  while (!(await userdbKnows(info.dir, addr))) {
    if (Date.now() >= deadline) throw new Error(`mailhub: Dovecot did not pick up new user ${addr} within 5 s`);
    await sleep(50);
  }
  info.oauthUsers.push(addr);
}

/**
 * One userdb lookup over Dovecot's auth-master protocol (socket run/auth-userdb, what LMTP itself uses). With the
 * static userdb this also checks the passdb, i.e. the passwd-file.
 */
function userdbKnows(dir: string, address: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(path.join(dir, 'dovecot', 'run', 'auth-userdb'));
    let buf = '';
    const done = (err: Error | undefined, found = false) => {
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(found);
    };
    const timer = setTimeout(() => done(new Error('auth-userdb lookup timed out')), 5_000);
    sock.setEncoding('utf8');
    sock.on('connect', () => sock.write(`VERSION\t1\t0\nUSER\t1\t${address}\tservice=lmtp\n`));
    sock.on('data', (chunk: string) => {
      buf += chunk;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const [kind, id] = buf.slice(0, nl).split('\t');
        buf = buf.slice(nl + 1);
        if (id !== '1' || kind === 'VERSION') continue; // greeting: VERSION, SPID
        if (kind === 'USER') return done(undefined, true);
        if (kind === 'NOTFOUND') return done(undefined, false);
        return done(new Error(`auth-userdb lookup of ${address} failed: ${kind}`));
      }
    });
    sock.on('error', (err) => done(err));
    sock.on('close', () => done(new Error('auth-userdb closed the connection')));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// start

class PortRaceError extends Error {}

async function startIn(dir: string, ownsDir: boolean, users: Record<string, string>, oauth: MailHubOAuth | undefined): Promise<MailHub> {
  await fs.mkdir(dir, { recursive: true });
  dir = await fs.realpath(dir);
  let started = false;
  let base: number | undefined;
  try {
    await assertNotRunning(dir);
    await assertTraversable(dir);
    base = await pickPortBase();
    await fs.writeFile(path.join(dir, 'owner'), ownerStamp());
    const ports = portsFor(base);
    const hubId = `kiln-mailhub-${base}-${process.pid}`;
    await writeConfigs(dir, hubId, ports, users, oauth);

    const postfixConf = path.join(dir, 'postfix', 'conf');
    const dovecotConf = path.join(dir, 'dovecot', 'dovecot.conf');
    // 'postfix check' creates the queue sub-directories; private/ must exist before Dovecot puts its SASL socket
    // there. The quick-start marker then makes 'postfix start' skip repeating that (slow) check.
    await runOrThrow('/usr/sbin/postfix', ['-c', postfixConf, 'check'], dir, 'postfix/start.log', 'postfix check');
    await fs.writeFile(path.join(dir, 'postfix', 'queue', 'quick-start'), '');
    started = true;
    await runOrThrow('/usr/sbin/dovecot', ['-c', dovecotConf], dir, 'dovecot/start.log', 'dovecot');
    await runOrThrow('/usr/sbin/postfix', ['-c', postfixConf, 'start'], dir, 'postfix/start.log', 'postfix start');

    const deadline = Date.now() + READY_TIMEOUT_MS;
    // Dovecot's imap-login greets only once its auth process is up, so an IMAP greeting means logins work.
    await waitForGreeting(ports.imap, '* OK', 'a LOGOUT', deadline, dir);
    await waitForGreeting(ports.lmtp, '220 ', 'QUIT', deadline, dir);
    await waitForGreeting(ports.smtp, '220 ', 'QUIT', deadline, dir);
    await waitForGreeting(ports.submission, '220 ', 'QUIT', deadline, dir);
    await assertSoleListeners(ports);

    const caCertPath = path.join(dir, 'tls', 'cert.pem');
    const hub: MailHub = {
      dir,
      host: HOST,
      ports,
      caCertPath,
      caCert: await fs.readFile(caCertPath, 'utf8'),
      users,
      oauthUsers: [],
      ...(oauth ? { oauthIntrospectionUrl: oauth.introspectionUrl } : {}),
      addUser: (address, password) => addMailHubUser(hub, address, password),
      stopDovecot: () => stopMaster(readPid(dovecotPidFile(dir)), (pid) => isHubDovecot(pid, dir), isDovecotInfrastructure),
      async startDovecot() {
        await runOrThrow('/usr/sbin/dovecot', ['-c', dovecotConf], dir, 'dovecot/start.log', 'dovecot');
        await waitForGreeting(ports.imap, '* OK', 'a LOGOUT', Date.now() + READY_TIMEOUT_MS, dir);
      },
      stop: () => stopHub(dir, ownsDir, base as number),
    };
    liveHubs.add(dir);
    await fs.writeFile(path.join(dir, 'hub.json'), JSON.stringify(mailHubInfo(hub), null, 2) + '\n');
    return hub;
  } catch (err) {
    if (started) await stopDaemons(dir).catch(() => undefined);
    if (base !== undefined) reservedBases.delete(base);
    if (err instanceof PortRaceError) {
      if (ownsDir) await fs.rm(dir, { recursive: true, force: true });
      throw err;
    }
    // Keep the dir: its logs are the only explanation of what went wrong.
    const logs = await tailLogs(dir);
    throw new Error(`mailhub: failed to start in ${dir}: ${(err as Error).message}${logs}`, { cause: err });
  }
}

/** The plain-data part of a hub (what vitest's provide() can pass to test workers). */
/** A hub user's own Sieve script (Dovecot runs it after the global one at LMTP delivery), e.g. to file everything into Junk. */
export function setUserSieve(info: MailHubInfo, address: string, script: string): void {
  const [local, domain] = address.split('@') as [string, string];
  const home = path.join(info.dir, 'mail', domain, local);
  mkdirSync(home, { recursive: true });
  writeFileSync(path.join(home, '.dovecot.sieve'), script);
  const owner = `${execFileSync('id', ['-u', 'dovecot']).toString().trim()}:${execFileSync('id', ['-g', 'dovecot']).toString().trim()}`;
  // The domain folder too, in case this created it: Dovecot makes other users' homes in it.
  execFileSync('chown', [owner, path.join(info.dir, 'mail', domain)]);
  execFileSync('chown', ['-R', owner, home]);
}

export function mailHubInfo(hub: MailHubInfo): MailHubInfo {
  const { dir, host, ports, caCertPath, caCert, users, oauthUsers, oauthIntrospectionUrl } = hub;
  return {
    dir, host, ports: { ...ports }, caCertPath, caCert, users: { ...users }, oauthUsers: [...oauthUsers],
    ...(oauthIntrospectionUrl ? { oauthIntrospectionUrl } : {}),
  };
}

function checkPrerequisites(): void {
  const problems: string[] = [];
  const packages = new Set<string>();
  for (const [file, pkg] of REQUIRED_FILES) {
    if (!existsSync(file)) {
      problems.push(`${file} (package ${pkg})`);
      packages.add(pkg);
    }
  }
  const passwd = safeRead('/etc/passwd');
  for (const [user, pkg] of REQUIRED_USERS) {
    if (!new RegExp(`^${user}:`, 'm').test(passwd)) {
      problems.push(`system user ${user} (created by package ${pkg})`);
      packages.add(pkg);
    }
  }
  if (problems.length > 0) {
    const list = [...packages].join(' ');
    throw new Error(
      `mailhub: missing ${problems.join(', ')}.\n` +
        `Install as root with: node test/setup/install-deps.mjs\n` +
        `or: echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections && ` +
        `DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${list}`,
    );
  }
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    throw new Error(
      'mailhub: must run as root (uid 0): Postfix\'s master process refuses to start otherwise and Dovecot must ' +
        'switch to its dovecot/dovenull users. Run the integration tests as root (e.g. in CI or a container).',
    );
  }
}

function validateUser(address: string, password: string): void {
  validateAddress(address);
  // The passwd-file is ':'-separated and line-based.
  if (password === '' || /[:\r\n]/.test(password)) {
    throw new Error(`mailhub: password for ${address} must be non-empty and contain no ':' or line breaks`);
  }
}

function validateAddress(address: string): string {
  const m = /^([^\s@:]+)@([^\s@:]+)$/.exec(address);
  if (!m) throw new Error(`mailhub: invalid address ${JSON.stringify(address)}`);
  const domain = (m[2] as string).toLowerCase();
  if (!(MAILHUB_DOMAINS as readonly string[]).includes(domain)) {
    throw new Error(`mailhub: ${address}: only ${MAILHUB_DOMAINS.join(' and ')} are delivered by the hub`);
  }
  return address.toLowerCase();
}

function passwdLine(address: string, password: string): string {
  return `${address}:{PLAIN}${password}::::::\n`;
}

async function assertNotRunning(dir: string): Promise<void> {
  for (const pidFile of [postfixPidFile(dir), dovecotPidFile(dir)]) {
    const pid = readPid(pidFile);
    if (pid !== undefined && procStat(pid)?.state !== undefined && procStat(pid)?.state !== 'Z') {
      if (isHubPostfix(pid, dir) || isHubDovecot(pid, dir)) throw new Error(`mailhub: already running in ${dir}`);
    }
  }
}

/** Postfix and Dovecot drop root: every parent of dir must be o+x for the postfix/dovecot users to reach it. */
async function assertTraversable(dir: string): Promise<void> {
  await fs.chmod(dir, 0o755); // mkdtemp creates 0700
  for (let p = path.dirname(dir); ; p = path.dirname(p)) {
    const st = await fs.stat(p);
    if ((st.mode & 0o001) === 0) {
      throw new Error(
        `mailhub: ${p} is not o+x, so the postfix/dovecot users cannot reach ${dir}; ` +
          `use a dir under a world-traversable path (e.g. TMPDIR=/tmp)`,
      );
    }
    if (p === path.dirname(p)) break;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// ports

function portsFor(base: number): MailHubPorts {
  return {
    smtp: base + PORT_OFFSETS.smtp,
    submission: base + PORT_OFFSETS.submission,
    lmtp: base + PORT_OFFSETS.lmtp,
    imap: base + PORT_OFFSETS.imap,
    imaps: base + PORT_OFFSETS.imaps,
    sieve: base + PORT_OFFSETS.sieve,
  };
}

/** Bases handed out by this process and not yet released; keeps hubs started concurrently apart. */
const reservedBases = new Set<number>();

async function pickPortBase(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const base = PORT_BASE_MIN + Math.floor(Math.random() * (PORT_BASE_MAX - PORT_BASE_MIN + 1));
    if ([...reservedBases].some((b) => Math.abs(b - base) <= 1000)) continue;
    reservedBases.add(base);
    const free = await Promise.all(Object.values(portsFor(base)).map((p) => isPortFree(p)));
    if (free.every(Boolean)) return base;
    reservedBases.delete(base);
  }
  throw new Error('mailhub: found no free port base on 127.0.0.1 after 200 tries');
}

/**
 * Probes by binding (exclusively, without SO_REUSEPORT), which also fails for a listener on 0.0.0.0. Needed
 * because Postfix's master binds with SO_REUSEPORT: started on a busy port it does NOT fail, it silently shares
 * the port with the other listener and the kernel spreads connections over both.
 */
function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ host: HOST, port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** After start: each of our ports must have exactly one listening socket, else someone raced us onto it. */
async function assertSoleListeners(ports: MailHubPorts): Promise<void> {
  const table = (await fs.readFile('/proc/net/tcp', 'utf8')).split('\n').slice(1);
  for (const [name, port] of Object.entries(ports)) {
    const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
    // columns: sl local_address rem_address st ...; st 0A = LISTEN; local address 0100007F = 127.0.0.1, 00000000 = any
    const listeners = table.filter((line) => {
      const cols = line.trim().split(/\s+/);
      const local = cols[1] ?? '';
      return cols[3] === '0A' && local.endsWith(`:${hexPort}`);
    });
    if (listeners.length !== 1) {
      throw new PortRaceError(`mailhub: ${listeners.length} listeners on ${name} port ${port}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// configuration

async function writeConfigs(
  dir: string,
  hubId: string,
  ports: MailHubPorts,
  users: Record<string, string>,
  oauth: MailHubOAuth | undefined,
): Promise<void> {
  const d = (...p: string[]) => path.join(dir, ...p);
  for (const sub of ['dovecot/run', 'dovecot/state', 'mail', 'sieve', 'tls', 'postfix/conf', 'postfix/queue']) {
    await fs.mkdir(d(sub), { recursive: true });
  }
  // Postfix insists that queue_directory and its parents be owned by root and not group/other-writable.
  for (const sub of ['postfix', 'postfix/queue']) await fs.chmod(d(sub), 0o755);
  const dovecotIds = systemIds('dovecot');
  await fs.chown(d('mail'), dovecotIds.uid, dovecotIds.gid);

  // TLS: self-signed EC certificate for 127.0.0.1/localhost, used by IMAPS, IMAP STARTTLS and SMTP STARTTLS.
  if (!existsSync(d('tls', 'cert.pem'))) {
    await runOrThrow(
      '/usr/bin/openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '3650',
        '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout', d('tls', 'key.pem'), '-out', d('tls', 'cert.pem'),
      ],
      dir,
      'tls/openssl.log',
      'openssl',
    );
  }
  await fs.chmod(d('tls', 'cert.pem'), 0o644);
  await fs.chmod(d('tls', 'key.pem'), 0o600);

  // Users: Dovecot passwd-file ({PLAIN} is fine for tests). Dovecot re-reads it when it changes (addUser).
  const usersFile = d('dovecot', 'users');
  await fs.writeFile(usersFile, Object.entries(users).map(([a, p]) => passwdLine(a, p)).join(''), { mode: 0o640 });
  await fs.chmod(usersFile, 0o640);
  await fs.chown(usersFile, 0, dovecotIds.gid);
  // OAuth-only users: known to delivery (LMTP) but without any password (see the passdbs in dovecotConf).
  const oauthUsersFile = d('dovecot', 'oauth-users');
  await fs.writeFile(oauthUsersFile, '', { mode: 0o640 });
  await fs.chmod(oauthUsersFile, 0o640);
  await fs.chown(oauthUsersFile, 0, dovecotIds.gid);
  if (oauth) {
    const url = new URL(oauth.introspectionUrl);
    if (url.hostname !== HOST) throw new Error(`mailhub: the OAuth introspection URL must be on ${HOST}`);
    url.username = encodeURIComponent(oauth.clientId);
    url.password = encodeURIComponent(oauth.clientSecret);
    const oauthConf = d('dovecot', 'oauth2.conf');
    await fs.writeFile(oauthConf, dovecotOAuthConf(url.href), { mode: 0o640 });
    await fs.chown(oauthConf, 0, dovecotIds.gid);
  }

  // Global Sieve script, run before any per-user script.
  await fs.writeFile(
    d('sieve', 'junk.sieve'),
    [
      'require ["fileinto", "mailbox"];',
      // A sender whose address contains "junk-sender" gets all its mail filed as spam: a poor reputation, as a provider sees it.
      'if anyof (header :is "X-Spam-Flag" "YES", header :contains "Subject" "[SPAMTEST]", address :localpart :contains "from" "junk-sender") {',
      '  fileinto :create "Junk";',
      '  stop;',
      '}',
      '',
    ].join('\n'),
  );

  await fs.writeFile(d('dovecot', 'dovecot.conf'), dovecotConf(dir, hubId, ports, oauth !== undefined));
  // Compile now, as root: at delivery time LMTP runs as the dovecot user and could not write the .svbin.
  await runOrThrow(
    '/usr/bin/sievec',
    ['-c', d('dovecot', 'dovecot.conf'), d('sieve', 'junk.sieve')],
    dir,
    'dovecot/sievec.log',
    'sievec',
  );

  await fs.writeFile(d('postfix', 'conf', 'main.cf'), postfixMainCf(dir, hubId, ports));
  await fs.writeFile(d('postfix', 'conf', 'master.cf'), postfixMasterCf(ports));
  // Trap: Postfix treats a config file modified in the last ~2 s as still being edited and "pauses to let it cool
  // down" (2-2.6 s per postfix command). Back-date the fresh files by a minute so check/start do not wait.
  const past = new Date(Date.now() - 60_000);
  for (const f of ['main.cf', 'master.cf']) await fs.utimes(d('postfix', 'conf', f), past, past);
}

/**
 * Dovecot 2.3's oauth2 passdb: RFC 7662 introspection by POST (token=...), authenticated with the client id/secret
 * in the URL (Dovecot sends them as HTTP Basic). The answer must say active=true and carry email = login name.
 */
function dovecotOAuthConf(introspectionUrl: string): string {
  return `# generated by test/helpers/mailhub.ts
introspection_mode = post
introspection_url = ${introspectionUrl}
username_attribute = email
active_attribute = active
active_value = true
timeout_msecs = 5000
`;
}

function dovecotConf(dir: string, hubId: string, ports: MailHubPorts, oauth: boolean): string {
  return `# generated by test/helpers/mailhub.ts (${hubId})
protocols = imap lmtp sieve
listen = ${HOST}
base_dir = ${dir}/dovecot/run
state_dir = ${dir}/dovecot/state
instance_name = ${hubId}
log_path = ${dir}/dovecot/dovecot.log
info_log_path = ${dir}/dovecot/dovecot.log
ssl = yes
ssl_cert = <${dir}/tls/cert.pem
ssl_key = <${dir}/tls/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login${oauth ? ' xoauth2 oauthbearer' : ''}
# default 2 s per failed login: tests that check wrong passwords would crawl. A failed login still takes ~0.5 s:
# Dovecot 2.3 flushes queued failure replies on a fixed 500 ms timer (the nodelay passdb field does not help here).
auth_failure_delay = 0
auth_username_format = %Lu
recipient_delimiter = +
mail_location = maildir:${dir}/mail/%d/%n/Maildir
mail_uid = dovecot
mail_gid = dovecot
# the dovecot user's uid is below Dovecot's default first_valid_uid (500)
first_valid_uid = 1
mail_fsync = never
# Passwords are checked for the password mechanisms only ("none" = the lookups LMTP and the static userdb make),
# so a password never passes as a token.
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%Lu ${dir}/dovecot/users
  mechanisms = plain login none
}
# OAuth-only users: lookups only (delivery), never authentication; they have no password. Trap: Dovecot 2.3 reads
# a lone "none" as "no mechanism at all" (the passdb is then always skipped); "none none" is the list ["none"].
passdb {
  driver = passwd-file
  args = username_format=%Lu ${dir}/dovecot/oauth-users
  mechanisms = none none
}
${oauth ? `passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = ${dir}/dovecot/oauth2.conf
}
` : ''}# static userdb still asks the passdb whether the user exists: LMTP answers 550 5.1.1 for unknown users
userdb {
  driver = static
  args = home=${dir}/mail/%d/%n
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Junk {
    auto = subscribe
    special_use = \\Junk
  }
  mailbox Sent {
    auto = subscribe
    special_use = \\Sent
  }
}
service imap-login {
  inet_listener imap {
    port = ${ports.imap}
  }
  inet_listener imaps {
    port = ${ports.imaps}
    ssl = yes
  }
}
service lmtp {
  inet_listener lmtp {
    port = ${ports.lmtp}
  }
}
service managesieve-login {
  inet_listener sieve {
    port = ${ports.sieve}
  }
}
# SASL for Postfix's submission port, inside Postfix's queue dir (its smtpd looks up private/auth there)
service auth {
  unix_listener ${dir}/postfix/queue/private/auth {
    mode = 0660
    user = postfix
    group = postfix
  }
}
# Auth penalty: after a failed login Dovecot delays every further login from that IP (all tests come from
# 127.0.0.1) by 2 s, doubling up to 15 s, even with auth_failure_delay = 0; it also hits Postfix's SASL lookups.
# Denying the auth process access to anvil's penalty socket disables it (documented way). The auth process runs as
# the dovecot user, so mode 0 really denies it.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
# default 10 per user and IP: parallel tests all log in from 127.0.0.1
mail_max_userip_connections = 1000
protocol imap {
  mail_max_userip_connections = 1000
}
protocol lmtp {
  mail_plugins = $mail_plugins sieve
  postmaster_address = postmaster@warm.test
}
plugin {
  sieve_before = ${dir}/sieve/junk.sieve
  sieve = file:~/sieve;active=~/.dovecot.sieve
}
`;
}

function postfixMainCf(dir: string, hubId: string, ports: MailHubPorts): string {
  return `# generated by test/helpers/mailhub.ts (${hubId})
compatibility_level = 3.6
queue_directory = ${dir}/postfix/queue
data_directory = ${dir}/postfix/data
# Postfix prints errors only to a terminal or the mail log: log to a file in the hub dir
maillog_file = ${dir}/postfix/maillog
maillog_file_prefixes = ${dir}
syslog_name = ${hubId}
myhostname = mx.warm.test
mydomain = warm.test
myorigin = $myhostname
mydestination =
inet_interfaces = ${HOST}
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_banner = $myhostname ESMTP ${hubId}
alias_maps =
alias_database =
local_recipient_maps =
recipient_delimiter = +
# hub domains go to Dovecot LMTP, which decides whether the user exists (550 5.1.1 -> DSN to the sender)
virtual_mailbox_domains = ${MAILHUB_DOMAINS.join(' ')}
virtual_transport = lmtp:inet:${HOST}:${ports.lmtp}
smtpd_reject_unlisted_recipient = no
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
# never send anything off the machine: every other domain bounces locally
default_transport = error:5.7.1 outbound delivery disabled in test hub
relay_transport = $default_transport
# no DNS at all (this machine's resolver is off-box)
smtp_dns_support_level = disabled
lmtp_dns_support_level = disabled
smtpd_peername_lookup = no
smtpd_tls_security_level = may
smtpd_tls_cert_file = ${dir}/tls/cert.pem
smtpd_tls_key_file = ${dir}/tls/key.pem
smtpd_sasl_type = dovecot
smtpd_sasl_path = private/auth
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 5s
biff = no
`;
}

/** Nothing chrooted (the queue dir is not a chroot jail). SMTP and submission listen on 127.0.0.1 only. */
function postfixMasterCf(ports: MailHubPorts): string {
  return `# generated by test/helpers/mailhub.ts
${HOST}:${ports.smtp} inet n - n - - smtpd
${HOST}:${ports.submission} inet n - n - - smtpd
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
smtp      unix  -       -       n       -       -       smtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
`;
}

// ---------------------------------------------------------------------------------------------------------------
// processes

/**
 * Runs a command with stdout/stderr appended to a log file in the hub dir. Never pipes: the Dovecot master keeps
 * the stderr it was started with open for its whole life, so a pipe-reading caller would wait until the hub stops.
 */
async function runOrThrow(cmd: string, args: string[], dir: string, log: string, what: string): Promise<void> {
  const logFile = path.join(dir, log);
  const fd = openSync(logFile, 'a');
  let code: number | null;
  let signal: NodeJS.Signals | null;
  try {
    const child = spawn(cmd, args, { stdio: ['ignore', fd, fd] });
    [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (c, s) => resolve([c, s]));
    });
  } finally {
    closeSync(fd);
  }
  if (code !== 0) {
    const out = safeRead(logFile).trim().split('\n').slice(-10).join('\n');
    if (/address already in use/i.test(out) || /address already in use/i.test(safeRead(path.join(dir, 'dovecot/dovecot.log')))) {
      throw new PortRaceError(`mailhub: ${what}: a port was taken concurrently`);
    }
    throw new Error(`${what} failed (${signal ?? `exit ${code}`}); ${logFile}:\n${out}`);
  }
}

/** Connects until the server's first line starts with `prefix`. */
async function waitForGreeting(port: number, prefix: string, quit: string, deadline: number, dir: string): Promise<void> {
  let last = '';
  while (Date.now() < deadline) {
    last = await readGreeting(port, quit).catch((err: Error) => err.message);
    if (last.startsWith(prefix)) return;
    // (a pid file not written yet is fine: both masters write theirs just after their start command returns)
    for (const [name, file] of [['dovecot', dovecotPidFile(dir)], ['postfix', postfixPidFile(dir)]] as const) {
      const pid = readPid(file);
      if (pid !== undefined && !isAlive(pid)) throw new Error(`${name} exited during start-up`);
    }
    await sleep(20);
  }
  throw new Error(`no greeting on port ${port} within ${READY_TIMEOUT_MS} ms (last: ${JSON.stringify(last)})`);
}

function readGreeting(port: number, quit: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: HOST, port });
    let buf = '';
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error('greeting timeout'));
    }, 2_000);
    sock.setEncoding('utf8');
    sock.on('data', (chunk: string) => {
      buf += chunk;
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      sock.end(`${quit}\r\n`);
      resolve(buf.slice(0, nl).replace(/\r$/, ''));
    });
    sock.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    sock.on('close', () => {
      clearTimeout(timer);
      reject(new Error('closed before greeting'));
    });
  });
}

const postfixPidFile = (dir: string) => path.join(dir, 'postfix', 'queue', 'pid', 'master.pid');
const dovecotPidFile = (dir: string) => path.join(dir, 'dovecot', 'run', 'master.pid');

function readPid(file: string): number | undefined {
  const pid = Number.parseInt(safeRead(file).trim(), 10); // Postfix pads its pid file with spaces
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}

interface ProcStat {
  state: string;
  ppid: number;
  startTime: string;
}

function procStat(pid: number): ProcStat | undefined {
  const stat = safeRead(`/proc/${pid}/stat`);
  // "pid (comm) state ppid ...": comm may contain spaces and parens, so split after the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields.length < 20) return undefined;
  return { state: fields[0] as string, ppid: Number(fields[1]), startTime: fields[19] as string };
}

/** Alive and not a zombie. */
function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  const st = procStat(pid);
  return st !== undefined && st.state !== 'Z' && st.state !== 'X';
}

// Guard against stale pid files whose PID now belongs to some other process: only ever signal our own masters.
function isHubPostfix(pid: number, dir: string): boolean {
  // postfix(1) exports MAIL_CONFIG=<config dir> to the master it starts
  return safeRead(`/proc/${pid}/environ`).split('\0').includes(`MAIL_CONFIG=${dir}/postfix/conf`);
}

function isHubDovecot(pid: number, dir: string): boolean {
  const argv = safeRead(`/proc/${pid}/cmdline`).split('\0');
  const i = argv.indexOf('-c');
  return i >= 0 && argv[i + 1] === `${dir}/dovecot/dovecot.conf`;
}

/** All descendants of pid, with start times so a recycled PID is never mistaken for one of them. */
function descendants(root: number): Map<number, string> {
  const children = new Map<number, number[]>();
  const starts = new Map<number, string>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const st = procStat(pid);
    if (!st) continue;
    starts.set(pid, st.startTime);
    children.set(st.ppid, [...(children.get(st.ppid) ?? []), pid]);
  }
  const out = new Map<number, string>();
  const queue = [root];
  while (queue.length > 0) {
    for (const kid of children.get(queue.shift() as number) ?? []) {
      if (out.has(kid)) continue;
      out.set(kid, starts.get(kid) ?? '');
      queue.push(kid);
    }
  }
  return out;
}

function stillSame(pid: number, startTime: string): boolean {
  const st = procStat(pid);
  return st !== undefined && st.startTime === startTime && st.state !== 'Z' && st.state !== 'X';
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

async function waitGone(procs: Map<number, string>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = [...procs].filter(([pid, start]) => stillSame(pid, start));
    if (alive.length === 0) return true;
    if (Date.now() >= deadline) return false;
    await sleep(10);
  }
}

/**
 * SIGTERM the master, wait for it and all its children; SIGKILL whatever is left after the timeout.
 * With `cutShort`, the master is SIGKILLed as soon as every child for which cutShort(pid) is false has exited
 * (see stopDaemons for why).
 */
async function stopMaster(
  pid: number | undefined,
  owned: (pid: number) => boolean,
  cutShort?: (child: number) => boolean,
): Promise<void> {
  if (pid === undefined || !isAlive(pid) || !owned(pid)) return;
  const children = descendants(pid);
  const procs = new Map([...children, [pid, procStat(pid)?.startTime ?? '']]);
  signal(pid, 'SIGTERM');
  if (cutShort) {
    const workers = new Map([...children].filter(([child]) => !cutShort(child)));
    if ((await waitGone(workers, STOP_TIMEOUT_MS)) && !(await waitGone(procs, 20))) signal(pid, 'SIGKILL');
  }
  if (await waitGone(procs, STOP_TIMEOUT_MS)) return;
  for (const [p, start] of procs) if (stillSame(p, start)) signal(p, 'SIGKILL');
  await waitGone(procs, 2_000);
}

/** Dovecot's helper services that live until their master exits (its title is "dovecot-<instance>/<service>"). */
function isDovecotInfrastructure(pid: number): boolean {
  const service = safeRead(`/proc/${pid}/cmdline`).split('\0')[0]?.split('/').pop() ?? '';
  return ['anvil', 'log', 'config', 'stats', 'auth', 'auth-worker'].includes(service);
}

async function stopDaemons(dir: string): Promise<void> {
  // Postfix first: it stops accepting mail before its LMTP target and SASL server go away. Postfix's master exits
  // within ~30 ms of SIGTERM.
  await stopMaster(readPid(postfixPidFile(dir)), (pid) => isHubPostfix(pid, dir));
  // Dovecot's master (2.3) SIGQUITs its children on shutdown and then sleeps a fixed 1000 ms "to make sure they're
  // processed" before it exits, which makes a stop take ~1.1 s. The processes that handle mail (lmtp, imap, logins)
  // are gone within a few ms; log/auth/stats/... just wait for the master. So once the mail handlers have exited,
  // the master is SIGKILLed: its helpers notice and exit by themselves, and all it had left to do was removing its
  // pid file and sockets in our dir. A stop then takes ~50 ms.
  await stopMaster(readPid(dovecotPidFile(dir)), (pid) => isHubDovecot(pid, dir), isDovecotInfrastructure);
}

/** Stops both daemons; removes the dir if startMailHub created it (set KILN_KEEP_MAILHUB=1 to keep it). */
async function stopHub(dir: string, ownsDir: boolean, base: number): Promise<void> {
  if (!liveHubs.has(dir)) return;
  liveHubs.delete(dir);
  await stopDaemons(dir);
  reservedBases.delete(base);
  if (ownsDir && !process.env.KILN_KEEP_MAILHUB) await fs.rm(dir, { recursive: true, force: true });
}

/** "pid starttime" of this process: identifies the hub's owner even if its PID is reused later. */
function ownerStamp(pid = process.pid): string {
  return `${pid} ${procStat(pid)?.startTime ?? ''}`;
}

/**
 * Hubs whose owning process died without stopping them (SIGKILL, OOM, a crashed run) keep running as daemons.
 * Stop them and remove their temp dirs. Only dirs named like ours with an owner file whose process is gone.
 */
async function reapStaleHubs(): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(os.tmpdir());
  } catch {
    return;
  }
  for (const name of names.filter((n) => n.startsWith('kiln-mailhub-'))) {
    const dir = path.join(os.tmpdir(), name);
    const owner = safeRead(path.join(dir, 'owner')).trim();
    const pid = Number.parseInt(owner, 10);
    if (!owner || !Number.isInteger(pid) || ownerStamp(pid) === owner) continue; // no owner yet, or owner alive
    await stopDaemons(dir);
    if (!process.env.KILN_KEEP_MAILHUB) await fs.rm(dir, { recursive: true, force: true });
  }
}

// Hubs not stopped when the process exits (a crashed run, a forgotten stop()) would keep running as daemons:
// send their masters SIGTERM on the way out (synchronously: 'exit' handlers cannot wait).
const liveHubs = new Set<string>();
process.once('exit', () => {
  for (const dir of liveHubs) {
    const pf = readPid(postfixPidFile(dir));
    if (pf !== undefined && isHubPostfix(pf, dir)) signal(pf, 'SIGTERM');
    const dc = readPid(dovecotPidFile(dir));
    if (dc !== undefined && isHubDovecot(dc, dir)) signal(dc, 'SIGTERM');
  }
});

// ---------------------------------------------------------------------------------------------------------------
// small utilities

function systemIds(user: string): { uid: number; gid: number } {
  const line = safeRead('/etc/passwd').split('\n').find((l) => l.startsWith(`${user}:`));
  const f = line?.split(':');
  if (!f || f.length < 4) throw new Error(`mailhub: no system user ${user}`);
  return { uid: Number(f[2]), gid: Number(f[3]) };
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

async function tailLogs(dir: string): Promise<string> {
  let out = '';
  for (const f of ['postfix/start.log', 'postfix/maillog', 'dovecot/start.log', 'dovecot/dovecot.log']) {
    const lines = safeRead(path.join(dir, f)).trim().split('\n').filter(Boolean).slice(-8);
    if (lines.length > 0) out += `\n--- ${f}\n${lines.join('\n')}`;
  }
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
