import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { addMailHubUser } from '../helpers/mailhub';
import { kilnCli, tempDataDir } from '../helpers/kiln';
import { uniqueUser } from '../helpers/imap';
import { startTestCore } from '../helpers/core';

// The `kiln` CLI as built (out/main/headless.js under plain Node, which also proves the headless
// bundle never loads Electron).

const hub = inject('mailhub');

const withoutKilnVars = (env: NodeJS.ProcessEnv) => Object.fromEntries(Object.entries(env).filter(([k]) => k !== 'KILN_PORT' && k !== 'KILN_DATA'));

/** A data folder that holds Kiln data (a migrated database), as `kiln serve` leaves it. */
async function kilnData(): Promise<string> {
  const dir = tempDataDir();
  const r = await kilnCli(['migrate', '--data', dir]);
  if (r.code !== 0) throw new Error(`migrate failed: ${r.stderr}`);
  return dir;
}

describe('kiln CLI', () => {
  it('--help works everywhere and exits 0', async () => {
    for (const args of [['--help'], ['serve', '--help'], ['token', 'create', '--help'], ['mailbox', 'add', '--help'], ['doctor', '--help'], ['migrate', '--help']]) {
      const r = await kilnCli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toContain('Usage: kiln');
    }
  });

  it('bad input: clear message on stderr, non-zero exit', async () => {
    const unknown = await kilnCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    const port = await kilnCli(['serve', '--port', 'eighty', '--data', tempDataDir()]);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('port must be an integer');
    const backoff = await kilnCli(['serve', '--retry-backoff', '1,soon', '--data', tempDataDir()]);
    expect(backoff.code).toBe(2);
    expect(backoff.stderr).toContain('retry backoff must be a comma list of minutes');
    const noPw = await kilnCli(['mailbox', 'add', '--data', tempDataDir(), '--email', 'x@warm.test', '--smtp-host', '127.0.0.1', '--smtp-port', '25', '--smtp-security', 'none'], {
      env: { KILN_SMTP_PASSWORD: '' },
    });
    expect(noPw.code).toBe(2);
    expect(noPw.stderr).toContain('no SMTP password');
    const badEmail = await kilnCli(['mailbox', 'add', '--data', await kilnData(), '--email', 'nope', '--smtp-host', 'h', '--smtp-security', 'tls'], { env: { KILN_SMTP_PASSWORD: 'x' } });
    expect(badEmail.code).toBe(2);
    expect(badEmail.stderr).toContain('email');
  }, 60_000);

  it('token create prints the token alone on stdout', async () => {
    const r = await kilnCli(['token', 'create', '--data', tempDataDir(), '--name', 'ci', '--scopes', 'admin']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^kiln_[A-Za-z0-9_-]{43}\n$/);
  });

  it('mailbox add | list | test against the real hub, password from stdin', async () => {
    const u = uniqueUser('cli');
    await addMailHubUser(hub, u.address, u.password);
    const data = await kilnData();
    const common = ['--data', data, '--ca-file', hub.caCertPath];
    const add = await kilnCli(
      ['mailbox', 'add', ...common, '--email', u.address, '--smtp-host', '127.0.0.1', '--smtp-port', String(hub.ports.submission), '--smtp-security', 'starttls',
        '--imap-host', '127.0.0.1', '--imap-port', String(hub.ports.imaps), '--imap-security', 'tls', '--password-stdin'],
      { input: `${u.password}\n` },
    );
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(add.stdout).toMatch(/^mbx_\w+\t/);
    const list = await kilnCli(['mailbox', 'list', ...common]);
    expect(list.stdout).toContain(u.address);
    expect(list.stdout).toContain('\tWarmup off\t');
    const test = await kilnCli(['mailbox', 'test', u.address, ...common, '--json']);
    expect(test.code).toBe(0);
    const result = JSON.parse(test.stdout);
    expect(result.smtp).toMatchObject({ ok: true, passed: ['dns', 'connect', 'tls', 'auth', 'send'] });
    expect(result.imap).toMatchObject({ ok: true, passed: ['dns', 'connect', 'tls', 'auth', 'select'] });
    const doctor = await kilnCli(['doctor', ...common, '--mailbox', u.address]);
    expect(doctor.stdout).toContain(`✓ ${u.address} smtp`);
    expect(doctor.stdout).toContain('✓ database');
    expect(doctor.code).toBe(0);
    for (const out of [add, list, test, doctor]) expect(out.stdout + out.stderr).not.toContain(u.password);
  }, 60_000);

  it('mailbox test and doctor say tls "not used" on a plaintext connection, in the UI\'s words', async () => {
    const u = uniqueUser('cliplain');
    await addMailHubUser(hub, u.address, u.password);
    const common = ['--data', tempDataDir()];
    // A new folder starts with migrate (other commands refuse a folder without Kiln data).
    expect((await kilnCli(['migrate', ...common])).code).toBe(0);
    const add = await kilnCli(
      ['mailbox', 'add', ...common, '--email', u.address, '--smtp-host', '127.0.0.1', '--smtp-port', String(hub.ports.submission), '--smtp-security', 'none',
        '--imap-host', '127.0.0.1', '--imap-port', String(hub.ports.imap), '--imap-security', 'none', '--password-stdin'],
      { input: `${u.password}\n` },
    );
    expect(add.code).toBe(0);
    const test = await kilnCli(['mailbox', 'test', u.address, ...common]);
    expect(test.code).toBe(0);
    expect(test.stdout).toMatch(/^smtp: works/m);
    expect(test.stdout).toMatch(/^ {2}– tls: not used — security setting → none \(plaintext\)$/m);
    expect(test.stdout).toMatch(/^ {2}✓ auth: passed — AUTH as /m);
    expect(test.stdout).not.toMatch(/tls: passed/);
    const json = JSON.parse((await kilnCli(['mailbox', 'test', u.address, ...common, '--json'])).stdout);
    expect(json.smtp.passed).toEqual(['dns', 'connect', 'auth', 'send']);
    expect(json.imap.stages[2]).toMatchObject({ stage: 'tls', status: 'not_used', verdict: { state: 'na', label: 'not used' } });
    const doctor = await kilnCli(['doctor', ...common, '--mailbox', u.address]);
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toContain(`✓ ${u.address} smtp: dns passed, connect passed, tls not used, auth passed, send passed`);
    expect(doctor.stdout).toContain(`✓ ${u.address} imap: dns passed, connect passed, tls not used, auth passed, select passed`);
  });

  it('a failed mailbox test says where in the UI\'s words and leaves the error on the mailbox', async () => {
    const u = uniqueUser('cliwrong');
    await addMailHubUser(hub, u.address, u.password);
    const data = tempDataDir();
    const common = ['--data', data, '--ca-file', hub.caCertPath];
    expect((await kilnCli(['migrate', '--data', data])).code).toBe(0);
    await kilnCli(
      ['mailbox', 'add', ...common, '--email', u.address, '--smtp-host', '127.0.0.1', '--smtp-port', String(hub.ports.submission), '--smtp-security', 'starttls', '--no-imap', '--password-stdin'],
      { input: 'Not-the-Passw0rd\n' },
    );
    const test = await kilnCli(['mailbox', 'test', u.address, ...common]);
    expect(test.code).toBe(1);
    expect(test.stdout).toMatch(/^ {2}✓ tls: passed — STARTTLS at 127\.0\.0\.1:\d+ → TLSv1\.[23]/m);
    expect(test.stdout).toMatch(/^ {2}✗ auth: failed — Authentication failed.*\(SMTP_AUTH_FAILED\)$/m);
    expect(test.stdout).toMatch(/^ {2}– send: not reached$/m);
    const list = await kilnCli(['mailbox', 'list', ...common]);
    expect(list.stdout).toContain('\tError\t');
    expect(list.stdout).toContain('last error: smtp auth SMTP_AUTH_FAILED');
    const doctor = await kilnCli(['doctor', ...common, '--mailbox', u.address]);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain(`✗ ${u.address} smtp: dns passed, connect passed, tls passed, auth failed, send not reached — SMTP_AUTH_FAILED`);
  });

  it('migrate applies and lists migrations', async () => {
    const data = tempDataDir();
    const r = await kilnCli(['migrate', '--data', data]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[x] 2026-11-23-001-initial');
    expect((await kilnCli(['migrate', '--data', data])).stdout).toContain('database is up to date');
  });

  it('--version prints package.json\'s version', async () => {
    const r = await kilnCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')).version);
  });

  it('serve on a busy port exits non-zero at once, names the port, and leaves no data folder behind', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as net.AddressInfo).port;
    const data = path.join(tempDataDir(), 'data');
    try {
      const r = await kilnCli(['serve', '--port', String(port), '--data', data], { env: { KILN_BLOCKLIST_SCAN_HOURS: '0' } });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(r.stderr).toContain('--port');
      expect(fs.existsSync(data)).toBe(false);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it('npm start passes --port/--data and KILN_PORT/KILN_DATA on to kiln serve (seen through the busy-port refusal)', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as net.AddressInfo).port;
    const start = (args: string[], env: NodeJS.ProcessEnv) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        // No display: `npm start` is the headless server here, as on a server or in a container.
        const child = spawn(process.execPath, [path.resolve(import.meta.dirname, '../../bin/start.js'), ...args], {
          env: { ...withoutKilnVars(process.env), DISPLAY: '', WAYLAND_DISPLAY: '', ...env },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stderr }));
      });
    try {
      const data = path.join(tempDataDir(), 'data');
      const flags = await start(['--port', String(port), '--data', data], {});
      expect(flags.code).not.toBe(0);
      expect(flags.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
      const env = await start([], { KILN_PORT: String(port), KILN_DATA: data });
      expect(env.code).not.toBe(0);
      expect(env.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(fs.existsSync(data)).toBe(false);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it('commands other than serve, migrate and token create refuse a folder without Kiln data: exit 2, the path named, nothing created', async () => {
    const missing = path.join(tempDataDir(), 'no', 'such', 'folder');
    const empty = tempDataDir();
    for (const dir of [missing, empty]) {
      for (const args of [['mailbox', 'list'], ['mailbox', 'test', 'x@warm.test'], ['token', 'list'], ['token', 'revoke', 'tok_x']]) {
        const r = await kilnCli([...args, '--data', dir]);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr, args.join(' ')).toContain(`no Kiln data in ${dir}`);
        expect(r.stdout).toBe('');
      }
      const add = await kilnCli(['mailbox', 'add', '--data', dir, '--email', 'x@warm.test', '--smtp-host', '127.0.0.1', '--smtp-security', 'none'], { env: { KILN_SMTP_PASSWORD: 'pw' } });
      expect(add.code).toBe(2);
      expect(add.stderr).toContain(`no Kiln data in ${dir}`);
      // KILN_DATA is read the same way as --data.
      const env = await kilnCli(['mailbox', 'list'], { env: { KILN_DATA: dir } });
      expect(env.code).toBe(2);
      expect(env.stderr).toContain(`no Kiln data in ${dir}`);
    }
    expect(fs.existsSync(missing)).toBe(false);
    expect(fs.readdirSync(empty)).toEqual([]);
    const doctor = await kilnCli(['doctor', '--data', missing]);
    expect(doctor.code).not.toBe(0);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('mailbox list shows the state the Mailboxes screen shows (the fleet read), with the warmup reason', async () => {
    const data = tempDataDir();
    const k = await startTestCore({ dataDir: data, warmup: false });
    const smtp = { host: '127.0.0.1', port: 9, security: 'none' as const, user: 'u', password: 'p' };
    const ids: Record<string, string> = {};
    for (const name of ['spammy', 'warm', 'idle']) ids[name] = (await k.call('mailboxes.create', { email: `${name}@cli-state.test`, smtp })).id;
    for (const name of ['spammy', 'warm']) await k.call('warmup.update', { id: ids[name]!, enabled: true });
    // The closed loop's decision, as the warmup engine stores it.
    k.core.services.db.sqlite
      .prepare('UPDATE warmup_settings SET state = ?, state_code = ?, state_reason = ? WHERE mailbox_id = ?')
      .run('throttled', 'SPAM_PLACEMENT', '1 spam placement in the last 48 h', ids.spammy);
    const fleet = await k.call('fleet.get', {});
    await k.core.close();
    expect(Object.fromEntries(fleet.mailboxes.map((m) => [m.email, m.state]))).toEqual({ 'spammy@cli-state.test': 'throttled', 'warm@cli-state.test': 'warming', 'idle@cli-state.test': 'off' });

    const text = await kilnCli(['mailbox', 'list', '--data', data]);
    expect(text.code).toBe(0);
    const lineOf = (email: string) => text.stdout.split('\n').find((l) => l.includes(`\t${email}\t`)) ?? '';
    expect(lineOf('spammy@cli-state.test')).toContain('\tThrottled\t');
    expect(lineOf('spammy@cli-state.test')).toContain('warmup: 1 spam placement in the last 48 h');
    expect(lineOf('warm@cli-state.test')).toContain('\tWarming\t');
    expect(lineOf('idle@cli-state.test')).toContain('\tWarmup off\t');
    expect(text.stdout).not.toContain('\tactive\t');

    const json = await kilnCli(['mailbox', 'list', '--data', data, '--json']);
    const rows = JSON.parse(json.stdout) as { id: string; state: string; warmup: { reason: string | null } }[];
    for (const f of fleet.mailboxes) {
      const row = rows.find((r) => r.id === f.id)!;
      expect(row.state).toBe(f.state);
      expect(row.warmup.reason).toBe(f.warmup.reason);
    }
  });
});
