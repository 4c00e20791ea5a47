// Message-event webhooks. (1) events=100000: time for 100,000 message events to be queued from the
// bus (the synchronous insert the sending path pays) and delivered, signed, to a receiver on
// 127.0.0.1, ten events per message so the per-message ordering is exercised. (2) send-slowdown:
// Kiln's send throughput into smtp-sink with a webhook subscribed to message.sent, divided by the
// same without it (rounds interleaved, medians). `npm run bench:webhooks` runs only this.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { createCore } from '../electron/core/app';
import type { Core } from '../electron/core/types';
import { kilnSend } from './send';
import { requireBinaries, startSink } from './sink';
import { fmt, median, tempDir } from './util';

const EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 100_000);
const PER_MESSAGE = 10;
const SEND_N = Number(process.env.BENCH_WEBHOOK_SEND_MESSAGES ?? 5_000);
const ROUNDS = Number(process.env.BENCH_WEBHOOK_ROUNDS ?? 5);
const messageEvents = ['message.sent', 'message.failed', 'message.bounced', 'message.complained', 'message.placed', 'message.replied'] as const;

async function receiver(): Promise<{ url: string; count: () => number; close(): Promise<void> }> {
  let n = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      n++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    count: () => n,
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

async function must<T>(core: Core, method: Parameters<Core['call']>[0], input: unknown): Promise<T> {
  const r = await core.call(method, input, { workspaceId: core.defaultWorkspaceId, scopes: ['admin'] });
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.data as T;
}

/** (1) Queue EVENTS message events through the bus and wait until the receiver has them all. */
async function deliverMany(): Promise<{ ms: number; enqueueMs: number }> {
  const rx = await receiver();
  const core = await createCore({ dataDir: tempDir('kiln-bench-webhooks'), logger: pino({ level: 'warn' }), webhookAllowPrivate: true, warmup: false, feedback: false });
  try {
    const mb = await must<{ id: string }>(core, 'mailboxes.create', { email: 'bench@kiln.test', provider: 'custom', smtp: { host: '127.0.0.1', port: 1, security: 'none', password: 'unused' } });
    await must(core, 'mailboxes.pause', { id: mb.id });
    const ids: string[] = [];
    for (let i = 0; i < EVENTS / PER_MESSAGE; i++) ids.push((await must<{ id: string }>(core, 'messages.send', { mailboxId: mb.id, to: ['sink@kiln.test'], subject: `Bench ${i}`, text: 'x' })).id);
    await must(core, 'webhooks.create', { url: rx.url, events: [...messageEvents] });
    const bus = core.services.bus;
    const ws = core.defaultWorkspaceId;
    const kinds = ['sent', 'placement:inbox', 'placement:spam', 'placement:other', 'replied', 'complained', 'bounced', 'placement:missing', 'sender_rejected', 'failed'];
    const t0 = performance.now();
    for (const id of ids) for (const event of kinds) bus.emit(ws, 'message.updated', { id, mailboxId: mb.id, status: 'sent', event });
    const enqueueMs = performance.now() - t0;
    while (rx.count() < EVENTS) await new Promise((r) => setTimeout(r, 50));
    return { ms: performance.now() - t0, enqueueMs };
  } finally {
    await core.close();
    await rx.close();
  }
}

/** (2) Send throughput with a message-event webhook on vs off, medians of interleaved rounds. */
async function sendSlowdown(): Promise<{ on: number; off: number }> {
  requireBinaries();
  const sink = await startSink();
  const rx = await receiver();
  try {
    const options = { webhookAllowPrivate: true };
    const on = async (core: Core) => void (await must(core, 'webhooks.create', { url: rx.url, events: [...messageEvents] }));
    await kilnSend(sink.port, 500, { options }); // warm up
    const runs = { on: [] as number[], off: [] as number[] };
    // Alternate which goes first: on a shared 2-core machine one run swings by 20-40 %.
    for (let round = 0; round < ROUNDS; round++) {
      const off = () => kilnSend(sink.port, SEND_N, { options }).then((r) => runs.off.push(r.rate));
      const with_ = () => kilnSend(sink.port, SEND_N, { options, setup: on }).then((r) => runs.on.push(r.rate));
      if (round % 2 === 0) await off().then(with_);
      else await with_().then(off);
      console.log(`webhooks round ${round + 1}/${ROUNDS}: send off=${fmt(runs.off.at(-1)!)} on=${fmt(runs.on.at(-1)!)} msg/s`);
    }
    return { on: median(runs.on), off: median(runs.off) };
  } finally {
    sink.stop();
    await rx.close();
  }
}

export async function webhookBench(): Promise<string> {
  const many = await deliverMany();
  const send = await sendSlowdown();
  return (
    `webhooks: events=${EVENTS} ms=${fmt(many.ms)} send-slowdown=${fmt(send.on / send.off, 2)} ` +
    `(enqueue-ms=${fmt(many.enqueueMs)} for ${EVENTS} bus events; send msg/s off=${fmt(send.off)} on=${fmt(send.on)}, ${SEND_N} messages, medians of ${ROUNDS})`
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  webhookBench()
    .then((line) => console.log(line))
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
