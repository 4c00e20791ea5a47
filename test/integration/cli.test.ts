import { describe, expect, inject, it } from 'vitest';
import { addMailHubUser } from '../helpers/mailhub';
import { kilnCli, tempDataDir } from '../helpers/kiln';
import { uniqueUser } from '../helpers/imap';

// The `kiln` CLI as built (out/main/headless.js under plain Node, which also proves the headless
// bundle never loads Electron).

const hub = inject('mailhub');

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
    const badEmail = await kilnCli(['mailbox', 'add', '--data', tempDataDir(), '--email', 'nope', '--smtp-host', 'h', '--smtp-security', 'tls'], { env: { KILN_SMTP_PASSWORD: 'x' } });
    expect(badEmail.code).toBe(2);
    expect(badEmail.stderr).toContain('email');
  });

  it('token create prints the token alone on stdout', async () => {
    const r = await kilnCli(['token', 'create', '--data', tempDataDir(), '--name', 'ci', '--scopes', 'admin']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^kiln_[A-Za-z0-9_-]{43}\n$/);
  });

  it('mailbox add | list | test against the real hub, password from stdin', async () => {
    const u = uniqueUser('cli');
    await addMailHubUser(hub, u.address, u.password);
    const data = tempDataDir();
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
    expect(list.stdout).toContain('active');
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
  });

  it('mailbox test and doctor say tls "not used" on a plaintext connection, in the UI\'s words', async () => {
    const u = uniqueUser('cliplain');
    await addMailHubUser(hub, u.address, u.password);
    const common = ['--data', tempDataDir()];
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
    const common = ['--data', tempDataDir(), '--ca-file', hub.caCertPath];
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
    expect(list.stdout).toContain('\terror\t');
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
});
