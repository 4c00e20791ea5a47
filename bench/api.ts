import { spawn } from 'node:child_process';
import path from 'node:path';
import pino from 'pino';
import { createCore } from '../electron/core/app';
import { percentile, tempDir } from './util';

const headless = path.resolve(import.meta.dirname, '../out/main/headless.js');

/**
 * A data folder holding `n` messages (recipient + 3 events each), written in bulk, over two
 * mailboxes; every 10th is warmup mail with a placement (every 100th in spam), every 50th failed.
 */
export async function seed(n: number): Promise<{ dataDir: string; token: string; ids: string[]; seconds: number }> {
  const dataDir = tempDir('kiln-bench-api');
  const core = await createCore({ dataDir, dispatch: false, logger: pino({ level: 'warn' }) });
  const ws = core.defaultWorkspaceId;
  const { token } = await core.services.tokens.create(ws, 'bench', ['read']);
  const mb = await core.call('mailboxes.create', { email: 'seed@kiln.test', provider: 'custom', smtp: { host: '127.0.0.1', port: 25, security: 'none', password: 'x' } }, { workspaceId: ws, scopes: ['admin'] });
  if (!mb.ok) throw new Error(mb.error.message);
  const mailboxId = (mb.data as { id: string }).id;
  const mb2 = await core.call('mailboxes.create', { email: 'seed2@kiln.test', provider: 'custom', smtp: { host: '127.0.0.1', port: 25, security: 'none', password: 'x' } }, { workspaceId: ws, scopes: ['admin'] });
  if (!mb2.ok) throw new Error(mb2.error.message);
  const mailboxes = [mailboxId, (mb2.data as { id: string }).id];
  const db = core.services.db.sqlite;
  const t0 = performance.now();
  const msg = db.prepare(
    `INSERT INTO messages (id, workspace_id, mailbox_id, kind, status, message_id, from_addr, subject, attempts, created_at, updated_at, sent_at)
     VALUES (?, ?, ?, ?, ?, ?, 'seed@kiln.test', ?, 1, ?, ?, ?)`,
  );
  const place = db.prepare(`INSERT INTO message_placements (message_id, recipient, workspace_id, mailbox_id, placement, folder, seen_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const body = db.prepare(`INSERT INTO message_contents (message_id, text_body) VALUES (?, ?)`);
  const rcpt = db.prepare(`INSERT INTO message_recipients (message_id, kind, address, status, response_code) VALUES (?, 'to', ?, 'accepted', 250)`);
  const ev = db.prepare(`INSERT INTO message_events (message_id, workspace_id, at, type, data) VALUES (?, ?, ?, ?, ?)`);
  const ids: string[] = [];
  const base = Date.UTC(2026, 0, 1);
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = `msg_seed${i.toString(36).padStart(8, '0')}`;
      const at = base + i * 1000;
      const warmup = i % 10 === 0;
      msg.run(id, ws, mailboxes[i % 2], warmup ? 'warmup' : 'api', i % 50 === 7 ? 'failed' : 'sent', `<${i}@kiln.test>`, `Seeded ${i}`, at, at, at + 500);
      if (warmup) place.run(id, `r${i % 5000}@dest.test`, ws, mailboxId, i % 100 === 0 ? 'spam' : 'inbox', i % 100 === 0 ? 'Junk' : 'INBOX', at + 900, at + 900);
      body.run(id, `Seeded body ${i}: ${'ordinary words '.repeat(20)}`);
      rcpt.run(id, `r${i % 5000}@dest.test`);
      ev.run(id, ws, at, 'queued', '{"kind":"api","recipients":1}');
      ev.run(id, ws, at + 10, 'sending', '{"attempt":1}');
      ev.run(id, ws, at + 500, 'sent', '{"attempt":1,"response":"250 2.0.0 Ok","accepted":1}');
      ids.push(id);
    }
  });
  for (let i = 0; i < n; i += 50_000) batch(i, Math.min(n, i + 50_000));
  db.pragma('wal_checkpoint(TRUNCATE)');
  const seconds = (performance.now() - t0) / 1000;
  await core.close();
  return { dataDir, token, ids, seconds };
}

/** Open-loop load: one request every 1000/rps ms regardless of answers, latency per request. */
export async function loadTest(dataDir: string, token: string, ids: string[], rps: number, seconds: number) {
  const proc = spawn(process.execPath, [headless, 'serve', '--data', dataDir, '--port', '0', '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const url = await new Promise<string>((resolve, reject) => {
    const t = setInterval(() => {
      const m = /Kiln is serving (http:\/\/\S+)/.exec(err);
      if (m) {
        clearInterval(t);
        resolve(m[1]!);
      } else if (proc.exitCode !== null) {
        clearInterval(t);
        reject(new Error(`kiln serve exited: ${err}`));
      }
    }, 20);
  });
  const latencies: number[] = [];
  let errors = 0;
  const total = rps * seconds;
  const interval = 1000 / rps;
  const inflight: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const id = ids[Math.floor(Math.random() * ids.length)]!;
    const t0 = performance.now();
    inflight.push(
      fetch(`${url}/api/v1/messages/${id}`, { headers: { authorization: `Bearer ${token}` } })
        .then(async (res) => {
          await res.text();
          if (res.status !== 200) errors++;
          latencies.push(performance.now() - t0);
        })
        .catch(() => {
          errors++;
        }),
    );
  }
  await Promise.all(inflight);
  const achieved = total / ((performance.now() - start) / 1000);
  // One Prometheus scrape: it counts messages by status over the whole table.
  const m0 = performance.now();
  await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
  const metricsMs = performance.now() - m0;
  proc.kill('SIGTERM');
  await new Promise((r) => proc.on('exit', r));
  latencies.sort((a, b) => a - b);
  return { metricsMs, requests: total, achieved, errors, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) };
}
