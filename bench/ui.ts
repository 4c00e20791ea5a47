// UI numbers from real Chromium against `kiln serve`: how soon the Overview shows the fleet, and
// how long the Mailboxes table takes to render 1,000 mailboxes. Prints numbers, asserts nothing.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { chromium } from 'playwright-core';
import { createCore } from '../electron/core/app';
import { fmt, median, tempDir } from './util';

const headless = path.resolve(import.meta.dirname, '../out/main/headless.js');
const CHROMIUM = '/usr/bin/chromium';
const RUNS = Number(process.env.BENCH_UI_RUNS ?? 5);

/** 1,000 mailboxes in mixed states, with a day of sent warmup mail and placements each. */
async function seedFleet(n: number): Promise<{ dataDir: string; token: string }> {
  const dataDir = tempDir('kiln-bench-ui');
  const core = await createCore({ dataDir, dispatch: false, logger: pino({ level: 'warn' }) });
  const ws = core.defaultWorkspaceId;
  const ctx = { workspaceId: ws, scopes: ['admin'] as const };
  const { token } = await core.services.tokens.create(ws, 'bench', ['read']);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await core.call(
      'mailboxes.create',
      { email: `box${i}@fleet${i % 40}.test`, provider: (['gmail', 'outlook', 'yahoo', 'zoho', 'custom'] as const)[i % 5], smtp: { host: '127.0.0.1', port: 9, security: 'none', password: 'x' }, imap: { host: '127.0.0.1', port: 9, security: 'none', password: 'x' } },
      { ...ctx, scopes: ['admin'] },
    );
    if (!r.ok) throw new Error(r.error.message);
    const id = (r.data as { id: string }).id;
    ids.push(id);
    if (i % 10 !== 9) await core.call('warmup.update', { id, enabled: true, pool: true }, { ...ctx, scopes: ['admin'] });
  }
  const db = core.services.db.sqlite;
  const now = Date.now();
  const day = new Date(now).toISOString().slice(0, 10);
  const msg = db.prepare(
    `INSERT INTO messages (id, workspace_id, mailbox_id, kind, status, message_id, from_addr, subject, attempts, created_at, updated_at, sent_at, plan_day)
     VALUES (?, ?, ?, 'warmup', 'sent', ?, ?, 'Bench', 1, ?, ?, ?, ?)`,
  );
  const place = db.prepare(
    `INSERT INTO message_placements (message_id, recipient, workspace_id, mailbox_id, placement, seen_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    ids.forEach((id, i) => {
      for (let k = 0; k < 10; k++) {
        const mid = `msg_ui${i}_${k}`;
        const at = now - k * 60_000;
        msg.run(mid, ws, id, `<${mid}@bench.test>`, `box${i}@fleet${i % 40}.test`, at, at, at, day);
        place.run(mid, `box${(i + 1) % n}@fleet.test`, ws, ids[(i + 1) % n], k === 0 && i % 7 === 0 ? 'spam' : 'inbox', at, at);
      }
      if (i % 20 === 3) db.prepare(`UPDATE warmup_settings SET state = 'throttled', state_code = 'SPAM_PLACEMENT', state_reason = 'Spam placement in the last 48 h' WHERE mailbox_id = ?`).run(id);
      if (i % 50 === 7) db.prepare(`UPDATE mailboxes SET status = 'paused' WHERE id = ?`).run(id);
    });
  })();
  await core.close();
  return { dataDir, token };
}

export async function uiBench(): Promise<string> {
  if (!fs.existsSync(CHROMIUM)) return 'ui: skipped (no /usr/bin/chromium)';
  const { dataDir, token } = await seedFleet(1000);
  const proc = spawn(process.execPath, [headless, 'serve', '--data', dataDir, '--port', '0', '--no-warmup', '--no-feedback', '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const t = setInterval(() => {
        const m = /Kiln is serving (http:\/\/\S+)/.exec(err);
        if (m) resolve((clearInterval(t), m[1]!));
        else if (proc.exitCode !== null) reject((clearInterval(t), new Error(err)));
      }, 50);
    });
    const paints: number[] = [];
    const tables: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      await context.addInitScript((t) => sessionStorage.setItem('kiln.token', t), token);
      const page = await context.newPage();
      await page.goto(url);
      // First meaningful paint: the fleet's state counts are on screen (navigation start = 0).
      await page.getByTestId('overview-states').waitFor();
      paints.push(await page.evaluate(() => performance.now()));
      // The table of 1,000 rows, from the click on "Mailboxes" to its first painted frame with rows.
      const t0 = await page.evaluate(() => performance.now());
      await page.getByRole('link', { name: 'Mailboxes', exact: true }).click();
      // Windowed: the table is ready when it announces all 1,000 rows and shows the first ones.
      await page.locator('table[aria-rowcount="1001"] tbody tr[data-row]').first().waitFor();
      await page.evaluate(() => new Promise(requestAnimationFrame));
      tables.push((await page.evaluate(() => performance.now())) - t0);
      await context.close();
    }
    return `ui: overview-paint=${fmt(median(paints))} mailboxes-1000=${fmt(median(tables))} (medians of ${RUNS} runs in ms, ${os.cpus().length} cores, headless Chromium)`;
  } finally {
    await browser.close();
    proc.kill('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  uiBench().then(console.log, (e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
