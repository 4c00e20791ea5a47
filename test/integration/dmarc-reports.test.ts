import fs from 'node:fs';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { gzipSync, strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addMailHubUser } from '../helpers/mailhub';
import { codeOf, startTestCore, type TestCore } from '../helpers/core';
import { hubAccount, uniqueUser } from '../helpers/imap';
import { waitFor } from '../helpers/wait';
import type { PushEvent } from '../../shared/api/events';

// DMARC aggregate reports read from a real reports mailbox on the hub: fixtures in both schemas
// arrive as real mail (zip, gzip, plain XML), hostile ones too; Kiln stores each report once,
// moves the mail it handled, and leaves everything else alone.

const hub = inject('mailhub');
const reports = uniqueUser('dmarc-rua');
let k: TestCore;
let mailboxId: string;
const events: PushEvent[] = [];

const fixtures = path.resolve(import.meta.dirname, '../fixtures/dmarc');
const fixture = (name: string) => fs.readFileSync(path.join(fixtures, name));

function imap(): ImapFlow {
  return new ImapFlow({ host: '127.0.0.1', port: hub.ports.imap, secure: false, doSTARTTLS: true, tls: { ca: [hub.caCert] }, auth: { user: reports.address, pass: reports.password }, logger: false, disableAutoIdle: true });
}

/** Subjects (and \Seen) of the mail in each folder of the reports mailbox. */
async function folders(...paths: string[]): Promise<Record<string, { subject: string; seen: boolean }[]>> {
  const c = imap();
  await c.connect();
  try {
    const out: Record<string, { subject: string; seen: boolean }[]> = {};
    const existing = new Set((await c.list()).map((f) => f.path));
    for (const p of paths) {
      out[p] = [];
      if (!existing.has(p)) continue;
      const lock = await c.getMailboxLock(p, { readOnly: true });
      try {
        if (c.mailbox && c.mailbox.exists > 0) {
          for await (const m of c.fetch('1:*', { envelope: true, flags: true })) out[p]!.push({ subject: m.envelope?.subject ?? '', seen: m.flags?.has('\\Seen') ?? false });
        }
      } finally {
        lock.release();
      }
      out[p]!.sort((a, b) => a.subject.localeCompare(b.subject));
    }
    return out;
  } finally {
    await c.logout();
  }
}

const inboxCount = async () => (await folders('INBOX')).INBOX!.length;

async function send(subject: string, attachment?: { filename?: string; contentType: string; content: Buffer | Uint8Array | string }): Promise<void> {
  const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: hub.ports.smtp, secure: false, tls: { ca: [hub.caCert] } });
  await smtp.sendMail({
    from: 'noreply-dmarc-support@other.test',
    to: reports.address,
    subject,
    text: 'This is an aggregate report from a DMARC reporter.',
    attachments: attachment ? [{ ...attachment, content: typeof attachment.content === 'string' ? attachment.content : Buffer.from(attachment.content) }] : [],
  });
  smtp.close();
}

/** Send, then wait until the hub has delivered it (Postfix delivers asynchronously). */
async function deliver(mails: [string, Parameters<typeof send>[1]][]): Promise<void> {
  const before = await inboxCount();
  for (const [subject, a] of mails) await send(subject, a);
  await waitFor(async () => (await inboxCount()) >= before + mails.length, { timeoutMs: 20_000, what: `${mails.length} mails in the reports INBOX` });
}

const zeros = new Uint8Array(64 * 1024 * 1024);

beforeAll(async () => {
  await addMailHubUser(hub, reports.address, reports.password);
  k = await startTestCore({ ca: [hub.caCert] });
  k.core.subscribe((e) => {
    if (e.name === 'dmarc.ingested') events.push(e);
  });
  mailboxId = (await k.call('mailboxes.create', { email: reports.address, provider: 'custom', ...hubAccount(hub, reports) })).id;

  const google = fixture('rfc7489-google.xml');
  await deliver([
    ['Report domain: example.com Submitter: google.com Report-ID: 13826409184726539815', { filename: 'google.com!example.com!1795132800!1795219199.zip', contentType: 'application/zip', content: zipSync({ 'google.com!example.com!1795132800!1795219199.xml': google }) }],
    ['Report Domain: example.com Submitter: enterprise.protection.outlook.com', { filename: 'enterprise.protection.outlook.com!example.com!1795219200!1795305599.xml.gz', contentType: 'application/gzip', content: gzipSync(fixture('rfc9990-outlook.xml')) }],
    ['Report Domain: shop.example.net Submitter: yahoo.com', { filename: 'yahoo.com!shop.example.net!1795305600!1795391999.xml', contentType: 'text/xml', content: fixture('rfc7489-single.xml') }],
    ['Report domain: example.com Submitter: google.com (resent)', { filename: 'google.com!example.com!1795132800!1795219199.xml.gz', contentType: 'application/x-gzip', content: gzipSync(google) }],
    ['Malicious: XXE', { filename: 'evil.example!example.com!1795132800!1795219199.xml', contentType: 'text/xml', content: fixture('malicious-xxe.xml') }],
    ['Malicious: billion laughs', { filename: 'lol.example!example.com!1795132800!1795219199.xml.gz', contentType: 'application/gzip', content: gzipSync(fixture('malicious-billion-laughs.xml')) }],
    ['Malicious: zip bomb', { filename: 'bomb.example!example.com!1795132800!1795219199.zip', contentType: 'application/zip', content: zipSync({ 'report.xml': zeros }, { level: 9 }) }],
    ['Quarterly numbers', undefined],
    ['Your invoice', { filename: 'invoice.xml', contentType: 'application/xml', content: '<?xml version="1.0"?><invoice><total>12.00</total></invoice>' }],
  ]);
  // 50 MB of XML is over Postfix's message size limit: it goes in over IMAP, as a mailbox filter might put it.
  const big = `<?xml version="1.0"?><feedback>${'<record><row><source_ip>192.0.2.1</source_ip></row></record>\n'.repeat(820_000)}</feedback>\n`;
  const raw = [
    'From: huge@other.test', `To: ${reports.address}`, 'Subject: Malicious: 50 MB XML', 'Message-ID: <huge-1@other.test>', 'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/plain', '', 'big', '--b',
    'Content-Type: text/xml; name="huge.xml"', 'Content-Disposition: attachment; filename="huge.xml"', 'Content-Transfer-Encoding: 8bit', '', big, '--b--', '',
  ].join('\r\n');
  expect(raw.length).toBeGreaterThan(50_000_000);
  const c = imap();
  await c.connect();
  await c.append('INBOX', raw);
  await c.logout();
}, 120_000);
afterAll(async () => {
  await k?.core.close(5000);
});

describe('DMARC reports mailbox', () => {
  it('needs a readable reports mailbox before it reads anything', async () => {
    expect(await codeOf(k.call('dmarc.ingest', {}))).toBe('DMARC_NOT_CONFIGURED');
    const smtpOnly = uniqueUser('dmarc-smtponly');
    const noImap = await k.call('mailboxes.create', { email: smtpOnly.address, provider: 'custom', smtp: hubAccount(hub, smtpOnly).smtp });
    expect(await codeOf(k.call('dmarc.settings.update', { mailboxId: noImap.id }))).toBe('MAILBOX_NOT_READABLE');
    expect(await codeOf(k.call('dmarc.settings.update', { mailboxId: 'mbx_nope' }))).toBe('NOT_FOUND');
    expect(await codeOf(k.call('dmarc.settings.update', { processedFolder: 'INBOX' }))).toBe('VALIDATION_FAILED');

    const s = await k.call('dmarc.settings.update', { mailboxId });
    expect(s).toMatchObject({ mailboxId, folder: 'INBOX', processedFolder: 'DMARC/Processed', failedFolder: 'DMARC/Failed', schedule: true, intervalMinutes: 60, lastRun: null });
    expect(s.nextRunAt).toBe(new Date(k.clock.now() + 3_600_000).toISOString());
    expect(await k.call('dmarc.settings.get', {})).toEqual(s);
  });

  it('ingests the reports, refuses the hostile ones with their codes, and leaves other mail alone', async () => {
    const r = await k.call('dmarc.ingest', {});
    expect(r).toMatchObject({ ingested: 3, duplicates: 1, skipped: 2, moved: { processed: 4, failed: 4 }, more: false, error: null });
    const bySubject = Object.fromEntries(r.rejected.map((x) => [x.subject, x.code]));
    expect(bySubject).toEqual({
      'Malicious: XXE': 'DMARC_REPORT_UNSAFE',
      'Malicious: billion laughs': 'DMARC_REPORT_UNSAFE',
      'Malicious: zip bomb': 'DMARC_REPORT_BOMB',
      'Malicious: 50 MB XML': 'DMARC_REPORT_TOO_LARGE',
    });
    expect(r.rejected.find((x) => x.code === 'DMARC_REPORT_BOMB')).toMatchObject({ filename: 'bomb.example!example.com!1795132800!1795219199.zip', uid: expect.any(Number) });

    const f = await folders('INBOX', 'DMARC/Processed', 'DMARC/Failed');
    expect(f.INBOX!.map((m) => m.subject)).toEqual(['Quarterly numbers', 'Your invoice']);
    expect(f['DMARC/Processed']!.map((m) => m.subject)).toEqual([
      'Report Domain: example.com Submitter: enterprise.protection.outlook.com',
      'Report domain: example.com Submitter: google.com (resent)',
      'Report domain: example.com Submitter: google.com Report-ID: 13826409184726539815',
      'Report Domain: shop.example.net Submitter: yahoo.com',
    ]);
    expect(f['DMARC/Processed']!.every((m) => m.seen)).toBe(true);
    expect(f['DMARC/Failed']!.map((m) => m.subject)).toEqual(['Malicious: 50 MB XML', 'Malicious: billion laughs', 'Malicious: XXE', 'Malicious: zip bomb']);

    expect(events.at(-1)).toMatchObject({ workspaceId: k.ctx.workspaceId, data: { source: 'imap', ingested: 3, duplicates: 1, rejected: 4, skipped: 2, domains: ['example.com', 'shop.example.net'] } });
    const s = await k.call('dmarc.settings.get', {});
    expect(s.lastRun).toEqual(r);
    expect(s.lastRunAt).toBe(new Date(k.clock.now()).toISOString());
  });

  it('stores each report with its policy and its rows per source IP', async () => {
    const list = await k.call('dmarc.reports', {});
    expect(list.items).toHaveLength(3);
    const by = Object.fromEntries(list.items.map((x) => [x.orgName, x]));
    expect(by['google.com']).toMatchObject({ reportId: '13826409184726539815', domain: 'example.com', schema: 'rfc7489', source: 'imap', records: 4, messages: 163, dmarcPass: 155, begin: '2026-11-20T00:00:00.000Z', end: '2026-11-20T23:59:59.000Z' });
    expect(by['Enterprise Outlook']).toMatchObject({ schema: 'rfc9990', records: 2, messages: 212, dmarcPass: 200, policy: { p: 'reject', np: 'reject', testing: 'n', discoveryMethod: 'treewalk', pct: null } });
    expect(by['Yahoo']).toMatchObject({ domain: 'shop.example.net', records: 1, messages: 3, dmarcPass: 3 });

    const google = await k.call('dmarc.reports.get', { id: by['google.com']!.id });
    expect(google.rowsTruncated).toBe(false);
    expect(google.rows.map((x) => [x.sourceIp, x.count, x.dkimAligned, x.spfAligned, x.dmarcPass])).toEqual([
      ['192.0.2.10', 120, true, true, true],
      ['192.0.2.11', 30, true, false, true],
      ['198.51.100.7', 8, false, false, false],
      ['2001:db8::25', 5, false, true, true],
    ]);
    expect(google.rows[0]!.authDkim.map((d) => `${d.domain}/${d.selector}=${d.result}`)).toEqual(['example.com/s1=pass', 'esp.example/k2=pass']);
    expect((await k.call('dmarc.reports', { domain: 'shop.example.net' })).items.map((x) => x.orgName)).toEqual(['Yahoo']);
  });

  it('summarises pass rates per domain, per source IP and per day', async () => {
    const s = await k.call('dmarc.summary', { days: 7 });
    expect(s).toMatchObject({ domain: null, days: 7, from: '2026-11-17T00:00:00.000Z', to: '2026-11-24T00:00:00.000Z' });
    expect(s.totals).toEqual({ messages: 378, dmarcPass: 358, dkimAligned: 353, spfAligned: 325, passPct: 94.7, dkimAlignedPct: 93.4, spfAlignedPct: 86, reports: 3, sources: 6 });
    expect(s.domains).toEqual([
      { domain: 'example.com', messages: 375, dmarcPass: 355, dkimAligned: 350, spfAligned: 325, passPct: 94.7, dkimAlignedPct: 93.3, spfAlignedPct: 86.7, sources: 5 },
      { domain: 'shop.example.net', messages: 3, dmarcPass: 3, dkimAligned: 3, spfAligned: 0, passPct: 100, dkimAlignedPct: 100, spfAlignedPct: 0, sources: 1 },
    ]);
    expect(s.sources.map((x) => [x.sourceIp, x.messages, x.dmarcPass, x.dkimAlignedPct, x.spfAlignedPct, x.domains.join()])).toEqual([
      ['192.0.2.10', 320, 320, 100, 100, 'example.com'],
      ['192.0.2.11', 30, 30, 100, 0, 'example.com'],
      ['203.0.113.99', 12, 0, 0, 0, 'example.com'],
      ['198.51.100.7', 8, 0, 0, 0, 'example.com'],
      ['2001:db8::25', 5, 5, 0, 100, 'example.com'],
      ['198.51.100.20', 3, 3, 100, 0, 'shop.example.net'],
    ]);
    expect(s.daily.map((d) => [d.date, d.messages, d.dmarcPass, d.passPct])).toEqual([
      ['2026-11-17', 0, 0, null],
      ['2026-11-18', 0, 0, null],
      ['2026-11-19', 0, 0, null],
      ['2026-11-20', 163, 155, 95.1],
      ['2026-11-21', 212, 200, 94.3],
      ['2026-11-22', 3, 3, 100],
      ['2026-11-23', 0, 0, null],
    ]);
    const shop = await k.call('dmarc.summary', { domain: 'Example.NET' });
    expect(shop.totals).toMatchObject({ messages: 3, reports: 1 });
    expect(shop.domains.map((d) => d.domain)).toEqual(['shop.example.net']);
    // Out of the window: one day back holds nothing of these reports.
    expect((await k.call('dmarc.summary', { days: 1 })).totals.messages).toBe(0);
  });

  it('a second run does nothing twice; a report mailed again is a duplicate, moved without a second copy', async () => {
    const rows = () => k.core.services.db.sqlite.prepare('SELECT count(*) AS n FROM dmarc_records').get() as { n: number };
    const before = rows().n;
    expect(before).toBe(7);
    const again = await k.call('dmarc.ingest', {});
    expect(again).toMatchObject({ ingested: 0, duplicates: 0, rejected: [], skipped: 0, moved: { processed: 0, failed: 0 } });
    expect(rows().n).toBe(before);

    await deliver([['Report Domain: example.com Submitter: enterprise.protection.outlook.com (copy)', { filename: 'outlook.zip', contentType: 'application/zip', content: zipSync({ 'outlook.xml': fixture('rfc9990-outlook.xml') }) }]]);
    const dup = await k.call('dmarc.ingest', {});
    expect(dup).toMatchObject({ ingested: 0, duplicates: 1, rejected: [], skipped: 0, moved: { processed: 1, failed: 0 } });
    expect(rows().n).toBe(before);
    expect((await k.call('dmarc.reports', {})).items).toHaveLength(3);
    const f = await folders('INBOX', 'DMARC/Processed');
    expect(f.INBOX!.map((m) => m.subject)).toEqual(['Quarterly numbers', 'Your invoice']);
    expect(f['DMARC/Processed']).toHaveLength(5);
  });

  it('reads many new messages in batches, and two runs asked at once do the work once', async () => {
    const xml = fixture('rfc7489-single.xml').toString('utf8').replace('1795305600.441267', 'batch-1');
    const c = imap();
    await c.connect();
    for (let i = 1; i <= 30; i++) {
      const raw = i === 28
        ? ['From: dmarc@other.test', `To: ${reports.address}`, 'Subject: Report in the second batch', 'MIME-Version: 1.0', 'Content-Type: application/gzip; name="yahoo.xml.gz"', 'Content-Transfer-Encoding: base64', '', Buffer.from(gzipSync(strToU8(xml))).toString('base64'), ''].join('\r\n')
        : ['From: news@other.test', `To: ${reports.address}`, `Subject: Newsletter ${i}`, '', `Issue ${i}`, ''].join('\r\n');
      await c.append('INBOX', raw);
    }
    await c.logout();
    const [a, b] = await Promise.all([k.call('dmarc.ingest', {}), k.call('dmarc.ingest', {})]);
    expect(a.ingested + b.ingested).toBe(1);
    expect(a.duplicates + b.duplicates).toBe(0);
    expect(a.skipped + b.skipped).toBe(29);
    const f = await folders('INBOX', 'DMARC/Processed');
    expect(f.INBOX).toHaveLength(2 + 29);
    expect(f['DMARC/Processed']!.map((m) => m.subject)).toContain('Report in the second batch');
    expect((await k.call('dmarc.reports', {})).items.map((x) => x.reportId)).toContain('batch-1');
  });

  it('reads on its schedule once the interval has passed on the clock', async () => {
    const xml = fixture('rfc7489-google.xml').toString('utf8').replace('13826409184726539815', 'scheduled-1').replace('1795132800', '1795305600').replace('1795219199', '1795391999');
    await deliver([['Report domain: example.com Submitter: google.com Report-ID: scheduled-1', { filename: 'google.com!example.com!1795305600!1795391999.zip', contentType: 'application/zip', content: zipSync({ 'r.xml': strToU8(xml) }) }]]);
    // Not due yet: the run above set the next one an hour ahead.
    await k.core.services.dmarc.runDue();
    expect((await k.call('dmarc.reports', {})).items.map((x) => x.reportId)).not.toContain('scheduled-1');
    k.clock.advance(61 * 60_000);
    await k.core.services.dmarc.runDue();
    const list = await k.call('dmarc.reports', {});
    expect(list.items.map((x) => x.reportId)).toContain('scheduled-1');
    const s = await k.call('dmarc.settings.get', {});
    expect(s.lastRunAt).toBe(new Date(k.clock.now()).toISOString());
    expect(s.nextRunAt).toBe(new Date(k.clock.now() + 3_600_000).toISOString());
    expect(s.lastRun).toMatchObject({ ingested: 1, error: null });
  });

  it('a mailbox that refuses the login gives a coded error and records it as the last run', async () => {
    const wrong = uniqueUser('dmarc-wrong');
    await addMailHubUser(hub, wrong.address, wrong.password);
    const bad = await k.call('mailboxes.create', { email: wrong.address, provider: 'custom', ...hubAccount(hub, { address: wrong.address, password: 'not-the-password' }) });
    await k.call('dmarc.settings.update', { mailboxId: bad.id });
    const code = await codeOf(k.call('dmarc.ingest', {}));
    expect(code).toBe('UPSTREAM_FAILED');
    const s = await k.call('dmarc.settings.get', {});
    expect(s.lastRun?.error).toMatchObject({ code: 'UPSTREAM_FAILED' });
    expect(JSON.stringify(s)).not.toContain('not-the-password');
    await k.call('dmarc.settings.update', { mailboxId });
  });
});
