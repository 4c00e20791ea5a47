// `npm run bench`: throughput of Kiln's send path against bare nodemailer and Postfix's smtp-source,
// all into the same smtp-sink on 127.0.0.1, and API latency over a large database. Prints numbers;
// asserts nothing (speed is measured here, never in tests).
import os from 'node:os';
import { fmt } from './util';
import { requireBinaries, smtpSource, startSink } from './sink';
import { bareNodemailer, kilnSend } from './send';
import { loadTest, seed } from './api';

const N = Number(process.env.BENCH_SEND_MESSAGES ?? 10_000);
const API_MESSAGES = Number(process.env.BENCH_API_MESSAGES ?? 1_000_000);
const RPS = Number(process.env.BENCH_API_RPS ?? 200);
const API_SECONDS = Number(process.env.BENCH_API_SECONDS ?? 15);
const SIZE = 2048;

async function main() {
  requireBinaries();
  console.log(`machine: ${os.cpus().length} cores, node ${process.version}; ${N} messages of ~${SIZE} B per send run, one SMTP connection`);
  const sink = await startSink();
  try {
    // Warm up each path once (JIT, connection setup), then measure.
    await bareNodemailer(sink.port, 500);
    const pool = await bareNodemailer(sink.port, N);
    const pool16 = await bareNodemailer(sink.port, N, 16);
    const kiln = await kilnSend(sink.port, N);
    const source = smtpSource(sink.port, N, 1, SIZE);
    const source16 = smtpSource(sink.port, N * 4, 16, SIZE);
    console.log(`send: kiln=${fmt(kiln.rate)} pool=${fmt(pool)} smtp-source=${fmt(source)} kiln/pool=${fmt(kiln.rate / pool, 2)} kiln/source=${fmt(kiln.rate / source, 2)}`);
    console.log(`send-extra: kiln-enqueue=${fmt(kiln.enqueueRate)} msg/s (API call path into SQLite) pool-16-connections=${fmt(pool16)} smtp-source-16-sessions=${fmt(source16)} (machine ceiling)`);
  } finally {
    sink.stop();
  }

  const s = await seed(API_MESSAGES);
  console.log(`api-seed: ${API_MESSAGES} messages (+1 recipient, 3 events each) in ${fmt(s.seconds, 1)} s`);
  const r = await loadTest(s.dataDir, s.token, s.ids, RPS, API_SECONDS);
  console.log(`api: messages=${API_MESSAGES} rps=${fmt(r.achieved)} p95-ms=${fmt(r.p95, 2)} p99-ms=${fmt(r.p99, 2)} (p50-ms=${fmt(r.p50, 2)} requests=${r.requests} errors=${r.errors})`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
