import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { startFaultServer, type FaultServer } from '../helpers/fault-smtp';
import { startTestCore, type TestCore } from '../helpers/core';
import { hubAccount, uniqueUser } from '../helpers/imap';
import { addMailHubUser } from '../helpers/mailhub';
import { waitFor } from '../helpers/wait';
import { corpusProvider, type ContentProvider } from '../../electron/core/warmup/content';

// A content provider that fails must not stall the schedule: the message is tried again a few
// minutes later (warmup) and the rest of the queue moves on.

const hub = inject('mailhub');
const START = Date.UTC(2026, 10, 24, 8, 0); // Tuesday, window open
let server: FaultServer;
let k: TestCore;
let calls = 0;
const corpus = corpusProvider();
const flaky: ContentProvider = {
  name: 'flaky',
  async generate(req) {
    if (++calls === 1) throw new Error('endpoint exploded');
    return corpus.generate(req);
  },
};

beforeAll(async () => {
  server = await startFaultServer({});
  k = await startTestCore({ ca: [hub.caCert], now: START, content: flaky });
  const u = uniqueUser('cf-pool');
  await addMailHubUser(hub, u.address, u.password);
  const member = await k.call('mailboxes.create', { email: u.address, provider: 'custom', ...hubAccount(hub, u) });
  await k.call('warmup.update', { id: member.id, pool: true });
  const sender = await k.call('mailboxes.create', {
    email: 'cf-sender@faults.test',
    provider: 'custom',
    smtp: { host: '127.0.0.1', port: server.port, security: 'none', user: 'cf-sender@faults.test', password: 'pw' },
  });
  await k.call('warmup.update', { id: sender.id, enabled: true, ramp: { startVolume: 2, variancePct: 0, days: [1, 2, 3, 4, 5, 6, 7], window: { start: '08:00', end: '10:00' }, timeZone: 'UTC' } });
  for (let t = START; t <= START + 3 * 3_600_000; t += 10 * 60_000) {
    k.clock.set(t);
    await k.core.services.warmupEngine!.tick();
    k.core.services.dispatcher!.kick();
    await waitFor(() => k.core.services.queue.waiting().queued + k.core.services.queue.waiting().sending === 0, { what: 'the queue to drain' });
  }
}, 60_000);

afterAll(async () => {
  await k?.core.close();
  await server?.close();
});

it('defers a message whose content failed and still sends the whole day', () => {
  expect(calls).toBeGreaterThan(2);
  expect(server.delivered).toHaveLength(2);
  // The failure was handled in place, not by aborting the scheduler's pass.
  expect(k.logs.join('')).not.toContain('warmup tick failed');
});
