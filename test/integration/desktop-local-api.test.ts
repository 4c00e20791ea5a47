// The desktop's local API, in the built main bundle over a stand-in `electron` with a real core:
// off by default (nothing listens); the Settings switch (the `localApi` desktop preference) starts
// the same server `kiln serve` runs, on 127.0.0.1 only: /health answers, a workspace token works,
// no token is 401, a foreign Host is refused; the tray says it is on; a `kiln serve` on the same
// data folder is refused, naming the desktop and its API; switched off, nothing listens again.
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startKiln, tempDataDir } from '../helpers/kiln';
import { waitFor } from '../helpers/wait';

const h = await vi.hoisted(async () => (await import('../helpers/electron-stand-in')).standInState());

vi.mock('electron', async () => (await import('../helpers/electron-stand-in')).standInElectron(h));

const root = path.resolve('.');
const frame = { parent: null, url: `file://${path.join(root, 'out/renderer/index.html')}` };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of many methods, read field by field
type Env = { ok: boolean; data?: any; error?: { code: string; message: string } };
const invoke = (method: string, input: unknown) => h.handlers.get('kiln:invoke')!({ senderFrame: frame }, method, input, undefined) as Promise<Env>;
const signals = () => [...process.listeners('SIGINT'), ...process.listeners('SIGTERM')];
const signalsBefore = signals();

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** Whether a TCP connection to host:port is accepted. */
const accepts = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const c = net.connect({ host, port });
    c.once('connect', () => (c.destroy(), resolve(true)));
    c.once('error', () => resolve(false));
  });

function get(port: number, p: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: p, headers }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .once('error', reject);
  });
}

const status = async () => (await invoke('system.localApi', {})).data as { state: string; url: string | null; port: number | null; host: string; error: unknown; verdict: { state: string } };

afterAll(async () => {
  if (h.quit.count === 0 && h.appOn.get('before-quit')) {
    h.appOn.get('before-quit')!({ preventDefault: () => {} });
    await waitFor(() => h.quit.count > 0, { timeoutMs: 20_000, what: 'the desktop to close' });
  }
  for (const l of signals()) if (!signalsBefore.includes(l)) process.off('SIGINT', l).off('SIGTERM', l);
});

describe('the desktop local API (main bundle, real core)', { timeout: 60_000 }, () => {
  let port: number;

  it('is off by default: the status says so and nothing listens', async () => {
    h.userData = tempDataDir('kiln-desktop-api');
    h.appRoot = root;
    await import(/* @vite-ignore */ path.join(root, 'out/main/index.js'));
    await vi.waitFor(() => expect(h.handlers.has('kiln:invoke')).toBe(true));
    await waitFor(async () => ((await invoke('fleet.get', {})).ok ? true : undefined), { timeoutMs: 20_000, what: 'the core to start' });
    expect((await invoke('preferences.get', {})).data.desktop.localApi).toEqual({ enabled: false, port: 7421 });
    expect(await status()).toMatchObject({ state: 'off', url: null, host: '127.0.0.1', verdict: { state: 'na' } });
    expect(await accepts('127.0.0.1', 7421)).toBe(false);
  });

  it('switched on, serves /health, the API with a workspace token (401 without), refuses a foreign Host, on 127.0.0.1 only', async () => {
    port = await freePort();
    const upd = await invoke('preferences.update', { desktop: { localApi: { enabled: true, port } } });
    expect(upd.data.desktop.localApi).toEqual({ enabled: true, port });
    const on = await waitFor(async () => ((await status()).state === 'on' ? status() : undefined), { timeoutMs: 15_000, what: 'the local API to listen' });
    expect(on).toMatchObject({ url: `http://127.0.0.1:${port}`, port, host: '127.0.0.1', error: null, verdict: { state: 'good' } });

    expect((await get(port, '/health')).status).toBe(200);
    const token = (await invoke('tokens.create', { name: 'script', scopes: ['read'] })).data.token as string;
    const fleet = await get(port, '/api/v1/fleet', { authorization: `Bearer ${token}` });
    expect(fleet.status).toBe(200);
    expect(JSON.parse(fleet.body)).toMatchObject({ ok: true, data: { mailboxes: [] } });
    const anonymous = await get(port, '/api/v1/fleet');
    expect(anonymous.status).toBe(401);
    const foreign = await get(port, '/api/v1/fleet', { authorization: `Bearer ${token}`, host: 'evil.example' });
    expect(JSON.parse(foreign.body).error.code).toBe('HOST_NOT_ALLOWED');
    // The web UI is served too.
    expect((await get(port, '/')).body).toContain('<div id="root"');
    // Bound to 127.0.0.1 itself: another loopback address is refused (a 0.0.0.0 bind would accept it).
    expect(await accepts('127.0.0.2', port)).toBe(false);
    expect(h.tooltips.at(-1)).toContain(`Local API on: http://127.0.0.1:${port}`);
  });

  it('refuses a kiln serve on the same data folder, naming the desktop and its API', async () => {
    const refused = await startKiln({ dataDir: h.userData }).then(
      async (k) => (await k.stop(), null),
      (e: Error) => e,
    );
    expect(refused).toBeInstanceOf(Error);
    expect(refused!.message).toContain(
      `The data folder ${h.userData} is in use: the Kiln desktop app with its local API at http://127.0.0.1:${port} (pid ${process.pid}) is already sending from it; stop it first or use another data folder (DATA_FOLDER_IN_USE)`,
    );
    // The desktop's API is unharmed.
    expect((await get(port, '/health')).status).toBe(200);
  });

  it('switched off, nothing listens and the tray no longer mentions it', async () => {
    await invoke('preferences.update', { desktop: { localApi: { enabled: false } } });
    await waitFor(async () => ((await status()).state === 'off' ? true : undefined), { timeoutMs: 15_000, what: 'the local API to stop' });
    expect(await accepts('127.0.0.1', port)).toBe(false);
    expect(h.tooltips.at(-1)).not.toContain('Local API');
  });
});
