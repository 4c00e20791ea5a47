// `kiln serve --no-warmup`, as a real process: a mailbox with warmup on and planned warmup mail
// already due sends none of it, while a message sent through the API goes out. The warmup engine
// ticks once as it starts, before the server listens, so by the time the API message has been
// delivered an engine would have released the due mail ahead of it (same mailbox, queued first).
// A restart without the flag sends the due mail: it really was due.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestCore } from '../helpers/core';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server';
import { startFaultServer, type FaultServer } from '../helpers/fault-smtp';
import { hubAccount, uniqueUser } from '../helpers/imap';
import { apiClient, createToken, startKiln, tempDataDir, type KilnProcess } from '../helpers/kiln';
import { addMailHubUser } from '../helpers/mailhub';
import { waitFor } from '../helpers/wait';

const hub = inject('mailhub');
const SENDER = 'warm-sender@no-warmup.test';
const dataDir = tempDataDir('kiln-no-warmup');
let smtp: FaultServer;
let dns: TestDnsServer;
let kiln: KilnProcess | null = null;
let senderId: string;
let planned: string[];

// A zone where it is about noon now, so the day's 08:00–18:00 window is open whenever this runs.
const offset = 12 - new Date().getUTCHours();
const timeZone = offset === 0 ? 'UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;

beforeAll(async () => {
  smtp = await startFaultServer({});
  dns = await startDnsServer({});
  // Set up on the same data folder in-process, on a clock at the real now: warmup on, today planned.
  const k = await startTestCore({ ca: [hub.caCert], dataDir, now: Date.now(), dnsServers: [dns.server] });
  for (const u of [uniqueUser('nowarm-a'), uniqueUser('nowarm-b', 'other.test')]) {
    await addMailHubUser(hub, u.address, u.password);
    const mb = await k.call('mailboxes.create', { email: u.address, provider: 'custom', ...hubAccount(hub, u) });
    await k.call('warmup.update', { id: mb.id, pool: true });
  }
  senderId = (await k.call('mailboxes.create', { email: SENDER, provider: 'custom', smtp: { host: '127.0.0.1', port: smtp.port, security: 'none', user: SENDER, password: 'pw' } })).id;
  await k.call('warmup.update', {
    id: senderId,
    enabled: true,
    ramp: { startVolume: 4, dailyIncrease: 1, dailyMax: 10, variancePct: 0, days: [1, 2, 3, 4, 5, 6, 7], window: { start: '08:00', end: '18:00' }, timeZone },
  });
  await k.core.services.warmupEngine!.tick();
  const db = k.core.services.db.sqlite;
  planned = (db.prepare(`SELECT message_id FROM messages WHERE mailbox_id = ? AND kind = 'warmup' AND status = 'planned'`).all(senderId) as { message_id: string }[]).map((r) => r.message_id);
  expect(planned.length).toBeGreaterThan(0);
  // Every planned message falls due a minute ago (real time): the next engine tick would release them.
  db.prepare(`UPDATE messages SET next_attempt_at = ? WHERE mailbox_id = ? AND status = 'planned'`).run(Date.now() - 60_000, senderId);
  await k.core.close();
}, 60_000);

afterAll(async () => {
  await kiln?.stop();
  await smtp?.close();
  await dns?.close();
});

const warmupDelivered = () => smtp.delivered.filter((d) => d.messageId && planned.includes(d.messageId));

describe('kiln serve --no-warmup', () => {
  it('sends no warmup mail though warmup is on and due, while an API send goes out', async () => {
    kiln = await startKiln({ dataDir, args: ['--no-feedback', '--no-warmup', '--dns-servers', dns.server] });
    const api = apiClient(kiln.url, await createToken(dataDir, 'admin'));
    const status = await api.get(`/api/v1/mailboxes/${senderId}/warmup`);
    expect(status.body.data).toMatchObject({ enabled: true });

    const sent = await api.post('/api/v1/messages', { mailboxId: senderId, to: ['someone@no-warmup.test'], subject: 'Through the API', text: 'Hello.' });
    expect(sent.status).toBe(202);
    await waitFor(async () => (await api.get(`/api/v1/messages/${sent.body.data.id}`)).body.data.status === 'sent', { timeoutMs: 15_000, what: 'the API message to be sent' });
    expect(smtp.delivered.map((d) => d.messageId)).toEqual([sent.body.data.messageId]);
    expect(warmupDelivered()).toEqual([]);
    await kiln.stop();
    kiln = null;
  });

  it('without the flag, the same due warmup mail goes out', async () => {
    kiln = await startKiln({ dataDir, args: ['--no-feedback', '--dns-servers', dns.server] });
    await waitFor(() => warmupDelivered().length > 0, { timeoutMs: 20_000, what: 'the due warmup mail to be sent' });
  });
});
