// The desktop started on a data folder `kiln serve` already owns (the built main bundle over a
// stand-in `electron`): it does not start a second sender; it says which process holds the folder,
// with the error code, in its error box and in every API answer, and exits.
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startKiln, tempDataDir, type KilnProcess } from '../helpers/kiln';
import { waitFor } from '../helpers/wait';

const h = await vi.hoisted(async () => (await import('../helpers/electron-stand-in')).standInState());

vi.mock('electron', async () => (await import('../helpers/electron-stand-in')).standInElectron(h));

const root = path.resolve('.');
const frame = { parent: null, url: `file://${path.join(root, 'out/renderer/index.html')}` };
const invoke = (method: string, input: unknown) =>
  h.handlers.get('kiln:invoke')!({ senderFrame: frame }, method, input, undefined) as Promise<{ ok: boolean; error?: { code: string; message: string } }>;
const signals = () => [...process.listeners('SIGINT'), ...process.listeners('SIGTERM')];
const signalsBefore = signals();
let serve: KilnProcess | null = null;

afterAll(async () => {
  await serve?.stop();
  for (const l of signals()) if (!signalsBefore.includes(l)) process.off('SIGINT', l).off('SIGTERM', l);
});

describe('the desktop on a data folder kiln serve owns', { timeout: 60_000 }, () => {
  it('says kiln serve holds it (DATA_FOLDER_IN_USE) and does not run', async () => {
    h.userData = tempDataDir('kiln-desktop-held');
    h.appRoot = root;
    serve = await startKiln({ dataDir: h.userData, args: ['--no-feedback', '--no-warmup'] });
    await import(/* @vite-ignore */ path.join(root, 'out/main/index.js'));
    await waitFor(() => (h.errorBoxes.length > 0 ? true : undefined), { timeoutMs: 20_000, what: 'the desktop to give up' });
    const held = `The data folder ${h.userData} is in use: kiln serve (pid ${serve.proc.pid}) is already sending from it`;
    expect(h.errorBoxes).toEqual([["Kiln's data folder is in use", expect.stringContaining(held)]]);
    expect(h.errorBoxes[0]![1]).toContain('(DATA_FOLDER_IN_USE)');
    expect(h.exits).toEqual([1]);
    // What the window's calls answer meanwhile says the same.
    const res = await invoke('fleet.get', {});
    expect(res).toMatchObject({ ok: false, error: { code: 'NOT_READY', message: expect.stringContaining(held) } });
    // kiln serve keeps the folder and keeps answering.
    expect((await fetch(`${serve.url}/health`)).status).toBe(200);
  });
});
