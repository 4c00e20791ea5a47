// `npm run bench`: throughput of Kiln's send path against bare nodemailer and Postfix's smtp-source,
// all into the same smtp-sink on 127.0.0.1, warmup planning at scale, and API latency over a large database. Prints numbers;
// asserts nothing (speed is measured here, never in tests).
import os from 'node:os';
import { fmt, median } from './util';
import { requireBinaries, smtpSource, startSink } from './sink';
import { bareNodemailer, kilnSend } from './send';
import { loadTest, seed } from './api';
import { messagesListBench } from './messages-list';
import { imapBench } from './imap';
import { planBench } from './plan';
import { uiBench } from './ui';
import { webhookBench } from './webhooks';

const N = Number(process.env.BENCH_SEND_MESSAGES ?? 10_000);
const API_MESSAGES = Number(process.env.BENCH_API_MESSAGES ?? 1_000_000);
const RPS = Number(process.env.BENCH_API_RPS ?? 200);
const API_SECONDS = Number(process.env.BENCH_API_SECONDS ?? 15);
const SIZE = 2048;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

async function main() {
  requireBinaries();
  console.log(`machine: ${os.cpus().length} cores, node ${process.version}; ${N} messages of ~${SIZE} B per send run, one SMTP connection`);
  const sink = await startSink();
  try {
    // Warm up (JIT, connections), then interleave the contenders over several rounds and report
    // medians: on a 2-core VM a single run swings by 10-20 %.
    await bareNodemailer(sink.port, 500);
    await kilnSend(sink.port, 500);
    const runs = { kiln: [] as number[], pool: [] as number[], source: [] as number[], enqueue: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      runs.pool.push(await bareNodemailer(sink.port, N));
      const k = await kilnSend(sink.port, N);
      runs.kiln.push(k.rate);
      runs.enqueue.push(k.enqueueRate);
      runs.source.push(smtpSource(sink.port, N, 1, SIZE));
      console.log(`round ${round + 1}/${ROUNDS}: kiln=${fmt(k.rate)} pool=${fmt(runs.pool.at(-1)!)} smtp-source=${fmt(runs.source.at(-1)!)}`);
    }
    const kiln = median(runs.kiln);
    const pool = median(runs.pool);
    const source = median(runs.source);
    const pool16 = await bareNodemailer(sink.port, N, 16);
    const source16 = smtpSource(sink.port, N * 4, 16, SIZE);
    console.log(`send: kiln=${fmt(kiln)} pool=${fmt(pool)} smtp-source=${fmt(source)} kiln/pool=${fmt(kiln / pool, 2)} kiln/source=${fmt(kiln / source, 2)}`);
    console.log(`send-extra: medians of ${ROUNDS} rounds; kiln-enqueue=${fmt(median(runs.enqueue))} msg/s (API call path into SQLite) pool-16-connections=${fmt(pool16)} smtp-source-16-sessions=${fmt(source16)} (machine ceiling)`);
  } finally {
    sink.stop();
  }

  console.log(await imapBench());
  console.log(planBench());
  console.log(await uiBench());
  console.log(await webhookBench());

  const s = await seed(API_MESSAGES);
  console.log(`api-seed: ${API_MESSAGES} messages (+1 recipient, 3 events each) in ${fmt(s.seconds, 1)} s`);
  const l = await messagesListBench(s.dataDir);
  console.log(`messages-list: messages=${API_MESSAGES} p95-ms=${fmt(l.p95, 2)} (p50-ms=${fmt(l.p50, 2)} max-ms=${fmt(l.max, 1)} queries=${l.queries} filter-combinations=${l.combos} errors=${l.errors}; a subject search matching nothing: ${fmt(l.textMissMs, 0)} ms)`);
  const r = await loadTest(s.dataDir, s.token, s.ids, RPS, API_SECONDS);
  console.log(`api: messages=${API_MESSAGES} rps=${fmt(r.achieved)} p95-ms=${fmt(r.p95, 2)} p99-ms=${fmt(r.p99, 2)} (p50-ms=${fmt(r.p50, 2)} requests=${r.requests} errors=${r.errors} metrics-scrape-ms=${fmt(r.metricsMs, 1)})`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
