// Two real `kiln serve` processes on one data folder. The dispatcher keeps its claims in memory, so
// a second sender on the folder could send a message twice: the second process refuses to start
// (the dispatcher lock, `dispatcher.lock`), says which process holds the folder, and leaves that
// process's lock and queue alone. Every message the first sends reaches the server exactly once,
// including ones queued while the second tried to start; once the first stops, the folder is free.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server';
import { startFaultServer, type FaultServer } from '../helpers/fault-smtp';
import { apiClient, createToken, startKiln, tempDataDir, type KilnProcess } from '../helpers/kiln';
import { waitFor } from '../helpers/wait';

const SENDER = 'lock-sender@lock.test';
const dataDir = tempDataDir('kiln-lock');
const lockFile = path.join(dataDir, 'dispatcher.lock');
let smtp: FaultServer;
let dns: TestDnsServer;
let first: KilnProcess | null = null;
let third: KilnProcess | null = null;
let intruder: KilnProcess | null = null;
let api: ReturnType<typeof apiClient>;
let senderId: string;
const sentIds: string[] = [];

beforeAll(async () => {
  // Each answer to DATA takes a moment, so mail is still in flight while the second process starts.
  smtp = await startFaultServer({ script: { data: () => ({ delayMs: 300 }) } });
  dns = await startDnsServer({});
  first = await startKiln({ dataDir, args: ['--no-feedback', '--no-warmup', '--dns-servers', dns.server] });
  api = apiClient(first.url, await createToken(dataDir, 'admin'));
  const mb = await api.post('/api/v1/mailboxes', { email: SENDER, provider: 'custom', smtp: { host: '127.0.0.1', port: smtp.port, security: 'none', user: SENDER, password: 'pw' } });
  expect(mb.status).toBe(201);
  senderId = mb.body.data.id;
}, 60_000);

afterAll(async () => {
  await first?.stop();
  await third?.stop();
  await intruder?.stop();
  await smtp?.close();
  await dns?.close();
});

async function send(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const r = await api.post('/api/v1/messages', { mailboxId: senderId, to: [`rcpt${sentIds.length}@lock.test`], subject: `Lock ${sentIds.length}`, text: 'Hello.' });
    expect(r.status).toBe(202);
    sentIds.push(r.body.data.messageId);
  }
}

describe('two kiln serve processes on one data folder', () => {
  it('the second refuses to start, naming the process that holds the folder; the first keeps its lock', async () => {
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(String(first!.proc.pid));
    await send(5);
    const second = await startKiln({ dataDir, args: ['--no-feedback', '--no-warmup', '--dns-servers', dns.server] }).catch((e: Error) => e);
    // Had it started, it runs beside the first until the end of the next test.
    if (!(second instanceof Error)) intruder = second;
    expect(second).toBeInstanceOf(Error);
    expect((second as Error).message).toContain('kiln serve exited with 1');
    expect((second as Error).message).toContain(
      `The data folder ${dataDir} is in use: kiln serve (pid ${first!.proc.pid}) is already sending from it; stop it first or use another data folder (DATA_FOLDER_IN_USE)`,
    );
    expect((second as Error).message).not.toContain('Kiln is serving');
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(String(first!.proc.pid));
  });

  it('every message goes out once, from the first process', async () => {
    await send(3);
    await waitFor(() => smtp.delivered.length >= sentIds.length, { timeoutMs: 20_000, what: 'every message to reach the server' });
    await first!.stop();
    first = null;
    await intruder?.stop();
    intruder = null;
    expect(smtp.delivered.map((d) => d.messageId).sort()).toEqual([...sentIds].sort());
    expect(smtp.counts.data).toBe(sentIds.length);
  });

  it('once the first has stopped, the folder is free for another', async () => {
    expect(fs.existsSync(lockFile)).toBe(false);
    third = await startKiln({ dataDir, args: ['--no-feedback', '--no-warmup', '--dns-servers', dns.server] });
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(String(third.proc.pid));
  });
});
