// Planning at scale: one day for N warming mailboxes (~40 messages each) — loop decisions, pool
// pairing, send times and the write of every planned message — on a fresh data folder.
// Run on its own (`node --import tsx bench/plan.ts`) so its peak RSS is the planner's alone;
// `npm run bench` runs it in a child process and prints its one line.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createCore } from '../electron/core/app';
import { ManualClock } from '../electron/core/clock';
import { Planner } from '../electron/core/warmup/planner';
import { warmupStore } from '../electron/core/warmup/store';
import { warmupLimits } from '../shared/domain/warmup';
import { defaultRamp } from '../shared/warmup/ramp';
import { loopSettingsSchema } from '../shared/warmup/loop';

const PROVIDERS = ['gmail', 'outlook', 'yahoo', 'zoho', 'custom'];

async function run(n: number, perMailbox: number): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-bench-plan-'));
  const clock = new ManualClock(Date.UTC(2026, 10, 23, 5, 0)); // Monday, before the window
  const core = await createCore({ dataDir, clock, dispatch: false, feedback: false, logger: pino({ level: 'silent' }) });
  try {
    const sqlite = core.services.db.sqlite;
    const ramp = JSON.stringify({ ...defaultRamp('UTC'), startVolume: perMailbox, dailyMax: perMailbox, variancePct: 0 });
    const loop = JSON.stringify(loopSettingsSchema.parse({}));
    const now = clock.now();
    const workspaces = Array.from({ length: 20 }, (_, i) => `ws_bench_${i}`);
    sqlite.transaction(() => {
      const ws = sqlite.prepare('INSERT INTO workspaces (id, slug, name, created_at) VALUES (?, ?, ?, ?)');
      for (const w of workspaces) ws.run(w, w, w, now);
      const mb = sqlite.prepare(
        `INSERT INTO mailboxes (id, workspace_id, email, provider, smtp_host, smtp_port, smtp_security, smtp_user, smtp_secret_ref, imap_host, imap_port,
           imap_security, imap_user, imap_secret_ref, allow_insecure, status, time_zone, created_at, updated_at)
         VALUES (@id, @ws, @email, @provider, '127.0.0.1', 2525, 'none', @email, 'bench', '127.0.0.1', 1143, 'none', @email, 'bench', 0, 'active', 'UTC', @now, @now)`,
      );
      const w = sqlite.prepare(`INSERT INTO warmup_settings (mailbox_id, workspace_id, enabled, pool, ramp, loop, progress, updated_at) VALUES (?, ?, 1, 1, ?, ?, 0, ?)`);
      for (let i = 0; i < n; i++) {
        const id = `mb_bench_${i}`;
        const wsId = workspaces[i % workspaces.length]!;
        mb.run({ id, ws: wsId, email: `box${i}@d${i % 500}.${PROVIDERS[i % 5]}.test`, provider: PROVIDERS[i % 5], now });
        w.run(id, wsId, ramp, loop, now);
      }
    })();
    const store = warmupStore(sqlite);
    const limits = warmupLimits.parse({});
    const planner = new Planner({ store, now: () => clock.now(), limits: () => limits, suppressed: () => new Set() });
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    const senders = store.senders();
    const { planned } = planner.run(senders, planner.decisions(senders, clock.now()));
    const ms = performance.now() - t0;
    const again = planner.run(store.senders(), planner.decisions(store.senders(), clock.now())).planned;
    const peakMb = process.resourceUsage().maxRSS / 1024;
    return (
      `plan: mailboxes=${n} messages=${planned} ms=${Math.round(ms)} rss-mb=${Math.round(peakMb)} ` +
      `(rss-before-plan-mb=${Math.round(rssBefore / 1048576)} replanned=${again})`
    );
  } finally {
    await core.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The benchmark line, from a child process (a clean RSS). */
export function planBench(): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], { encoding: 'utf8', env: process.env });
  if (r.status !== 0) throw new Error(`plan bench failed: ${r.stderr}`);
  return r.stdout.trim().split('\n').at(-1)!;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  run(Number(process.env.BENCH_PLAN_MAILBOXES ?? 10_000), Number(process.env.BENCH_PLAN_PER_MAILBOX ?? 40))
    .then((line) => console.log(line))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
