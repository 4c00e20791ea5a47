// Recipients and Settings in real Chromium against `kiln serve`: a CSV of 1,000 rows with 20 bad
// ones is checked (every bad row listed with its line and reason), imported and exported; a
// malformed file imports nothing; the pool takes and drops an external address; a token created
// in the UI works against the API until it is revoked in the UI; settings save and follow live.
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { apiClient, createToken, startKiln, type KilnProcess } from '../helpers/kiln';
import { launchBrowser, signIn, watchedPage, type WatchedPage } from '../helpers/browser';

let kiln: KilnProcess;
let context: BrowserContext;
let token: string;
let w: WatchedPage;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  kiln = await startKiln();
  token = await createToken(kiln.dataDir, 'admin');
  api = apiClient(kiln.url, token);
  context = await launchBrowser();
  w = await watchedPage(context);
  await signIn(w, kiln.url, token);
}, 60_000);
// A test that failed half-way must not leave a modal over the next one's page.
afterEach(async () => {
  await w?.page.evaluate(() => document.querySelectorAll('dialog[open]').forEach((d) => (d as HTMLDialogElement).close()));
});
afterAll(async () => {
  await context?.close();
  await kiln?.stop();
});

/** A clean page so far: no console errors, no failed request the test did not ask for. */
function expectCleanPage(): void {
  expect(w.errors).toEqual([]);
  expect(w.failedRequests).toEqual([]);
}

/** 1,000 data rows: 980 good, 10 invalid, 9 repeated in the file, 1 suppressed; the bad lines with their reasons. */
function csvWithBadRows(): { csv: string; bad: Array<[number, string]> } {
  const lines = ['email,name'];
  const bad: Array<[number, string]> = [];
  for (let i = 0; i < 1000; i++) {
    const line = i + 2; // the header is line 1
    if (i % 100 === 50) {
      lines.push(i % 200 === 50 ? `not-an-address-${i},Bad ${i}` : `seed${i}@@seeds.test,Bad ${i}`);
      bad.push([line, 'invalid']);
    } else if (i % 100 === 70 && i < 900) {
      lines.push(`SEED${i - 1}@seeds.test,Again`); // the same address as the line before, in capitals
      bad.push([line, 'duplicate']);
    } else if (i === 999) {
      lines.push('blocked@seeds.test,Blocked');
      bad.push([line, 'suppressed']);
    } else lines.push(`seed${i}@seeds.test,Seed ${i}`);
  }
  return { csv: lines.join('\n') + '\n', bad };
}

describe('web UI: recipients and settings', { timeout: 90_000 }, () => {
  it('checks a CSV of 1,000 rows, lists exactly the 20 bad ones by line, imports the rest and exports them', async () => {
    expect((await api.post('/api/v1/suppressions', { address: 'blocked@seeds.test' })).status).toBe(201);
    const { csv, bad } = csvWithBadRows();
    expect(bad).toHaveLength(20);
    const p = w.page;
    await p.getByRole('link', { name: 'Recipients' }).click();
    await p.getByRole('tab', { name: 'Seeds' }).click();
    await p.getByRole('heading', { name: 'No seeds yet' }).waitFor();
    expect(await p.getByText('Seeds receive placement tests').first().isVisible()).toBe(true);

    await p.getByRole('button', { name: 'Import CSV' }).click();
    const dialog = p.getByRole('dialog', { name: 'Import seeds from a CSV file' });
    await dialog.getByLabel('CSV file').setInputFiles({ name: 'seeds.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const report = dialog.getByTestId('import-report');
    await expect.poll(() => report.getByTestId('import-headline').textContent()).toBe('980 of 1,000 rows can be imported');
    const listed = await report.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [Number(r.getAttribute('data-line')), r.querySelectorAll('td')[2]?.textContent]));
    expect(listed).toEqual(bad);
    expect(await report.getByRole('list', { name: 'Skipped rows by reason' }).textContent()).toBe('10 invalid9 repeated in the file1 suppressed');
    // Nothing is written by the check.
    expect((await api.get('/api/v1/recipients?kind=seed')).body.data.total).toBe(0);
    await w.screenshot('recipients-import-report');

    await dialog.getByRole('button', { name: 'Import 980 recipients' }).click();
    await expect.poll(() => report.getByTestId('import-headline').textContent()).toBe('Imported 980 of 1,000 rows');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => p.getByTestId('seed-total').textContent()).toBe('Showing 100 of 980 seeds');
    await w.screenshot('recipients');
    await p.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => p.getByTestId('seed-total').textContent()).toBe('Showing 200 of 980 seeds');
    expect((await api.get('/api/v1/recipients?kind=seed')).body.data.total).toBe(980);

    const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const exported = fs.readFileSync((await download.path())!, 'utf8');
    const lines = exported.trim().split(/\r?\n/);
    expect(lines).toHaveLength(981);
    expect(lines[0]).toMatch(/^email,/);
    expect(exported).toContain('seed0@seeds.test');
    expect(exported).not.toContain('blocked@seeds.test');

    await p.getByLabel('Search seeds').fill('seed123@');
    await expect.poll(() => p.getByTestId('seed-total').textContent()).toBe('Showing 1 of 1 seed');
    await p.getByLabel('Search seeds').fill('');
    await expect.poll(() => p.getByTestId('seed-total').textContent()).toBe('Showing 100 of 980 seeds');
    expectCleanPage();
  });

  it('imports nothing from a file without an email column, and says so', async () => {
    const p = w.page;
    w.expectFailure('/api/v1/recipients/import'); // the 400 is the point here
    await p.getByRole('button', { name: 'Import CSV' }).click();
    const dialog = p.getByRole('dialog', { name: 'Import seeds from a CSV file' });
    await dialog.getByLabel('CSV file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('name,phone\nAna,123\nBea,456\n') });
    await dialog.getByText('Nothing was imported').waitFor();
    expect(await dialog.getByRole('alert').textContent()).toContain('VALIDATION_FAILED');
    expect(await dialog.getByRole('alert').textContent()).toContain('no email column');
    expect(await dialog.getByRole('button', { name: /^Import \d/ }).count()).toBe(0);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await p.getByTestId('seed-total').textContent()).toBe('Showing 100 of 980 seeds');
    expect((await api.get('/api/v1/recipients?kind=seed')).body.data.total).toBe(980);
    expectCleanPage();
  });

  it('imports pasted CSV text into contacts and removes a contact after confirming', async () => {
    const p = w.page;
    await p.getByRole('tab', { name: 'Contacts' }).click();
    await p.getByRole('heading', { name: 'No contacts yet' }).waitFor();
    await p.getByRole('button', { name: 'Import CSV' }).click();
    const dialog = p.getByRole('dialog', { name: 'Import contacts from a CSV file' });
    await dialog.getByLabel('…or paste CSV text').fill('Email;Name\nana@contacts.test;Ana\nbea@contacts.test;Bea\n');
    await dialog.getByRole('button', { name: 'Check rows' }).click();
    await expect.poll(() => dialog.getByTestId('import-headline').textContent()).toBe('2 of 2 rows can be imported');
    await dialog.getByRole('button', { name: 'Import 2 recipients' }).click();
    await expect.poll(() => dialog.getByTestId('import-headline').textContent()).toBe('Imported 2 of 2 rows');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => p.getByTestId('contact-total').textContent()).toBe('Showing 2 of 2 contacts');
    await p.getByRole('button', { name: 'Remove ana@contacts.test' }).click();
    await p.getByRole('dialog', { name: 'Remove contact' }).getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => p.getByTestId('contact-total').textContent()).toBe('Showing 1 of 1 contact');
    expect((await api.get('/api/v1/recipients?kind=contact')).body.data.total).toBe(1);
    expectCleanPage();
  });

  it('adds an external pool recipient and removes it after confirming', async () => {
    const p = w.page;
    await p.getByRole('tab', { name: 'Warmup pool' }).click();
    await p.getByRole('heading', { name: 'No external recipients' }).waitFor();
    await p.getByLabel('Email address').fill('friend@partner.test');
    await p.getByLabel('Name (optional)').fill('Partner');
    await p.getByLabel('Provider').selectOption('zoho');
    await p.getByLabel('Daily cap (optional)').fill('7');
    await p.getByRole('button', { name: 'Add to pool' }).click();
    const row = p.locator('tr[data-address="friend@partner.test"]');
    await expect.poll(() => row.textContent()).toContain('zoho');
    expect(await row.textContent()).toContain('7');
    expect((await api.get('/api/v1/pool')).body.data.external).toHaveLength(1);
    await w.screenshot('recipients-pool');
    await p.getByRole('button', { name: 'Remove friend@partner.test from the pool' }).click();
    await p.getByRole('dialog', { name: 'Remove from the pool' }).getByRole('button', { name: 'Remove' }).click();
    await p.getByRole('heading', { name: 'No external recipients' }).waitFor();
    expect((await api.get('/api/v1/pool')).body.data.external).toHaveLength(0);
    expectCleanPage();
  });

  it('creates a token whose secret is shown once and works, then revokes it', async () => {
    const p = w.page;
    await p.getByRole('link', { name: 'Settings' }).click();
    await expect.poll(() => p.getByTestId('secret-store').textContent()).toContain('working');
    expect(await p.getByTestId('settings-workspace').textContent()).toBeTruthy();
    await p.getByLabel('Token name').fill('ui-made');
    await p.getByRole('button', { name: 'Create token' }).click();
    const dialog = p.getByRole('dialog', { name: 'New API token' });
    expect(await dialog.textContent()).toContain('will not be shown again');
    const secret = await dialog.getByLabel('Token “ui-made”').inputValue();
    expect(secret).toMatch(/^kiln_/);
    await dialog.getByRole('button', { name: 'Copy' }).click(); // clipboard, or the text selected where there is none
    await expect.poll(() => dialog.getByRole('status').textContent()).toMatch(/Copied|selected/);
    expect((await apiClient(kiln.url, secret).get('/api/v1/workspace')).status).toBe(200);
    await dialog.getByRole('button', { name: 'Done' }).click();
    expect(await p.content()).not.toContain(secret);
    await expect.poll(() => p.locator('tr[data-token="ui-made"]').textContent()).toContain('read');
    await w.screenshot('settings');

    await p.getByRole('button', { name: 'Revoke ui-made' }).click();
    await p.getByRole('dialog', { name: 'Revoke token' }).getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => p.locator('tr[data-token="ui-made"]').textContent()).toContain('Revoked');
    expect((await apiClient(kiln.url, secret).get('/api/v1/workspace')).status).toBe(401);
    expectCleanPage();
  });

  it('saves warmup limits and general preferences, and follows changes made elsewhere', async () => {
    const p = w.page;
    await p.getByLabel('Per mailbox, per hour').fill('12');
    await p.getByRole('button', { name: 'Save limits' }).click();
    await expect.poll(async () => (await api.get('/api/v1/warmup/settings')).body.data.limits.mailboxPerHour).toBe(12);
    expect(await p.getByTestId('content-key-state').textContent()).toContain('No key is stored');

    await p.getByLabel('Ramp preset for new mailboxes').selectOption('gentle');
    await expect.poll(async () => (await api.get('/api/v1/preferences')).body.data.defaultPreset).toBe('gentle');
    // Changed through the API: the open screen follows the `preferences.updated` event.
    expect((await api.patch('/api/v1/preferences', { defaultPreset: 'aggressive', defaultTimeZone: 'Europe/Paris' })).status).toBe(200);
    await expect.poll(() => p.getByLabel('Ramp preset for new mailboxes').inputValue()).toBe('aggressive');
    await expect.poll(() => p.getByLabel(/Time zone for new mailboxes/).inputValue()).toBe('Europe/Paris');
    // Desktop-only options are not offered in the browser.
    expect(await p.getByText('Start Kiln when I log in').count()).toBe(0);
    expectCleanPage();
  });

  it('turns engagement with non-warmup Kiln mail on and off (off by default)', async () => {
    const p = w.page;
    const box = p.getByLabel(/Also engage with this workspace.s other Kiln mail/);
    expect(await box.isChecked()).toBe(false);
    await box.check();
    await expect.poll(async () => (await api.get('/api/v1/preferences')).body.data.engagement.otherKilnMail).toBe(true);
    expect((await api.patch('/api/v1/preferences', { engagement: { otherKilnMail: false } })).status).toBe(200);
    await expect.poll(() => box.isChecked()).toBe(false);
    expectCleanPage();
  });
});
