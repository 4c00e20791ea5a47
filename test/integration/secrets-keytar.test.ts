// Proves the keytar backend against a real Secret Service: a private D-Bus session
// (dbus-run-session) with gnome-keyring unlocked in throwaway XDG folders. Nothing touches the
// user's own keyring. Needs: apt-get install -y --no-install-recommends gnome-keyring dbus-x11
import { execFile } from 'node:child_process';
import { accessSync, constants, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KilnError } from '../../shared/errors';
import { openSecretStore } from '../../electron/core/secrets';
import { KeytarSecretStore, loadKeytar, probeKeytar, type KeytarLike } from '../../electron/core/secrets/keytar-store';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function onPath(bin: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      accessSync(path.join(dir, bin), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function requireTools(): void {
  const missing = ['dbus-run-session', 'gnome-keyring-daemon'].filter((b) => !onPath(b));
  if (missing.length > 0) {
    throw new Error(
      `secrets-keytar test needs ${missing.join(' and ')} on PATH. Install with: ` +
        'apt-get install -y --no-install-recommends gnome-keyring dbus-x11 libsecret-1-0',
    );
  }
}

// Inside the private session: fresh runtime/data dirs, unlock a new login keyring with a
// throwaway password, then run the round trip. Daemon output goes to a file so it cannot hold
// our pipes open.
const SCRIPT = `set -euo pipefail
export XDG_RUNTIME_DIR="$KILN_T_RUNTIME" XDG_DATA_HOME="$KILN_T_DATA"
echo -n pw | gnome-keyring-daemon --unlock --components=secrets >"$KILN_T_LOG" 2>&1
exec node --import tsx test/helpers/keytar-roundtrip.ts "$KILN_T_DATADIR"`;

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'kiln-keytar-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

function runInPrivateSession(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KILN_T_RUNTIME: path.join(tmp, 'run'),
    KILN_T_DATA: path.join(tmp, 'data'),
    KILN_T_LOG: path.join(tmp, 'keyring.log'),
    KILN_T_DATADIR: path.join(tmp, 'kiln-data'),
  };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  delete env.DISPLAY;
  return new Promise((resolve) => {
    // The kill timeout only guards against a hung daemon; nothing asserts on timing.
    execFile('dbus-run-session', ['--', 'bash', '-c', SCRIPT], { cwd: repoRoot, env, timeout: 90_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('keytar secret store', () => {
  it('round-trips through a real Secret Service in a private D-Bus session', { timeout: 120_000 }, async () => {
    requireTools();
    const loaded = await loadKeytar();
    if (!loaded.ok) throw new Error(`keytar must be installed for this test: ${loaded.reason}`);
    await fs.mkdir(path.join(tmp, 'run'), { mode: 0o700 });
    await fs.mkdir(path.join(tmp, 'data'), { mode: 0o700 });

    const { code, stdout, stderr } = await runInPrivateSession();
    const log = await fs.readFile(path.join(tmp, 'keyring.log'), 'utf8').catch(() => '');
    const context = `exit ${code}\nstdout: ${stdout}\nstderr: ${stderr}\nkeyring log: ${log}`;
    const line = stdout.trim().split('\n').pop() ?? '';
    let result: Record<string, unknown>;
    try {
      result = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`round-trip helper printed no JSON\n${context}`);
    }
    expect(result, context).toMatchObject({
      probeOk: true,
      backend: 'keytar',
      before: null,
      setMatches: true,
      overwriteMatches: true,
      otherSees: null,
      bare: null,
      afterDelete: null,
      viaIndexBackend: 'keytar',
      viaIndexGet: 'k',
    });
    expect(code, context).toBe(0);
  });

  it('fails fast and cleanly without a D-Bus session', { timeout: 60_000 }, async () => {
    // No session bus anywhere: no address, no X11 autolaunch, no $XDG_RUNTIME_DIR/bus socket.
    delete process.env.DBUS_SESSION_BUS_ADDRESS;
    delete process.env.DISPLAY;
    process.env.XDG_RUNTIME_DIR = await fs.mkdtemp(path.join(tmp, 'no-bus-'));

    const probe = await probeKeytar({ dataDir: path.join(tmp, 'kiln-data') });
    expect(probe.ok).toBe(false);
    if (probe.ok) return;
    expect(probe.reason).toMatch(/\S/);

    const err = await openSecretStore({ dataDir: path.join(tmp, 'kiln-data'), backend: 'keytar' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(KilnError);
    expect((err as KilnError).code).toBe('SECRET_STORE_UNAVAILABLE');
    expect((err as KilnError).message).toMatch(/keychain \(keytar\) is not usable: \S/);
  });

  it('gives up on a keychain that never answers instead of hanging', async () => {
    const never = () => new Promise<never>(() => undefined);
    const hung: KeytarLike = { getPassword: never, setPassword: never, deletePassword: never };
    const probe = await probeKeytar({ keytar: hung, probeTimeoutMs: 50 });
    expect(probe).toMatchObject({ ok: false, reason: expect.stringContaining('did not answer') });

    const store = new KeytarSecretStore(hung, { timeoutMs: 50 });
    const err = await store.get('mailbox/1/smtp').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(KilnError);
    expect((err as KilnError).code).toBe('SECRET_STORE_UNAVAILABLE');
  });
});
