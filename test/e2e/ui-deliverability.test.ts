// The deliverability screens in real Chromium against `kiln serve`, with Kiln's resolver pointed at
// an authoritative test DNS server on 127.0.0.1 (SPF with an include, DKIM, DMARC, MX, PTR, a
// Spamhaus DBL listing of the domain) and two mailboxes on the private mail hub. Drives: Check now
// (SPF pass, the bulk-sender rules), a domain's report with its SPF include tree (and a domain over
// the 10-lookup limit, the crossing term marked), Scan now (the DBL listing), blocklist settings with
// a write-only DQS key, DMARC reports read from a mailbox and uploaded, a placement test run from the
// UI and followed live to the inbox, CSV export, the weekly schedule, alerts raised and resolved
// live, a DKIM key's TXT record, a webhook whose secret shows once and whose test ping reaches a
// receiver on 127.0.0.1, and the mailbox's health score with its parts. Both themes are pictured.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { zipSync, strToU8 } from 'fflate';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Locator } from 'playwright-core';
import { apiClient, createToken, startKiln, type KilnProcess } from '../helpers/kiln';
import { addMailHubUser } from '../helpers/mailhub';
import { hubAccount, uniqueUser } from '../helpers/imap';
import { startDnsServer, type TestDnsServer, type ZoneRecord } from '../helpers/dns-server';
import { launchBrowser, signIn, watchedPage, type WatchedPage } from '../helpers/browser';

const hub = inject('mailhub');
const sender = uniqueUser('ui-dl-sender');
const seed = uniqueUser('ui-dl-seed');
const reports = uniqueUser('ui-dl-rua');
const DOMAIN = 'warm.test';
const IP = '192.0.2.10';
const a = (value: string): ZoneRecord[] => [{ type: 'A', value }];
const SPF: ZoneRecord = { type: 'TXT', value: `v=spf1 ip4:127.0.0.1 include:_spf.${DOMAIN} -all` };
const MX: ZoneRecord = { type: 'MX', value: { exchange: `mx.${DOMAIN}`, priority: 10 } };

let dns: TestDnsServer;
let kiln: KilnProcess;
let context: BrowserContext;
let w: WatchedPage;
let api: ReturnType<typeof apiClient>;
let senderId: string;
let receiver: http.Server;
let receiverUrl: string;
const pings: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];

/** A DMARC aggregate report (RFC 7489) about DOMAIN that began an hour ago: `pass` messages from IP pass, `fail` from another IP fail. */
function dmarcXml(id: string, pass: number, fail: number): string {
  const begin = Math.floor(Date.now() / 1000) - 3600;
  const row = (ip: string, count: number, ok: boolean) => `
  <record>
    <row><source_ip>${ip}</source_ip><count>${count}</count>
      <policy_evaluated><disposition>${ok ? 'none' : 'reject'}</disposition><dkim>${ok ? 'pass' : 'fail'}</dkim><spf>${ok ? 'pass' : 'fail'}</spf></policy_evaluated></row>
    <identifiers><header_from>${DOMAIN}</header_from></identifiers>
    <auth_results><spf><domain>${DOMAIN}</domain><result>${ok ? 'pass' : 'fail'}</result></spf></auth_results>
  </record>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<feedback>
  <report_metadata><org_name>receiver.example</org_name><email>dmarc@receiver.example</email><report_id>${id}</report_id>
    <date_range><begin>${begin}</begin><end>${begin + 3599}</end></date_range></report_metadata>
  <policy_published><domain>${DOMAIN}</domain><adkim>r</adkim><aspf>r</aspf><p>reject</p><pct>100</pct></policy_published>${row(IP, pass, true)}${row('203.0.113.9', fail, false)}
</feedback>`;
}

beforeAll(async () => {
  for (const u of [sender, seed, reports]) await addMailHubUser(hub, u.address, u.password);
  const dkim = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  // Eleven includes: one more DNS lookup than SPF allows.
  const tooMany = Array.from({ length: 11 }, (_, i) => `include:i${i + 1}.toomany.test`).join(' ');
  dns = await startDnsServer({
    [DOMAIN]: [SPF, MX],
    [`_spf.${DOMAIN}`]: [{ type: 'TXT', value: 'v=spf1 ip4:192.0.2.0/24 -all' }],
    [`mx.${DOMAIN}`]: a('192.0.2.25'),
    [`k1._domainkey.${DOMAIN}`]: [{ type: 'TXT', value: `v=DKIM1; k=rsa; p=${dkim}` }],
    [`_dmarc.${DOMAIN}`]: [{ type: 'TXT', value: `v=DMARC1; p=reject; rua=mailto:${reports.address}` }],
    '10.2.0.192.in-addr.arpa': [{ type: 'PTR', value: `out.${DOMAIN}` }],
    [`out.${DOMAIN}`]: a(IP),
    // Spamhaus DBL lists the domain; every domain list confirms its test entry.
    [`${DOMAIN}.dbl.spamhaus.org`]: a('127.0.1.2'),
    'dbltest.com.dbl.spamhaus.org': a('127.0.1.2'),
    'test.surbl.org.multi.surbl.org': a('127.0.0.254'),
    'test.uribl.com.multi.uribl.com': a('127.0.0.14'),
    'toomany.test': [{ type: 'TXT', value: `v=spf1 ${tooMany} -all` }],
    ...Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`i${i + 1}.toomany.test`, [{ type: 'TXT', value: `v=spf1 ip4:198.51.100.${i + 1} -all` }]])),
  });
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      pings.push({ headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/kiln-hook`;

  kiln = await startKiln({ env: { KILN_CA_FILE: hub.caCertPath, KILN_DNS_SERVERS: dns.server, KILN_WEBHOOK_ALLOW_PRIVATE: '1' } });
  const token = await createToken(kiln.dataDir, 'admin');
  api = apiClient(kiln.url, token);
  // Test mail goes out at once (the default spacing is for warmup).
  expect((await api.patch('/api/v1/warmup/settings', { limits: { mailboxPerMinute: 60, mailboxPerHour: 1000, domainPerMinute: 1000, minGapMinutes: 0 } })).status).toBe(200);
  const created = await api.post('/api/v1/mailboxes', { email: sender.address, ...hubAccount(hub, sender) });
  expect(created.status).toBe(201);
  senderId = created.body.data.id;
  for (const u of [seed, reports]) expect((await api.post('/api/v1/mailboxes', { email: u.address, ...hubAccount(hub, u) })).status).toBe(201);
  context = await launchBrowser();
  w = await watchedPage(context);
  await signIn(w, kiln.url, token);
}, 60_000);
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await w?.screenshot(`failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  await w?.page.evaluate(() => document.querySelectorAll('dialog[open]').forEach((d) => (d as HTMLDialogElement).close()));
});
afterAll(async () => {
  await context?.close();
  await kiln?.stop();
  await dns?.close();
  await new Promise((r) => receiver?.close(r));
});

function expectClean(): void {
  expect(w.errors).toEqual([]);
  expect(w.failedRequests).toEqual([]);
}
const text = async (l: Locator) => (await l.textContent()) ?? '';
/** expect.poll with room for a loaded machine (its default gives up after 1 s): the server-side work behind a click (DNS, IMAP, SMTP) takes what it takes. */
const eventually = <T>(fn: () => Promise<T> | T, opts: { timeout?: number } = {}) => expect.poll(fn, { interval: 100, timeout: 15_000, ...opts });

describe('web UI: deliverability', { timeout: 90_000 }, () => {
  it('Domains: Check now shows SPF pass and the bulk-sender rules', async () => {
    const p = w.page;
    await p.getByRole('link', { name: 'Deliverability' }).click();
    await p.getByRole('heading', { level: 1, name: 'Deliverability' }).waitFor();
    expect(new URL(p.url()).hash).toBe('#/deliverability?tab=domains');
    const card = p.locator(`section.domain-card[data-domain="${DOMAIN}"]`);
    await card.getByRole('button', { name: `Check now: ${DOMAIN}` }).click();
    await eventually(() => card.locator('li[data-check="spf"]').getAttribute('data-status')).toBe('pass');
    expect(await card.locator('li[data-check="dmarc"]').getAttribute('data-status')).toBe('pass');
    const rules = card.getByTestId('compliance').locator('tbody tr');
    await eventually(() => rules.count()).toBe(8);
    expect(await rules.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-rule')))).toEqual(['spf', 'dkim', 'dmarc', 'ptr', 'tls', 'oneClickUnsubscribe', 'spamRate', 'gmailVolume']);
    expect(await card.locator('tr[data-rule="spf"]').getAttribute('data-status')).toBe('ok');
    await w.screenshot('deliverability-domains');
    expectClean();
  });

  it("a domain's report: every check, the SPF include tree with lookup counts, and a tree over the limit marked", async () => {
    const p = w.page;
    await p.getByRole('link', { name: DOMAIN, exact: true }).click();
    await p.getByTestId('domain-report').waitFor();
    expect(new URL(p.url()).hash).toBe(`#/deliverability?tab=domains&domain=${DOMAIN}`);
    // What DNS alone cannot tell: the sending IP (for PTR) and a DKIM selector.
    await p.getByLabel('Sending IP (optional)').fill(IP);
    await p.getByLabel('DKIM selectors (optional)').fill('k1');
    await p.getByRole('button', { name: 'Check now', exact: true }).click();
    const card = (name: string) => p.locator(`section.check-card[data-check="${name}"]`);
    await eventually(() => card('ptr').getAttribute('data-status')).toBe('pass');
    for (const name of ['spf', 'dkim', 'dmarc', 'mx']) expect(await card(name).getAttribute('data-status')).toBe('pass');
    expect(await text(card('spf').locator('.check-summary'))).toContain(`${IP}: pass`);
    const tree = p.getByTestId('spf-tree');
    expect(await text(tree)).toContain('1 of 10 DNS lookups');
    expect(await text(tree.locator(`li[data-term="include:_spf.${DOMAIN}"]`))).toContain('lookup 1 of 10');
    expect(await tree.locator(`li.spf-node[data-domain="_spf.${DOMAIN}"]`).count()).toBe(1);
    expect(await text(card('dkim').locator('tr[data-selector="k1"]'))).toContain('RSA 2048-bit');
    await w.screenshot('deliverability-domain-report');

    // Any other domain: eleven includes, the eleventh marked as over the limit and not followed.
    await p.getByRole('link', { name: '← All domains' }).click();
    await p.getByRole('textbox', { name: 'Check another domain' }).fill('TooMany.test');
    await p.getByRole('button', { name: 'Check', exact: true }).click();
    await eventually(() => card('spf').getAttribute('data-status')).toBe('error');
    expect(new URL(p.url()).hash).toBe('#/deliverability?tab=domains&domain=toomany.test');
    expect(await p.getByLabel('Sending IP (optional)').inputValue()).toBe(''); // not warm.test's
    const over = p.getByTestId('spf-tree').locator('li[data-over-limit]');
    expect(await over.count()).toBe(1);
    expect(await over.getAttribute('data-term')).toBe('include:i11.toomany.test');
    expect(await text(over)).toContain('lookup 11 of 10');
    expect(await text(over)).toContain('over the limit');
    expect(await p.getByTestId('spf-tree').locator('li.spf-node[data-domain="i11.toomany.test"]').count()).toBe(0);
    expect(await p.getByTestId('spf-tree').locator('li.spf-term.not-evaluated[data-term="-all"]').count()).toBe(1);
    expect(await text(card('spf').locator('li[data-code="spf.too_many_lookups"]'))).toContain('more than 10 DNS lookups');
    await w.screenshot('deliverability-spf-over-limit');

    // A domain that does not exist: said once per check, never "publishes no SPF record", with the record to publish.
    await p.getByRole('link', { name: '← All domains' }).click();
    await p.getByRole('textbox', { name: 'Check another domain' }).fill('gone.test');
    await p.getByRole('button', { name: 'Check', exact: true }).click();
    await eventually(() => card('spf').getAttribute('data-verdict')).toBe('bad');
    expect(await text(card('spf').getByTestId('verdict-spf'))).toBe('No such domain');
    expect(await card('spf').locator('li[data-code="domain.nxdomain"]').count()).toBe(1);
    expect(await text(card('spf'))).not.toContain('publishes no SPF record');
    const problem = await text(card('spf').locator('li[data-code="domain.nxdomain"]'));
    expect(problem).toContain('gone.test does not exist in DNS (NXDOMAIN), so it can have no SPF record');
    // Each problem once on the card: the summary is no copy of it.
    for (const name of ['spf', 'dkim', 'dmarc', 'mx']) expect((await text(card(name))).split('does not exist in DNS').length - 1, name).toBe(1);
    expect(await p.getByRole('textbox', { name: 'Value of the DMARC TXT record to publish' }).inputValue()).toMatch(/^v=DMARC1; p=none/);
    expect(await p.getByRole('textbox', { name: 'Name of the SPF TXT record to publish' }).inputValue()).toBe('gone.test');
    await w.screenshot('deliverability-domain-nxdomain');
    expectClean();
  });

  it('Blocklists: the keyboard moves between tabs; Scan now shows the DBL listing; settings keep the DQS key write-only', async () => {
    const p = w.page;
    await p.getByRole('tab', { name: 'Domains' }).focus();
    await p.keyboard.press('ArrowRight');
    await eventually(() => new URL(p.url()).hash).toBe('#/deliverability?tab=blocklists');
    // The address changes at once; the screen follows on the hashchange event.
    await eventually(() => p.getByRole('tab', { name: 'Blocklists' }).getAttribute('aria-selected')).toBe('true');
    expect(await p.evaluate(() => document.activeElement?.textContent)).toBe('Blocklists');

    await p.getByRole('button', { name: 'Scan now' }).click();
    const dbl = p.locator(`section[data-target="${DOMAIN}"] tr[data-zone="dbl.spamhaus.org"]`);
    await eventually(() => dbl.getAttribute('data-status')).toBe('listed');
    expect(await text(dbl)).toMatch(/Listed127\.0\.1\.2: .*spam/i);
    expect(await text(p.getByTestId('last-scan'))).toMatch(/1 listed/);
    expect(await p.locator(`section[data-target="${DOMAIN}"] tr[data-status="clear"]`).count()).toBe(2);
    expect(await p.locator(`section[data-target="${DOMAIN}"] [data-testid="target-verdict"]`).getAttribute('data-verdict')).toBe('bad');
    await w.screenshot('deliverability-blocklists');

    // A target no list answers about is unknown (grey "No verdict"), never a green "Not listed".
    for (const zone of ['dbl.spamhaus.org', 'multi.surbl.org', 'multi.uribl.com']) dns.silentUnder.add(`quiet.example.${zone}`);
    expect((await api.patch('/api/v1/blocklists/settings', { extraTargets: ['quiet.example'] })).status).toBe(200);
    await p.getByRole('button', { name: 'Scan now' }).click();
    const quiet = p.locator('section[data-target="quiet.example"]');
    await eventually(() => quiet.getByTestId('target-verdict').getAttribute('data-verdict'), { timeout: 30_000 }).toBe('unknown');
    expect(await text(quiet.getByTestId('target-verdict'))).toBe('No verdict');
    expect(await text(quiet)).not.toContain('Not listed');
    expect(await quiet.locator('tr[data-status="error"]').count()).toBe(3);
    await w.screenshot('deliverability-blocklists-no-answer');
    expect((await api.patch('/api/v1/blocklists/settings', { extraTargets: [] })).status).toBe(200);

    const form = p.getByRole('form', { name: 'Blocklist settings' });
    await form.getByLabel('Spamhaus DQS key').fill('kilnuitestdqskey0123456789');
    await form.getByRole('checkbox', { name: /Barracuda/ }).uncheck();
    await form.getByRole('button', { name: 'Save blocklist settings' }).click();
    await eventually(() => text(form.getByTestId('dqs-key-state'))).toContain('A key is stored');
    expect(await form.getByLabel('Spamhaus DQS key').inputValue()).toBe('');
    const stored = (await api.get('/api/v1/blocklists/settings')).body.data;
    expect(stored.dqsKeySet).toBe(true);
    expect(stored.zones.find((z: { name: string }) => z.name === 'b.barracudacentral.org').enabled).toBe(false);
    expect(await p.content()).not.toContain('kilnuitestdqskey0123456789');
    await form.getByRole('button', { name: 'Remove key' }).click();
    await eventually(() => text(form.getByTestId('dqs-key-state'))).toContain('free DQS key');
    expect((await api.get('/api/v1/blocklists/settings')).body.data.dqsKeySet).toBe(false);
    expectClean();
  });

  it('DMARC: a report mailbox read now and an uploaded file give pass rates per domain and per source IP', async () => {
    const p = w.page;
    // A receiver's daily report arrives in the reports mailbox, zipped as Google sends them.
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: hub.ports.smtp, secure: false, ignoreTLS: true });
    await transport.sendMail({
      from: 'dmarc@receiver.example',
      to: reports.address,
      subject: `Report domain: ${DOMAIN} Submitter: receiver.example Report-ID: r-imap`,
      text: 'DMARC aggregate report',
      attachments: [{ filename: `receiver.example!${DOMAIN}!1!2.zip`, content: Buffer.from(zipSync({ 'report.xml': strToU8(dmarcXml('r-imap', 40, 10)) })), contentType: 'application/zip' }],
    });
    transport.close();

    await p.getByRole('tab', { name: 'DMARC' }).click();
    await p.getByRole('heading', { name: 'No DMARC reports in this period' }).waitFor();
    await p.getByLabel('Reports mailbox (the rua= address)').selectOption({ label: reports.address });
    await p.getByRole('button', { name: 'Save DMARC settings' }).click();
    await p.getByRole('form', { name: 'DMARC reports mailbox' }).getByRole('status').waitFor();
    // The hub delivers within a moment; read until the report is there.
    await eventually(async () => {
        await p.getByRole('button', { name: 'Read reports now' }).click();
        await p.getByRole('button', { name: 'Read reports now' }).waitFor();
        return (await api.get('/api/v1/dmarc/reports')).body.data.items.length;
      })
      .toBe(1);
    await eventually(() => text(p.getByTestId('dmarc-pass').locator('.value'))).toBe('80 %');
    expect(await text(p.getByTestId('dmarc-messages').locator('.value'))).toBe('50');
    expect(await text(p.getByTestId('dmarc-domains').locator(`tr[data-domain="${DOMAIN}"]`))).toContain('80 %');
    expect(await text(p.getByTestId('dmarc-sources').locator(`tr[data-ip="${IP}"]`))).toContain('100 %');
    expect(await text(p.getByTestId('dmarc-sources').locator('tr[data-ip="203.0.113.9"]'))).toContain('0 %');

    await p.getByLabel('Or upload a report file (zip, gzip or XML)').setInputFiles({ name: 'second.xml', mimeType: 'text/xml', buffer: Buffer.from(dmarcXml('r-upload', 50, 0)) });
    await eventually(() => text(p.getByTestId('upload-result'))).toContain('Stored: receiver.example');
    await eventually(() => text(p.getByTestId('dmarc-pass').locator('.value'))).toBe('90 %');
    expect(await p.getByTestId('dmarc-reports').locator('tbody tr').count()).toBe(2);
    await w.screenshot('deliverability-dmarc');
    expectClean();
  });

  it('Placement tests: says what to do without seeds, runs a test from the UI, follows it live to the inbox, exports CSV; weekly schedule', async () => {
    const p = w.page;
    await p.getByRole('tab', { name: 'Placement tests' }).click();
    await p.getByText('Add seed addresses under Recipients to run a placement test').waitFor();
    // A seed added elsewhere: the form appears without a reload (recipients.changed).
    expect((await api.post('/api/v1/recipients', { kind: 'seed', address: seed.address })).status).toBe(201);
    await p.getByLabel('Send from').selectOption({ label: sender.address });
    await p.getByLabel('Wait for the seeds (minutes)').fill('5');
    await p.getByRole('button', { name: 'Run test' }).click();
    const report = p.getByTestId('placement-report');
    await report.waitFor();
    expect(new URL(p.url()).hash).toMatch(/^#\/deliverability\?tab=placement&test=/);
    const row = report.locator(`tr[data-seed="${seed.address}"]`);
    await eventually(() => row.getAttribute('data-placement'), { timeout: 30_000 }).toBe('inbox');
    await eventually(() => row.locator('td[data-auth="spf"]').getAttribute('data-result'), { timeout: 15_000 }).toBe('pass');
    expect(await text(row)).toContain('INBOX');
    expect(await text(report.getByTestId('placement-inbox-rate'))).toBe('100%');
    expect(await text(report.getByTestId('placement-totals').locator('tr[data-provider="all"]'))).toBe('All seeds110000');
    await w.screenshot('deliverability-placement-report');

    const [download] = await Promise.all([p.waitForEvent('download'), report.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain(seed.address);
    expect(csv).toContain('inbox');

    await p.getByRole('link', { name: '← All placement tests' }).click();
    await eventually(() => p.getByTestId('placement-tests').locator('tbody tr').count()).toBe(1);
    const schedule = p.getByRole('form', { name: 'Weekly placement test' });
    await schedule.getByRole('switch', { name: 'Run a placement test every week' }).check();
    await schedule.getByLabel('From', { exact: true }).selectOption({ label: sender.address });
    await schedule.getByLabel('On', { exact: true }).selectOption({ label: 'Saturday' });
    await schedule.getByLabel('At', { exact: true }).selectOption({ label: '09:00' });
    await schedule.getByRole('combobox', { name: 'Time zone' }).fill('Europe/Paris');
    await schedule.getByRole('button', { name: 'Save schedule' }).click();
    await schedule.getByRole('status').waitFor();
    expect((await api.get('/api/v1/placement-tests/schedule')).body.data).toMatchObject({ enabled: true, mailboxId: senderId, weekday: 6, hour: 9, timeZone: 'Europe/Paris' });
    await w.screenshot('deliverability-placement');
    expectClean();
  });

  it('Alerts: a failing SPF record raises one live, it is marked as seen, and it resolves when fixed', async () => {
    const p = w.page;
    await p.getByRole('tab', { name: 'Alerts' }).click();
    // The DMARC reports above (10 % failing) raised one already.
    await eventually(() => p.getByTestId('alert-list').locator('li[data-kind="dmarc.failing"]').getAttribute('data-state')).toBe('open');
    expect(await p.getByTestId('alert-list').locator('li[data-kind="auth.failing"]').count()).toBe(0);
    dns.set(DOMAIN, [MX]); // the SPF record is gone
    expect((await api.post(`/api/v1/checks/domains/${DOMAIN}`, { ip: IP, selectors: ['k1'] })).status).toBe(200);
    const item = p.getByTestId('alert-list').locator('li[data-kind="auth.failing"]');
    await eventually(() => item.textContent()).toContain(`SPF fails for ${DOMAIN}`);
    expect(await item.getAttribute('data-state')).toBe('open');
    await item.getByRole('button', { name: `Mark "SPF fails for ${DOMAIN}" as seen` }).click();
    await eventually(() => item.textContent()).toContain('seen');
    await w.screenshot('deliverability-alerts');

    dns.set(DOMAIN, [SPF, MX]);
    expect((await api.post(`/api/v1/checks/domains/${DOMAIN}`, { ip: IP, selectors: ['k1'] })).status).toBe(200);
    await eventually(() => item.count()).toBe(0);
    await p.getByRole('button', { name: 'Resolved' }).click();
    await eventually(() => p.getByTestId('alert-list').locator('li[data-kind="auth.failing"][data-state="resolved"]').count()).toBe(1);
    expect(await p.getByTestId('alert-list').locator('li[data-state="open"]').count()).toBe(0);
    expectClean();
  });

  it('Settings: a DKIM key shows the TXT record to publish, and goes after confirming', async () => {
    const p = w.page;
    await p.getByRole('link', { name: 'Settings' }).click();
    await p.getByRole('heading', { name: 'No DKIM keys yet' }).waitFor();
    await p.getByLabel('Domain', { exact: true }).fill(DOMAIN);
    await p.getByLabel('Selector', { exact: true }).fill('ui');
    await p.getByRole('button', { name: 'Add DKIM key' }).click();
    const key = p.locator(`li.dkim-key[data-selector="ui"]`);
    await key.waitFor();
    const [stored] = (await api.get('/api/v1/dkim/keys')).body.data;
    expect(await key.getByRole('textbox', { name: 'Name of the TXT record for ui' }).inputValue()).toBe(`ui._domainkey.${DOMAIN}`);
    const value = await key.getByTestId('dkim-txt').inputValue();
    expect(value).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/=]{300,}$/);
    expect(value).toBe(stored.dnsValue);
    // Pending until its record is seen: Check DNS says what it found, then activates it once published.
    expect(await key.getAttribute('data-status')).toBe('pending');
    expect(await text(key.getByTestId('dkim-status'))).toBe('Pending: not signing yet');
    const checkDns = key.getByRole('button', { name: `Check DNS for the DKIM key ui of ${DOMAIN}` });
    await checkDns.click();
    await eventually(() => key.getByTestId('dkim-verdict').getAttribute('data-verdict')).toBe('warning');
    expect(await text(key.getByTestId('dkim-verdict'))).toContain('Not published');
    dns.set(`ui._domainkey.${DOMAIN}`, [{ type: 'TXT', value }]);
    await checkDns.click();
    await eventually(() => key.getAttribute('data-status')).toBe('active');
    expect(await key.getByTestId('dkim-verdict').getAttribute('data-verdict')).toBe('good');
    expect(await text(key.getByTestId('dkim-status'))).toBe('Active: signing');
    await key.getByRole('button', { name: 'Copy Value of the TXT record for ui' }).click();
    await eventually(() => text(key.getByRole('status').last())).toMatch(/Copied|selected/);
    await w.screenshot('settings-dkim');
    await key.getByRole('button', { name: `Delete the DKIM key ui of ${DOMAIN}` }).click();
    await p.getByRole('dialog', { name: 'Delete DKIM key' }).getByRole('button', { name: 'Delete key' }).click();
    await p.getByRole('heading', { name: 'No DKIM keys yet' }).waitFor();
    expect((await api.get('/api/v1/dkim/keys')).body.data).toEqual([]);
    expectClean();
  });

  it('Settings: a webhook shows its signing secret once; its test ping reaches the receiver signed; it can be turned off', async () => {
    const p = w.page;
    await p.getByLabel('Receiver URL').fill(receiverUrl);
    await p.getByLabel('Description (optional)').fill('UI test receiver');
    await p.getByRole('button', { name: 'Add webhook' }).click();
    const dialog = p.getByRole('dialog', { name: 'Webhook signing secret' });
    expect(await text(dialog)).toContain('will not be shown again');
    const secret = await dialog.getByTestId('webhook-secret').inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    await dialog.getByRole('button', { name: 'Done' }).click();
    expect(await p.content()).not.toContain(secret);
    expect(JSON.stringify((await api.get('/api/v1/webhooks')).body)).not.toContain(secret);

    const hook = p.locator(`li.webhook[data-url="${receiverUrl}"]`);
    await hook.getByRole('button', { name: 'Send a test to UI test receiver' }).click();
    await eventually(() => text(hook.getByTestId('webhook-test-result'))).toMatch(/^Test ping delivered: HTTP 200/);
    const ping = pings.find((x) => JSON.parse(x.body).type === 'webhook.test');
    expect(ping).toBeDefined();
    // Standard Webhooks: v1,<base64 HMAC-SHA256 of "id.timestamp.body"> with the secret shown once.
    const expected = crypto
      .createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
      .update(`${ping!.headers['webhook-id']}.${ping!.headers['webhook-timestamp']}.${ping!.body}`)
      .digest('base64');
    expect(String(ping!.headers['webhook-signature']).split(' ')).toContain(`v1,${expected}`);

    await hook.getByRole('button', { name: 'Deliveries of UI test receiver' }).click();
    const delivery = hook.getByTestId('webhook-deliveries').locator('tr[data-type="webhook.test"]');
    await eventually(() => delivery.getAttribute('data-status')).toBe('delivered');
    // The switch follows the stored state: it turns off once the core has turned the webhook off.
    await hook.getByRole('switch', { name: 'Webhook UI test receiver on' }).click();
    await eventually(() => hook.getAttribute('data-enabled')).toBe('false');
    expect((await api.get('/api/v1/webhooks')).body.data[0].enabled).toBe(false);
    await w.screenshot('settings-webhooks');
    expectClean();
  });

  it("the mailbox's Health tab shows the score, its parts and the domain's checks", async () => {
    const p = w.page;
    await p.goto(`${kiln.url}/#/mailboxes/${senderId}`);
    const score = p.getByTestId('health-score');
    await eventually(() => score.getByTestId('score-value').getAttribute('data-score')).toMatch(/^\d+$/);
    const part = (name: string) => score.locator(`li[data-part="${name}"]`);
    expect(await text(part('authentication'))).toContain('SPF pass, DKIM pass, DMARC pass, PTR pass');
    expect(await part('authentication').getAttribute('data-score')).toBe('100');
    expect(await text(part('blocklists'))).toContain('1 listing');
    expect(await text(part('placementTest'))).toContain('100 % inbox');
    expect(await text(part('placement'))).toContain('left out until it has data');
    expect(await score.getByTestId('score-chart').count()).toBe(1);
    const checks = p.getByTestId('domain-checks');
    expect(await checks.locator('li[data-check="spf"]').getAttribute('data-status')).toBe('pass');
    await w.screenshot('mailbox-health');
    await checks.getByRole('link', { name: 'Full report on the Deliverability screen' }).click();
    await p.getByTestId('domain-report').waitFor();
    expect(new URL(p.url()).hash).toBe(`#/deliverability?tab=domains&domain=${DOMAIN}`);
    expectClean();
  });

  it('reads in the dark theme too', async () => {
    const dark = await launchBrowser({ colorScheme: 'dark' });
    try {
      const d = await watchedPage(dark);
      await signIn(d, kiln.url, (await createToken(kiln.dataDir, 'admin')).trim());
      await d.page.goto(`${kiln.url}/#/deliverability?tab=domains&domain=${DOMAIN}`);
      await d.page.getByTestId('spf-tree').waitFor();
      const bg = await d.page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      await d.screenshot('deliverability-domain-report-dark');
      await d.page.goto(`${kiln.url}/#/mailboxes/${senderId}`);
      await d.page.getByTestId('score-value').waitFor();
      await d.screenshot('mailbox-health-dark');
      expect(bg).toBe('rgb(22, 24, 29)'); // --bg of the dark theme
      expect(d.errors).toEqual([]);
      expect(d.failedRequests).toEqual([]);
    } finally {
      await dark.close();
    }
  });
});
