// Client reports on two weeks of simulated warmup (rows as the dispatcher and the feedback loop
// write them, health scored each evening on the simulated clock): the PDF printed by the real
// headless path (Chromium at /usr/bin/chromium, or the plain pdfkit printer a process without
// Chromium gets), read back with pdftotext, says what the API says;
// and the weekly report mail reaches the hub's Maildir once, not again after a restart.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addMailHubUser } from '../helpers/mailhub';
import { codeOf, startTestCore, type TestCore } from '../helpers/core';
import { hubAccount, uniqueUser } from '../helpers/imap';
import { tempDataDir } from '../helpers/kiln';
import { waitFor } from '../helpers/wait';
import { chromiumPrinter, headlessPrinter } from '../../electron/headless/print-pdf';
import type { PrintPdf } from '../../electron/core/reports/print';
import { figuresOf, dayWindow } from '../../electron/core/figures';
import { addDays } from '../../shared/warmup/calendar';

const hub = inject('mailhub');
const FROM = '2026-11-09';
const TO = '2026-11-22';
// Monday 2026-11-23 09:00 UTC: the morning after the two weeks.
const NOW = Date.UTC(2026, 10, 23, 9, 0);
const sender = uniqueUser('rep-sender');
const receiver = uniqueUser('rep-receiver');
const client = uniqueUser('rep-client');
const chromium = chromiumPrinter('/usr/bin/chromium');
// The printer the core calls; a test swaps in the one a process without Chromium gets.
let printer: PrintPdf = chromium;
const printPdf: PrintPdf = (page) => printer(page);
const dataDir = tempDataDir('kiln-reports');
let k: TestCore;
const ids: Record<string, string> = {};
let n = 0;

function sql(q: string, ...args: unknown[]) {
  return k.core.services.db.sqlite.prepare(q).run(...args);
}

/** One warmup message of plan day `day` sent at `at`, and where its copy landed (or its bounce). */
function warmupMail(day: string, at: number, outcome: 'inbox' | 'spam' | 'bounced') {
  const id = `msg_rep_${n++}`;
  const ws = k.core.defaultWorkspaceId;
  sql(
    `INSERT INTO messages (id, workspace_id, mailbox_id, kind, status, message_id, from_addr, subject, attempts, created_at, updated_at, sent_at, plan_day)
     VALUES (?, ?, ?, 'warmup', ?, ?, ?, 'Hello', 1, ?, ?, ?, ?)`,
    id, ws, ids.sender, outcome === 'bounced' ? 'bounced' : 'sent', `<${id}@warm.test>`, sender.address, at - 60_000, at, at, day,
  );
  sql(`INSERT INTO message_recipients (message_id, kind, address, status) VALUES (?, 'to', ?, ?)`, id, receiver.address, outcome === 'bounced' ? 'bounced' : 'sent');
  if (outcome !== 'bounced') {
    sql(`INSERT INTO message_placements (message_id, recipient, workspace_id, mailbox_id, placement, folder, seen_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      id, receiver.address, ws, ids.receiver, outcome, outcome === 'inbox' ? 'INBOX' : 'Junk', at + 60_000, at + 60_000);
  }
}

function maildirCount(address: string, subject: RegExp): number {
  const [local, domain] = address.split('@');
  const root = path.join(hub.dir, 'mail', domain!, local!, 'Maildir');
  if (!fs.existsSync(root)) return 0;
  let count = 0;
  for (const rel of fs.readdirSync(root, { recursive: true }).map(String)) {
    const parent = path.basename(path.dirname(rel));
    if (parent !== 'new' && parent !== 'cur') continue;
    try {
      if (subject.test(fs.readFileSync(path.join(root, rel), 'utf8').split(/\r?\n\r?\n/)[0]!)) count++;
    } catch {
      /* moved from new/ to cur/ while we looked */
    }
  }
  return count;
}

beforeAll(async () => {
  for (const u of [sender, receiver, client]) await addMailHubUser(hub, u.address, u.password);
  k = await startTestCore({ ca: [hub.caCert], dataDir, now: Date.UTC(2026, 10, 8, 12), warmup: false, printPdf });
  sql('UPDATE workspaces SET name = ? WHERE id = ?', 'Acme Widgets', k.core.defaultWorkspaceId);
  for (const [name, u] of [['sender', sender], ['receiver', receiver]] as const) {
    ids[name] = (await k.call('mailboxes.create', { email: u.address, provider: 'custom', timeZone: 'UTC', ...hubAccount(hub, u) })).id;
  }
  // Two weeks of warmup: the ramp's target grows by one a day; one mail a day short on every
  // third day, a bounce every fourth, a spam placement every fifth; health scored each evening.
  for (let i = 0; i < 14; i++) {
    const day = addDays(FROM, i);
    const target = 4 + i;
    const start = Date.UTC(2026, 10, 9 + i, 9);
    sql(`INSERT INTO warmup_days (mailbox_id, day, workspace_id, sending_day, target, volume, state, advanced, planned_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'done', 0, ?, ?)`,
      ids.sender, day, k.core.defaultWorkspaceId, i + 1, target, target, start, start);
    const sent = target - (i % 3 === 0 ? 1 : 0);
    for (let j = 0; j < sent; j++) warmupMail(day, start + j * 20 * 60_000, j === 0 && i % 4 === 0 ? 'bounced' : j === 1 && i % 5 === 0 ? 'spam' : 'inbox');
    if (i === 3) k.core.services.alerts.raise(k.core.defaultWorkspaceId, { kind: 'bounce.spike', severity: 'warning', key: `bounce:${ids.sender}`, title: `${sender.address}: bounces up`, detail: 'test', mailboxId: ids.sender });
    k.clock.set(Date.UTC(2026, 10, 9 + i, 20));
    if (i === 6) k.core.services.alerts.resolve(k.core.defaultWorkspaceId, `bounce:${ids.sender}`);
    await k.core.services.health.refreshAll();
  }
  k.clock.set(NOW);
  await k.call('reports.settings.set', { consultantName: 'Jane Consultant', logoDataUrl: `data:image/png;base64,${fs.readFileSync(path.join(__dirname, '../../resources/icon.png')).toString('base64')}` });
}, 120_000);
afterAll(async () => {
  await k?.core.close();
});

describe('client report', () => {
  it('reports.get reads the figures, stored health scores and alerts the rest of Kiln shows', async () => {
    const r = await k.call('reports.get', { from: FROM, to: TO });
    expect(r.workspace.name).toBe('Acme Widgets');
    const mb = r.mailboxes.find((m) => m.id === ids.sender)!;
    // The figures module, over the same window.
    const f = figuresOf(k.core.services.db.sqlite);
    const since = dayWindow(FROM, 'UTC').start;
    const until = dayWindow(TO, 'UTC').end;
    expect(mb.outcomes).toEqual(f.mail.outcomes(ids.sender!, since, until));
    expect(r.headline.outcomes.sent).toBeGreaterThan(60);
    expect(r.headline.outcomes.bounced).toBe(4);
    // warmup.stats (the Health tab's chart) day by day.
    const stats = (await k.call('warmup.stats', { id: ids.sender!, days: 15 })).filter((d) => d.day >= FROM && d.day <= TO);
    expect(mb.days).toEqual(stats);
    expect(r.headline.warmup).toEqual({ target: stats.reduce((a, d) => a + d.target, 0), sent: stats.reduce((a, d) => a + d.sent, 0) });
    // health.mailbox's daily history.
    const health = await k.call('health.mailbox', { id: ids.sender!, days: 15 });
    expect(mb.healthHistory.map((h) => ({ day: h.day, score: h.score }))).toEqual(health.history.filter((h) => h.day <= TO));
    expect(mb.healthHistory).toHaveLength(14);
    // The alerts the alert store holds for the range (ours, and any the health watch raised).
    const alerts = (await k.call('alerts.list', { state: 'all', limit: 500 })).items;
    const inRange = (at: string | null) => at !== null && at >= `${FROM}T00:00` && at < `${addDays(TO, 1)}T00:00`;
    expect(alerts.some((a) => a.key === `bounce:${ids.sender}` && a.state === 'resolved')).toBe(true);
    expect(r.headline.alertsRaised).toBe(alerts.filter((a) => inRange(a.raisedAt)).length);
    expect(r.headline.alertsResolved).toBe(alerts.filter((a) => inRange(a.resolvedAt)).length);
    expect(r.alerts.map((a) => a.id).sort()).toEqual(alerts.filter((a) => inRange(a.raisedAt) || inRange(a.resolvedAt)).map((a) => a.id).sort());
    // Nothing measured is unknown, not good: no DMARC reports, no blocklist scan.
    expect(r.headline.dmarcPassPct).toBeNull();
    expect(r.placementByProvider).toEqual([{ provider: 'custom', ...f.mail.placements(ids.sender!, since, until), inboxShare: mb.inboxShare }]);
  });

  it('the PDF printed by headless Chromium says the workspace, the range and the headline numbers the API returns', async () => {
    const r = await k.call('reports.get', { from: FROM, to: TO });
    const { filename, pdf } = await k.call('reports.pdf', { from: FROM, to: TO });
    expect(filename).toBe(`kiln-report-acme-widgets-${FROM}-${TO}.pdf`);
    const file = path.join('/tmp', `kiln-report-test-${process.pid}.pdf`);
    fs.writeFileSync(file, Buffer.from(pdf, 'base64'));
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Acme Widgets');
    expect(text).toContain(`${FROM} to ${TO}`);
    expect(text).toContain('Jane Consultant');
    const h = r.headline;
    const words = text.replace(/\s+/g, ' ');
    expect(words).toContain(`${h.outcomes.sent} mail sent`);
    expect(words).toContain(`${h.outcomes.delivered} delivered`);
    expect(words).toContain(`${(h.inboxShare! * 100).toFixed(1)}% inbox share`);
    expect(words).toContain(`${h.warmup.sent} / ${h.warmup.target} warmup sent / ramp target`);
    expect(words).toContain(`${h.outcomes.bounced} · ${((h.outcomes.bounced / h.outcomes.sent) * 100).toFixed(2)}% bounced`);
    expect(words).toContain('unknown DMARC pass rate');
    const latest = r.mailboxes.find((m) => m.id === ids.sender)!.health!.score!;
    // (A long address wraps at its hyphen: match its tail.)
    expect(words).toContain(`${sender.address.split('-').pop()} ${latest}`);
    // Pages as PNG for a person to look at.
    execFileSync('pdftoppm', ['-png', '-r', '60', file, '/tmp/kiln-report-page']);
  }, 90_000);

  it('without Chromium the plain PDF says the workspace, the range and the headline numbers the API returns', async () => {
    // KILN_CHROMIUM names a missing file: findChromium finds none, so headless prints with pdfkit.
    printer = headlessPrinter({ KILN_CHROMIUM: '/nonexistent/chromium' });
    try {
      const r = await k.call('reports.get', { from: FROM, to: TO });
      const { filename, pdf } = await k.call('reports.pdf', { from: FROM, to: TO });
      expect(filename).toBe(`kiln-report-acme-widgets-${FROM}-${TO}.pdf`);
      const file = path.join('/tmp', `kiln-report-plain-test-${process.pid}.pdf`);
      fs.writeFileSync(file, Buffer.from(pdf, 'base64'));
      expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
      // -layout: one table row per line.
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      expect(text).toContain('Deliverability report: Acme Widgets');
      expect(text).toMatch(new RegExp(`${FROM} to ${TO}\\s+\\(${r.timeZone}\\)`));
      expect(text).toContain('Prepared by Jane Consultant');
      expect(text).toContain('Charts need Chromium');
      const h = r.headline;
      // (pdftotext may close up the spaces around a slash.)
      const re = (s: string) => s.replace(/[().]/g, '\\$&').replace(/ \/ /g, '\\s*/\\s*');
      const row = (label: string, value: string) => expect(text).toMatch(new RegExp(`${re(label)}\\s+${re(value)}\n`));
      row('Mailboxes', String(h.mailboxes));
      row('Mail sent (accepted)', String(h.outcomes.sent));
      row('Delivered', String(h.outcomes.delivered));
      row('Inbox share of placements read', `${(h.inboxShare! * 100).toFixed(1)}%`);
      row('Bounced', `${h.outcomes.bounced} (${((h.outcomes.bounced / h.outcomes.sent) * 100).toFixed(2)}%)`);
      row('Warmup sent / ramp target', `${h.warmup.sent} / ${h.warmup.target}`);
      row('DMARC pass rate', 'unknown');
      row('Alerts raised / resolved', `${h.alertsRaised} / ${h.alertsResolved}`);
      // Each mailbox's latest health score and its outcomes; the warmup table day by day.
      for (const m of r.mailboxes) {
        expect(text).toMatch(new RegExp(`${m.email}\\s+${m.health?.score ?? 'unknown'}\\s`));
        expect(text).toMatch(new RegExp(`${m.email}\\s+${m.outcomes.sent}\\s+${m.outcomes.delivered}\\s+${m.outcomes.bounced}\\s`));
      }
      const mb = r.mailboxes.find((m) => m.id === ids.sender)!;
      for (const d of mb.days) expect(text).toMatch(new RegExp(`${d.day}\\s+${d.sent}\\s+${d.target}\n`));
      for (const p of r.placementByProvider) expect(text).toMatch(new RegExp(`${p.provider}\\s+${p.inbox}\\s+${p.spam}\\s+${p.other}\\s+${p.missing}\\s`));
      // The PNG logo is drawn; pages as PNG for a person to look at.
      expect(execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).trim().split('\n').length).toBeGreaterThan(2);
      execFileSync('pdftoppm', ['-png', '-r', '60', file, '/tmp/kiln-report-plain-page']);
    } finally {
      printer = chromium;
    }
  });

  it('CSV: one row per mailbox and day with the same numbers', async () => {
    const c = await k.call('reports.csv', { from: FROM, to: TO });
    expect(c.count).toBe(2 * 14);
    const rows = parse(c.csv, { columns: true }) as Record<string, string>[];
    const r = await k.call('reports.get', { from: FROM, to: TO });
    const mb = r.mailboxes.find((m) => m.id === ids.sender)!;
    for (const d of mb.days) {
      const row = rows.find((x) => x.day === d.day && x.mailbox === sender.address)!;
      const h = mb.healthHistory.find((x) => x.day === d.day);
      expect([row.warmup_target, row.warmup_sent, row.mail_sent, row.bounced, row.inbox, row.spam]).toEqual([d.target, d.sent, d.mailSent, d.bounced, d.inbox, d.spam].map(String));
      expect(row.health_score).toBe(h?.score == null ? '' : String(h.score));
      expect(row.health_bounces).toBe(String(h?.components.find((p) => p.part === 'bounces')?.score ?? ''));
    }
  });

  it('the weekly mail goes out once when its hour passes, and not again after a restart', async () => {
    // Monday 10:00 UTC, set at 09:00: this week's slot is still ahead.
    const s = await k.call('reports.settings.set', { weekly: { enabled: true, recipient: client.address, mailboxId: ids.sender, weekday: 1, hour: 10 } });
    expect(s.weekly.enabled).toBe(true);
    const subject = /^Subject: Acme Widgets: deliverability report 2026-11-16 to 2026-11-22/m;
    expect(await k.core.services.reports.weekly.tick()).toBe(0);
    k.clock.set(Date.UTC(2026, 10, 23, 10, 5));
    expect(await k.core.services.reports.weekly.tick()).toBe(1);
    k.core.services.dispatcher!.kick();
    await waitFor(() => maildirCount(client.address, subject) === 1, { timeoutMs: 30_000, what: 'the weekly report in the Maildir' });
    expect(await k.core.services.reports.weekly.tick()).toBe(0);

    await k.core.close();
    k = await startTestCore({ ca: [hub.caCert], dataDir, now: Date.UTC(2026, 10, 23, 11), warmup: false, printPdf });
    expect(await k.core.services.reports.weekly.tick()).toBe(0);
    const after = await k.call('reports.settings.get', {});
    expect(after.lastSentWeek).toBe('2026-11-23');
    // The screen links the slot to the message it queued, which is the one in the Maildir.
    expect(after.lastWeekly).toMatchObject({ week: '2026-11-23', error: null });
    expect((await k.call('messages.get', { id: after.lastWeekly!.messageId! })).subject).toMatch(/^Acme Widgets: deliverability report 2026-11-16 to 2026-11-22/);
    // A week on, the next one goes.
    k.clock.set(Date.UTC(2026, 10, 30, 10, 1));
    expect(await k.core.services.reports.weekly.tick()).toBe(1);
    expect(maildirCount(client.address, subject)).toBe(1);
    // A week Kiln cannot send (the client's address is suppressed) says so instead of "sent".
    await k.call('suppressions.add', { address: client.address });
    k.clock.set(Date.UTC(2026, 11, 7, 10, 1));
    expect(await k.core.services.reports.weekly.tick()).toBe(0);
    const refused = (await k.call('reports.settings.get', {})).lastWeekly;
    expect(refused).toMatchObject({ week: '2026-12-07', messageId: null });
    expect(refused?.error?.message).toContain(client.address);
  }, 90_000);

  it('a process with no printer answers PDF_UNAVAILABLE; HTML and CSV still work', async () => {
    const bare = await startTestCore({ warmup: false });
    try {
      expect(await codeOf(bare.call('reports.pdf', { from: FROM, to: TO }))).toBe('PDF_UNAVAILABLE');
      expect((await bare.call('reports.html', { from: FROM, to: TO })).html).toContain('<!DOCTYPE html>');
      expect(await codeOf(bare.call('reports.get', { from: TO, to: FROM }))).toBe('VALIDATION_FAILED');
    } finally {
      await bare.core.close();
    }
  });
});
