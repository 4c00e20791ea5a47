// Suppressions in real Chromium against `kiln serve` and the mail hub: an address added by hand
// (checked, then confirmed), a CSV imported with its per-line report, search and the reason
// filter, a confirmed remove, the export, and a suppression made by a real Postfix bounce showing
// its reason and a link to the message that caused it.
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { apiClient, createToken, startKiln, type KilnProcess } from '../helpers/kiln';
import { addMailHubUser } from '../helpers/mailhub';
import { hubAccount, uniqueUser } from '../helpers/imap';
import { launchBrowser, signIn, watchedPage, type WatchedPage } from '../helpers/browser';
import { waitFor } from '../helpers/wait';

const hub = inject('mailhub');
const sender = uniqueUser('ui-sup-s');
let kiln: KilnProcess;
let context: BrowserContext;
let w: WatchedPage;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  await addMailHubUser(hub, sender.address, sender.password);
  kiln = await startKiln({ env: { KILN_CA_FILE: hub.caCertPath, KILN_WARMUP: '0' } });
  api = apiClient(kiln.url, await createToken(kiln.dataDir, 'admin'));
  context = await launchBrowser();
  w = await watchedPage(context);
  await signIn(w, kiln.url, await createToken(kiln.dataDir, 'admin'));
}, 60_000);
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await w?.screenshot(`failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  await w?.page.evaluate(() => document.querySelectorAll('dialog[open]').forEach((d) => (d as HTMLDialogElement).close()));
});
afterAll(async () => {
  await context?.close();
  await kiln?.stop();
});

const rows = () => w.page.getByRole('table', { name: 'Suppressions' }).locator('tbody tr');
const shown = () => rows().evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-address')).sort());

describe('web UI: suppressions', { timeout: 90_000 }, () => {
  it('adds an address after checking and confirming it, imports a CSV with its report, searches, filters and removes', async () => {
    const p = w.page;
    await p.getByRole('link', { name: 'Suppressions' }).click();
    await p.getByRole('heading', { name: 'No suppressions' }).waitFor();

    // A bad address is refused before anything is asked or sent.
    await p.getByLabel('Email address to suppress').fill('not an address');
    await p.getByRole('button', { name: 'Suppress', exact: true }).click();
    await p.getByText('“not an address” is not a valid email address.').waitFor();
    expect(await p.getByRole('dialog', { name: 'Suppress address' }).isVisible()).toBe(false);

    await p.getByLabel('Email address to suppress').fill('Stop.Me@client.test');
    await p.getByLabel('Note (optional)').fill('asked by phone');
    await p.getByRole('button', { name: 'Suppress', exact: true }).click();
    const confirm = p.getByRole('dialog', { name: 'Suppress address' });
    await confirm.getByText('Never send to Stop.Me@client.test').waitFor();
    await confirm.getByRole('button', { name: 'Suppress' }).click();
    await expect.poll(shown).toEqual(['stop.me@client.test']);
    expect(await rows().first().locator('td').nth(1).textContent()).toBe('Manual');

    await p.getByRole('button', { name: 'Import CSV' }).click();
    const dialog = p.getByRole('dialog', { name: 'Import suppressions from a CSV file' });
    const csv = ['email,detail', 'one@old-tool.test,imported', 'bad-line,', 'two@old-tool.test,', 'ONE@old-tool.test,again', 'stop.me@client.test,'].join('\n');
    await dialog.getByLabel('CSV file').setInputFiles({ name: 'old.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await dialog.getByRole('button', { name: 'Import' }).click();
    const report = dialog.getByTestId('import-report');
    await expect.poll(() => report.getByTestId('import-headline').textContent()).toBe('Suppressed 2 of 5 lines');
    const skipped = await report.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [Number(tr.getAttribute('data-line')), tr.getAttribute('data-reason')]));
    expect(skipped).toEqual([
      [3, 'invalid'],
      [5, 'duplicate'],
      [6, 'exists'],
    ]);
    await w.screenshot('suppressions-import-report');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect.poll(shown).toEqual(['one@old-tool.test', 'stop.me@client.test', 'two@old-tool.test']);

    // A malformed file imports nothing and says so.
    await p.getByRole('button', { name: 'Import CSV' }).click();
    await dialog.getByLabel('…or paste CSV text').fill('email\n"never-closed@x.test\n');
    w.expectFailure('/api/v1/suppressions/import');
    await dialog.getByRole('button', { name: 'Import' }).click();
    await dialog.getByText(/never closed.*Nothing was imported/).waitFor();
    // Chromium logs the refused request; that one is the point here.
    expect(w.errors.every((e) => e.includes('400'))).toBe(true);
    w.errors.length = 0;
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await p.getByLabel('Search addresses').fill('OLD-TOOL');
    await expect.poll(shown).toEqual(['one@old-tool.test', 'two@old-tool.test']);
    await p.getByLabel('Search addresses').fill('');
    await expect.poll(shown).toHaveLength(3);

    const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^kiln-suppressions-all-.*\.csv$/);
    const exported = fs.readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
    expect(exported[0]).toBe('email,reason,detail,message,added');
    expect(exported).toHaveLength(4);

    await p.getByRole('button', { name: 'Remove two@old-tool.test' }).click();
    const removal = p.getByRole('dialog', { name: 'Remove suppression' });
    await removal.getByRole('button', { name: 'Cancel' }).click();
    expect(await shown()).toContain('two@old-tool.test');
    await p.getByRole('button', { name: 'Remove two@old-tool.test' }).click();
    await removal.getByRole('button', { name: 'Remove' }).click();
    await expect.poll(shown).toEqual(['one@old-tool.test', 'stop.me@client.test']);
    const left = (await api.get('/api/v1/suppressions')).body.data.items.map((s: { address: string }) => s.address).sort();
    expect(left).toEqual(['one@old-tool.test', 'stop.me@client.test']);
  });

  it('a real hard bounce from the hub shows as a hard bounce linking to the message that caused it', async () => {
    const created = await api.post('/api/v1/mailboxes', { email: sender.address, ...hubAccount(hub, sender) });
    expect(created.status).toBe(201);
    const ghost = `nobody-${Date.now()}@warm.test`;
    const sent = await api.post('/api/v1/messages', { mailboxId: created.body.data.id, to: [ghost], subject: 'Are you there?', text: 'hello' });
    expect(sent.status).toBe(202);
    const messageId: string = sent.body.data.id;
    // Postfix's DSN reaches the sender's INBOX; the feedback watcher records it and suppresses the address.
    await waitFor(async () => ((await api.get(`/api/v1/suppressions?q=${encodeURIComponent(ghost)}`)).body.data.items.length > 0 ? true : undefined), {
      timeoutMs: 30_000,
      what: `the bounce of ${ghost} to be recorded`,
    });

    const p = w.page;
    await p.getByLabel('Reason').selectOption('hard_bounce');
    await expect.poll(shown).toEqual([ghost]);
    const row = rows().first();
    expect(await row.locator('td').nth(1).textContent()).toBe('Hard bounce');
    expect(await row.locator('td').nth(2).textContent()).toContain('5.1.1');
    const link = row.getByRole('link', { name: `The message that caused the suppression of ${ghost}` });
    expect(await link.getAttribute('href')).toBe(`#/messages?id=${messageId}`);
    await w.screenshot('suppressions-hard-bounce');
    await link.click();
    await expect.poll(() => p.evaluate(() => location.hash)).toBe(`#/messages?id=${messageId}`);
    expect(w.errors).toEqual([]);
    expect(w.failedRequests).toEqual([]);
  });
});
