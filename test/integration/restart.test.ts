import { afterAll, describe, expect, inject, it } from 'vitest';
import { startFaultServer, type FaultServer } from '../helpers/fault-smtp';
import { apiClient, createToken, startKiln, tempDataDir, type KilnProcess } from '../helpers/kiln';
import { waitFor } from '../helpers/wait';

// Crash safety of the queue: a SIGKILL with messages queued and one mid-send, then a restart.
// Every message must end delivered exactly once or explicitly failed; none lost, none doubled.

const hub = inject('mailhub');
let server: FaultServer | null = null;
let kiln: KilnProcess | null = null;
afterAll(async () => {
  await kiln?.stop();
  await server?.close();
});

const user = 'crash@faults.test';
const pass = 'crash-test-password';

async function setupMailbox(api: ReturnType<typeof apiClient>, port: number): Promise<string> {
  const r = await api.post('/api/v1/mailboxes', { email: user, provider: 'custom', smtp: { host: '127.0.0.1', port, security: 'none', user, password: pass } });
  expect(r.status).toBe(201);
  return r.body.data.id;
}

describe('restart', () => {
  it('SIGKILL mid-send: the in-doubt message fails explicitly, queued ones are delivered once after restart', async () => {
    server = await startFaultServer({
      user,
      pass,
      // The first message's DATA is never answered: Kiln is caught mid-send when it is killed.
      script: { data: (raw, _s, n) => (n === 1 && raw.includes('Subject: stall-me') ? { stall: true } : undefined) },
    });
    const dataDir = tempDataDir('kiln-restart');
    kiln = await startKiln({ dataDir, args: ['--ca-file', hub.caCertPath] });
    const token = await createToken(dataDir, 'admin');
    let api = apiClient(kiln.url, token);
    const mailboxId = await setupMailbox(api, server.port);

    const stalled = (await api.post('/api/v1/messages', { mailboxId, to: ['a@dest.test'], subject: 'stall-me', text: 'in doubt' })).body.data;
    await waitFor(() => server!.counts.data >= 1, { what: 'the stalled DATA to reach the server' });
    const queued = [];
    for (let i = 0; i < 5; i++) {
      queued.push((await api.post('/api/v1/messages', { mailboxId, to: [`q${i}@dest.test`], subject: `queued ${i}`, text: 'waiting' })).body.data);
    }
    expect((await api.get(`/api/v1/messages/${stalled.id}`)).body.data.status).toBe('sending');
    for (const q of queued) {
      const m = (await api.get(`/api/v1/messages/${q.id}`)).body.data;
      expect(m.status).toBe('queued');
    }

    await kiln.kill();
    kiln = await startKiln({ dataDir, args: ['--ca-file', hub.caCertPath] });
    api = apiClient(kiln.url, token);

    const interrupted = (await api.get(`/api/v1/messages/${stalled.id}`)).body.data;
    expect(interrupted.status).toBe('failed');
    expect(interrupted.lastError).toMatchObject({ code: 'SEND_INTERRUPTED', kind: 'permanent' });
    expect(interrupted.events.map((e: { type: string }) => e.type)).toEqual(['queued', 'sending', 'interrupted']);

    for (const q of queued) {
      await waitFor(async () => (await api.get(`/api/v1/messages/${q.id}`)).body.data.status === 'sent', { what: `${q.id} sent` });
    }
    const ids = server.delivered.map((d) => d.messageId);
    for (const q of queued) expect(ids.filter((x) => x === q.messageId)).toHaveLength(1);
    expect(ids).not.toContain(stalled.messageId);
    // Not resent on its own: the server saw its DATA exactly once.
    expect(server.counts.data).toBe(1 + queued.length);

    // An explicit retry is the user's call; it goes out once.
    const retried = await api.post(`/api/v1/messages/${stalled.id}/retry`);
    expect(['queued', 'sending']).toContain(retried.body.data.status);
    await waitFor(async () => (await api.get(`/api/v1/messages/${stalled.id}`)).body.data.status === 'sent', { what: 'the retried message to be sent' });
    expect(server.delivered.filter((d) => d.messageId === stalled.messageId)).toHaveLength(1);
  });

  it('SIGTERM lets an in-flight send finish and record before exiting', async () => {
    await server?.close();
    server = await startFaultServer({ user, pass, script: { data: () => ({ delayMs: 1500 }) } });
    const dataDir = tempDataDir('kiln-drain');
    await kiln?.stop();
    kiln = await startKiln({ dataDir });
    const token = await createToken(dataDir, 'admin');
    let api = apiClient(kiln.url, token);
    const mailboxId = await setupMailbox(api, server.port);
    const m = (await api.post('/api/v1/messages', { mailboxId, to: ['slow@dest.test'], subject: 'slow', text: 'drain me' })).body.data;
    await waitFor(() => server!.counts.data >= 1, { what: 'DATA to reach the slow server' });
    expect(await kiln.stop()).toBe(0);
    expect(kiln.output()).toContain('shutting down');
    kiln = await startKiln({ dataDir });
    api = apiClient(kiln.url, token);
    const after = (await api.get(`/api/v1/messages/${m.id}`)).body.data;
    expect(after.status).toBe('sent');
    expect(server.delivered.filter((d) => d.messageId === m.messageId)).toHaveLength(1);
  });
});
