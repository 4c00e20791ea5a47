// The Messages screen in real Chromium against `kiln serve` and a scripted SMTP server on
// 127.0.0.1: filters kept in the URL, a 550 refusal read in the detail panel, a 451-failed message
// retried from the UI and seen delivered (the row updates live), bulk retry and discard with confirmation,
// the sandboxed HTML preview, and the CSV export.
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { parse } from 'csv-parse/sync';
import { apiClient, createToken, startKiln, type KilnProcess } from '../helpers/kiln';
import { launchBrowser, signIn, watchedPage, type WatchedPage } from '../helpers/browser';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server';
import { startFaultServer, type FaultServer } from '../helpers/fault-smtp';
import { waitFor } from '../helpers/wait';

let kiln: KilnProcess;
let dns: TestDnsServer;
let smtp: FaultServer;
let context: BrowserContext;
let w: WatchedPage;
let api: ReturnType<typeof apiClient>;
const broken = { on: true };
const ids: Record<string, string> = {};

beforeAll(async () => {
  smtp = await startFaultServer({
    script: {
      rcptTo: (a) => (a.startsWith('gone@') ? { reply: 550, message: '5.1.1 No such user here' } : undefined),
      data: (raw) => (broken.on && raw.includes('Subject: Greylisted') ? { reply: 451, message: '4.7.1 Greylisted, come back later' } : undefined),
    },
  });
  dns = await startDnsServer({ 'faults.test': [{ type: 'TXT', value: 'v=spf1 ip4:127.0.0.1 -all' }] });
  // One retry after 0.6 s, then a transient failure is final: a 451 fails within a second.
  kiln = await startKiln({ args: ['--no-feedback'], env: { KILN_DNS_SERVERS: dns.server, KILN_RETRY_BACKOFF: '0.01' } });
  const token = await createToken(kiln.dataDir, 'admin');
  api = apiClient(kiln.url, token);
  const mb = await api.post('/api/v1/mailboxes', { email: 'sender@faults.test', provider: 'custom', smtp: { host: '127.0.0.1', port: smtp.port, security: 'none', user: 'x', password: 'pw' } });
  expect(mb.status).toBe(201);
  const send = async (name: string, to: string, subject: string, extra: object = {}) => {
    const r = await api.post('/api/v1/messages', { mailboxId: mb.body.data.id, to: [to], subject, text: `text of ${subject}`, ...extra });
    ids[name] = r.body.data.id;
  };
  await send('ok', 'ok@dest.test', 'Hello there', { html: '<p>Hi <b id="bold">there</b></p><script>document.title="ran"</script>' });
  await send('gone', 'gone@dest.test', 'Into the void');
  for (const n of [1, 2, 3]) await send(`grey${n}`, `grey${n}@dest.test`, `Greylisted ${n}`);
  const status = async (id: string) => (await api.get(`/api/v1/messages/${id}`)).body.data.status as string;
  await waitFor(async () => ((await status(ids.ok!)) === 'sent' ? true : undefined), { what: 'the good message sent' });
  for (const n of ['gone', 'grey1', 'grey2', 'grey3']) await waitFor(async () => ((await status(ids[n]!)) === 'failed' ? true : undefined), { what: `${n} failed` });
  context = await launchBrowser({ viewport: { width: 1400, height: 900 } });
  w = await watchedPage(context);
  await signIn(w, kiln.url, token);
}, 90_000);
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await w?.screenshot(`failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  await w?.page.evaluate(() => document.querySelectorAll('dialog[open]').forEach((d) => (d as HTMLDialogElement).close()));
});
afterAll(async () => {
  await context?.close();
  await kiln?.stop();
  await smtp?.close();
  await dns?.close();
});

const rowIds = () => w.page.getByTestId('messages-table').locator('tbody tr[data-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-message')));
const hashQuery = async () => new URLSearchParams((await w.page.evaluate(() => location.hash)).split('?')[1] ?? '');

describe('web UI: messages', { timeout: 90_000 }, () => {
  it('filters the list on the server, keeps the filters in the URL and exports them as CSV', async () => {
    const p = w.page;
    await p.getByRole('link', { name: 'Messages' }).click();
    await expect.poll(rowIds).toEqual([ids.grey3, ids.grey2, ids.grey1, ids.gone, ids.ok]);
    await p.getByLabel('Status').selectOption('failed');
    await expect.poll(rowIds).toEqual([ids.grey3, ids.grey2, ids.grey1, ids.gone]);
    expect(await p.evaluate(() => location.hash)).toBe('#/messages?status=failed');
    await p.getByLabel('Search').fill('gone@dest.test');
    await p.getByLabel('Search').press('Enter');
    await expect.poll(rowIds).toEqual([ids.gone]);
    await p.getByLabel('Search').fill('greylisted');
    await p.getByLabel('Search').press('Enter');
    await expect.poll(rowIds).toEqual([ids.grey3, ids.grey2, ids.grey1]);

    const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: 'Export CSV' }).click()]);
    const rows = parse(fs.readFileSync((await download.path())!, 'utf8')) as string[][];
    expect(rows[0]).toEqual(['id', 'created', 'mailbox', 'kind', 'status', 'from', 'to', 'subject', 'sent', 'last error']);
    expect(rows.slice(1).map((r) => [r[0], r[4], r[7]])).toEqual([3, 2, 1].map((n) => [ids[`grey${n}`], 'failed', `Greylisted ${n}`]));
    expect(w.errors).toEqual([]);
  });

  it('opens the 550-refused message and shows the server answer for its recipient', async () => {
    const p = w.page;
    await p.getByLabel('Search').fill('gone@');
    await p.getByLabel('Search').press('Enter');
    await expect.poll(rowIds).toEqual([ids.gone]);
    await p.getByRole('button', { name: 'Open Into the void' }).click();
    const detail = p.getByTestId('message-detail');
    expect((await hashQuery()).get('id')).toBe(ids.gone);
    const answer = detail.locator('tr[data-recipient="gone@dest.test"]').getByTestId('smtp-answer');
    await expect.poll(() => answer.textContent()).toMatch(/^550 5\.1\.1 .*No such user here/);
    expect(await detail.locator('tr[data-recipient="gone@dest.test"] [data-status]').first().getAttribute('data-status')).toBe('rejected');
    expect(await detail.getByTestId('last-error').textContent()).toContain('SMTP_RECIPIENT_UNKNOWN');
    expect(await detail.getByTestId('timeline').locator('li').evaluateAll((l) => l.map((e) => e.getAttribute('data-event')))).toEqual(['queued', 'sending', 'failed']);
    const headers = await detail.getByTestId('headers-table').textContent();
    expect(headers).toContain('Subject');
    expect(headers).toContain('Into the void');
    await w.screenshot('messages-550');
  });

  it('a link by id opens a 451-failed message; Retry delivers it and the row updates live', async () => {
    const p = w.page;
    broken.on = false;
    await p.goto(`${kiln.url}/#/messages?status=failed&id=${ids.grey1}`);
    const detail = p.getByTestId('message-detail');
    await expect.poll(() => detail.getAttribute('data-message')).toBe(ids.grey1);
    await expect.poll(() => detail.getByTestId('smtp-answer').textContent()).toMatch(/451/);
    await detail.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => detail.locator('.detail-head [data-status]').getAttribute('data-status'), { timeout: 20_000 }).toBe('sent');
    const row = p.locator(`tr[data-message="${ids.grey1}"] [data-status]`);
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 20_000 }).toBe('sent');
    expect(smtp.delivered.filter((d) => d.raw.includes('Subject: Greylisted 1'))).toHaveLength(1);
    expect(await detail.getByTestId('timeline').locator('li').evaluateAll((l) => l.map((e) => e.getAttribute('data-event')))).toContain('retry_requested');
  });

  it('bulk retry asks first, then queues every failed message and the rows turn sent', async () => {
    const p = w.page;
    await p.goto(`${kiln.url}/#/messages?status=failed&q=greylisted`);
    await expect.poll(rowIds).toEqual([ids.grey3, ids.grey2]);
    await p.getByRole('button', { name: 'Retry failed…' }).click();
    const dialog = p.getByRole('dialog', { name: 'Retry failed messages' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await api.get(`/api/v1/messages/${ids.grey2}`)).body.data.status).toBe('failed');
    await p.getByRole('button', { name: 'Retry failed…' }).click();
    await dialog.getByRole('button', { name: 'Retry them' }).click();
    await expect.poll(() => p.getByTestId('retry-report').textContent()).toBe('2 messages queued again.');
    for (const n of [2, 3]) {
      await waitFor(async () => ((await api.get(`/api/v1/messages/${ids[`grey${n}`]}`)).body.data.status === 'sent' ? true : undefined), { what: `grey${n} sent` });
    }
    // The list was loaded with status=failed; the rows stay and change in place.
    await expect.poll(() => p.locator(`tr[data-message="${ids.grey2}"] [data-status]`).getAttribute('data-status'), { timeout: 20_000 }).toBe('sent');
    await expect.poll(() => p.locator(`tr[data-message="${ids.grey3}"] [data-status]`).getAttribute('data-status'), { timeout: 20_000 }).toBe('sent');
    expect((await api.get(`/api/v1/messages/${ids.gone}`)).body.data.status).toBe('failed'); // not matched by the search
  });

  it('bulk discard asks first, then discards the dead letters: kept for the record, never retried', async () => {
    const p = w.page;
    await p.goto(`${kiln.url}/#/messages?status=failed`);
    await expect.poll(rowIds).toEqual([ids.gone]);
    await p.getByRole('button', { name: 'Discard failed…' }).click();
    const dialog = p.getByRole('dialog', { name: 'Discard failed messages' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await api.get(`/api/v1/messages/${ids.gone}`)).body.data.status).toBe('failed');
    await p.getByRole('button', { name: 'Discard failed…' }).click();
    await dialog.getByRole('button', { name: 'Discard them' }).click();
    await expect.poll(() => p.getByTestId('discard-report').textContent()).toBe('1 message discarded.');
    await expect.poll(() => p.locator(`tr[data-message="${ids.gone}"] [data-status]`).getAttribute('data-status'), { timeout: 20_000 }).toBe('discarded');
    expect((await api.get('/api/v1/messages/dead-letters')).body.data.items).toEqual([]);
    const retry = await api.post(`/api/v1/messages/${ids.gone}/retry`);
    expect([retry.status, retry.body.error.code]).toEqual([409, 'CONFLICT']);
  });

  it('shows the HTML part in a sandboxed frame that runs no script', async () => {
    const p = w.page;
    await p.goto(`${kiln.url}/#/messages?id=${ids.ok}`);
    const frame = p.getByTestId('html-preview');
    expect(await frame.getAttribute('sandbox')).toBe('');
    await expect.poll(() => p.frameLocator('[data-testid="html-preview"]').locator('#bold').textContent()).toBe('there');
    expect(await p.frameLocator('[data-testid="html-preview"]').locator('title').count()).toBe(0);
    expect(await p.getByTestId('message-text').textContent()).toBe('text of Hello there');
    await w.screenshot('messages-html');
    // The only complaint is the sandbox refusing the mail's script.
    expect(w.errors).toEqual([expect.stringMatching(/^Blocked script execution in 'about:srcdoc' because the document's frame is sandboxed/)]);
    expect(w.failedRequests).toEqual([]);
  });
});
