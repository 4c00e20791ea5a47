import { afterEach, describe, expect, inject, it } from 'vitest';
import { startFaultServer, type FaultServer } from '../helpers/fault-smtp';
import { apiClient, createToken, startKiln, tempDataDir, type KilnProcess } from '../helpers/kiln';
import { waitFor } from '../helpers/wait';

// The two crash windows the wire log exists for. The send queue commits claims and outcomes in
// groups; here the group-commit window is held open (KILN_COMMIT_DELAY_MS) and a scripted SMTP
// server holds its answers, so `kiln serve` is SIGKILLed at an exact point: (a) the message is on
// the wire (its wire-log line written) while SQLite still says `queued`; (b) the server has
// answered the final 250 and Kiln has moved on, but the outcome is not committed. After a restart
// the message must neither be sent again nor be lost. Without the wire log both restarts see a
// plain `queued` row and send it a second time.

const hub = inject('mailhub');
const user = 'windows@faults.test';
const pass = 'windows-test-password';
let server: FaultServer | null = null;
let kiln: KilnProcess | null = null;
afterEach(async () => {
  await kiln?.stop();
  await server?.close();
  kiln = null;
  server = null;
});

const messageIdOf = (raw: string) => /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? null;
type Api = ReturnType<typeof apiClient>;

async function firstRun(): Promise<{ api: Api; token: string; dataDir: string; mailboxId: string }> {
  const dataDir = tempDataDir('kiln-windows');
  // Nothing is committed on its own for ten minutes: the test decides where the process dies.
  kiln = await startKiln({ dataDir, args: ['--ca-file', hub.caCertPath], env: { KILN_COMMIT_DELAY_MS: '600000', KILN_WARMUP: '0', KILN_FEEDBACK: '0' } });
  const token = await createToken(dataDir, 'admin');
  const api = apiClient(kiln.url, token);
  const r = await api.post('/api/v1/mailboxes', { email: user, provider: 'custom', smtp: { host: '127.0.0.1', port: server!.port, security: 'none', user, password: pass } });
  expect(r.status).toBe(201);
  return { api, token, dataDir, mailboxId: r.body.data.id };
}

/** Restart on the same data, then send one more message and wait for it: the queue has run since. */
async function restartAndDrain(dataDir: string, token: string, mailboxId: string): Promise<Api> {
  kiln = await startKiln({ dataDir, args: ['--ca-file', hub.caCertPath], env: { KILN_WARMUP: '0', KILN_FEEDBACK: '0' } });
  const api = apiClient(kiln.url, token);
  const marker = (await api.post('/api/v1/messages', { mailboxId, to: ['marker@dest.test'], subject: 'marker', text: 'after restart' })).body.data;
  await waitFor(async () => (await api.get(`/api/v1/messages/${marker.id}`)).body.data.status === 'sent', { what: 'the marker to be sent after restart' });
  return api;
}

const get = async (api: Api, id: string) => (await api.get(`/api/v1/messages/${id}`)).body.data;

describe('crash windows of the send queue', () => {
  it('(a) killed after the wire-log line, before the group commit: not sent again, failed as interrupted', async () => {
    const seen: (string | null)[] = [];
    server = await startFaultServer({
      user,
      pass,
      // The first copy's DATA is never answered; any later copy would be accepted (and counted).
      script: { data: (raw) => (seen.push(messageIdOf(raw)), raw.includes('Subject: window-a') && seen.length === 1 ? { stall: true } : undefined) },
    });
    const { api, token, dataDir, mailboxId } = await firstRun();
    const x = (await api.post('/api/v1/messages', { mailboxId, to: ['a@dest.test'], subject: 'window-a', text: 'on the wire' })).body.data;
    await waitFor(() => seen.includes(x.messageId), { what: 'the message to reach DATA' });
    // On the wire, yet SQLite still says queued: only the wire log knows.
    expect((await get(api, x.id)).status).toBe('queued');
    await kiln!.kill();

    const after = await restartAndDrain(dataDir, token, mailboxId);
    const m = await get(after, x.id);
    expect(seen.filter((id) => id === x.messageId)).toHaveLength(1);
    expect(m.status).toBe('failed');
    expect(m.lastError).toMatchObject({ code: 'SEND_INTERRUPTED' });
    expect(m.attempts).toBe(1);
  });

  it('(b) killed after the final 250, before the outcome commit: delivered exactly once, never resent', async () => {
    server = await startFaultServer({
      user,
      pass,
      // The second MAIL FROM (the next message) is never answered: it proves Kiln read the 250 before.
      script: { mailFrom: (_a, _s, n) => (n === 2 ? { stall: true } : undefined) },
    });
    const { api, token, dataDir, mailboxId } = await firstRun();
    const x = (await api.post('/api/v1/messages', { mailboxId, to: ['b@dest.test'], subject: 'window-b', text: 'accepted' })).body.data;
    const y = (await api.post('/api/v1/messages', { mailboxId, to: ['c@dest.test'], subject: 'next', text: 'behind it' })).body.data;
    await waitFor(() => server!.counts.mailFrom >= 2, { what: 'Kiln to move on to the next message after the 250' });
    expect(server.delivered.filter((d) => d.messageId === x.messageId)).toHaveLength(1);
    // Accepted by the server, but its outcome (and claim) are still in Kiln's memory only.
    expect((await get(api, x.id)).status).toBe('queued');
    await kiln!.kill();

    const after = await restartAndDrain(dataDir, token, mailboxId);
    expect(server.delivered.filter((d) => d.messageId === x.messageId)).toHaveLength(1);
    const m = await get(after, x.id);
    // Nothing Kiln can read tells whether it arrived: the explicit failure, never a second copy.
    expect(m.status).toBe('failed');
    expect(m.lastError).toMatchObject({ code: 'SEND_INTERRUPTED' });
    // The next message was on the wire too (MAIL FROM sent): in doubt as well, never lost silently.
    expect((await get(after, y.id)).status).toBe('failed');
    expect(server.delivered.filter((d) => d.messageId === y.messageId)).toHaveLength(0);
  });
});
