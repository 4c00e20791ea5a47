#!/usr/bin/env node
// Makes sure the Debian packages the tests need are installed (run by `npm test`'s pretest and by .ci/run).
//
//   node test/setup/install-deps.mjs                     check; as root install what is missing, else exit 1
//   node test/setup/install-deps.mjs --with-build-tools  also g++/make/python3/pkg-config, which `npm ci` needs to
//                                                        compile better-sqlite3 and keytar (CI on a fresh machine)
//
// Plain Node, no dependencies: it runs before `npm ci` on CI. The check only looks for files, so it takes a few
// milliseconds when everything is present.
import { spawnSync } from 'node:child_process';
import { existsSync, unlinkSync, writeFileSync } from 'node:fs';

/** Debian package -> files that prove it is installed (and that the tests use). */
const TEST_PACKAGES = {
  postfix: ['/usr/sbin/postfix', '/usr/lib/postfix/sbin/master'],
  'dovecot-imapd': ['/usr/sbin/dovecot', '/usr/lib/dovecot/imap', '/usr/lib/dovecot/imap-login'],
  'dovecot-lmtpd': ['/usr/lib/dovecot/lmtp'],
  'dovecot-sieve': ['/usr/bin/sievec', '/usr/lib/dovecot/modules/lib90_sieve_plugin.so'],
  'dovecot-managesieved': ['/usr/lib/dovecot/managesieve-login'],
  openssl: ['/usr/bin/openssl'],
  chromium: ['/usr/bin/chromium'],
  // pdftoppm and pdftotext: the report tests read the PDF Kiln made back.
  'poppler-utils': ['/usr/bin/pdftoppm', '/usr/bin/pdftotext'],
  'gnome-keyring': ['/usr/bin/gnome-keyring-daemon'],
  // dbus-x11 depends on dbus-daemon, which ships dbus-run-session
  'dbus-x11': ['/usr/bin/dbus-launch', '/usr/bin/dbus-run-session'],
  'libsecret-1-dev': ['/usr/include/libsecret-1/libsecret/secret.h'],
};

const BUILD_PACKAGES = {
  'g++': ['/usr/bin/g++'],
  make: ['/usr/bin/make'],
  python3: ['/usr/bin/python3'],
  'pkg-config': ['/usr/bin/pkg-config'],
};

// Without this answer postfix's postinst asks which mail setup to create; "No configuration" creates none (the
// tests run their own Postfix with its own config dir).
const POSTFIX_PRESEED = 'postfix postfix/main_mailer_type select No configuration';

const wanted = { ...TEST_PACKAGES, ...(process.argv.includes('--with-build-tools') ? BUILD_PACKAGES : {}) };

function missingPackages() {
  return Object.entries(wanted)
    .filter(([, files]) => files.some((f) => !existsSync(f)))
    .map(([pkg]) => pkg);
}

function aptCommand(pkgs) {
  return `DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${pkgs.join(' ')}`;
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['pipe', 'inherit', 'inherit'], ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

const missing = missingPackages();
if (missing.length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !existsSync('/usr/bin/apt-get')) {
  const why = isRoot ? 'apt-get not found (the test setup expects Debian 12)' : 'not running as root';
  console.error(`install-deps: missing Debian packages: ${missing.join(' ')}`);
  console.error(`install-deps: cannot install them (${why}). Install them as root with:`);
  if (missing.includes('postfix')) console.error(`  echo '${POSTFIX_PRESEED}' | debconf-set-selections`);
  console.error(`  ${aptCommand(missing)}`);
  process.exit(1);
}

console.error(`install-deps: installing ${missing.join(' ')}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
if (missing.includes('postfix')) run('debconf-set-selections', [], { input: `${POSTFIX_PRESEED}\n` });

// Keep the packages' maintainer scripts from starting the system-wide postfix/dovecot services (they would sit on
// ports 25/143/993 with /etc configs; the tests start private instances). 101 = "action not allowed" for
// invoke-rc.d / deb-systemd-invoke. Only if no policy is in place already, and removed afterwards.
const POLICY = '/usr/sbin/policy-rc.d';
const ownPolicy = !existsSync(POLICY);
if (ownPolicy) writeFileSync(POLICY, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
try {
  const install = ['install', '-y', '-q', '--no-install-recommends', ...missing];
  // Try with the current package lists first: `apt-get update` costs time and is only needed on a fresh machine.
  if (run('apt-get', install, { env }) !== 0) {
    console.error('install-deps: install failed, running apt-get update and retrying');
    if (run('apt-get', ['update', '-q'], { env }) !== 0) process.exit(1);
    if (run('apt-get', install, { env }) !== 0) process.exit(1);
  }
} finally {
  if (ownPolicy) unlinkSync(POLICY);
}

const still = missingPackages();
if (still.length > 0) {
  console.error(`install-deps: still missing after apt-get install: ${still.join(' ')}`);
  process.exit(1);
}
console.error('install-deps: done');
