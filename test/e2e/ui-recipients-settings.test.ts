// Recipients and Settings in real Chromium against `kiln serve`: a CSV of 1,000 rows with 20 bad
// ones is checked (every bad row listed with its line), imported and exported; a malformed file
// imports nothing; a token created in the UI works against the API until revoked in the UI.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { apiClient, createToken, startKiln, type KilnProcess } from '../helpers/kiln';
import { launchBrowser, signIn, watchedPage, type WatchedPage } from '../helpers/browser';

let kiln: KilnProcess;
let context: BrowserContext;
let token: string;
let w: WatchedPage;

beforeAll(async () => {
  kiln = await startKiln();
  token = await createToken(kiln.dataDir, 'admin');
  context = await launchBrowser({ colorScheme: 'dark' });
  w = await watchedPage(context);
  await signIn(w, kiln.url, token);
}, 60_000);
afterAll(async () => {
  await context?.close();
  await kiln?.stop();
});

/** 1,000 data rows: 980 good, 10 invalid, 9 repeated, 1 suppressed. Returns the CSV and the bad lines. */
function csvWithBadRows(): { csv: string; bad: Map<number, string> } {
  const lines = ['email,name'];
  const bad = new Map<number, string>();
  for (let i = 0; i < 1000; i++) {
    const line = i + 2;
    let row = `seed${i}@seeds.test,Seed ${i}`;
    if (i % 100 === 50) [row] = [`not-an-address-${i},Bad ${i}`, bad.set(line, 'invalid')];
    else if (i % 100 === 70 && i < 900) [row] = [`seed${i - 1}@seeds.test,Again`, bad.set(line, 'duplicate')];
    else if (i === 999) [row] = ['blocked@seeds.test,Blocked', bad.set(line, 'suppressed')];
    lines.push(row);
  }
  return { csv: lines.join('\n') + '\n', bad };
}

describe('web UI: recipients and settings', { timeout: 90_000 }, () => {
  it('checks a CSV of 1,000 rows, lists the 20 bad ones by line, imports the rest and exports them', async () => {
    const api = apiClient(kiln.url, token);
    expect((await api.post('/api/v1/suppressions', { address: 'blocked@seeds.test' })).status).toBe(201);
    const { csv, bad } = csvWithBadRows();
    expect(bad.size).toBe(20);
    const p = w.page;
    await p.getByRole('link', { name: 'Recipients' }).click();
    await p.getByRole('heading', { name: 'No seeds yet' }).waitFor();
    await p.getByRole('button', { name: 'Import CSV' }).first().click();
    await p.getByLabel(/CSV file/).setInputFiles({ name: 'seeds.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const report = p.getByTestId('import-report');
    await expect.poll(() => report.textContent()).toContain('980 of 1000 rows can be imported');
    const rows = report.locator('tbody tr');
    expect(await rows.count()).toBe(20);
    for (const [line, reason] of bad) expect(await report.locator(`tr[data-line="${line}"] td`).nth(2).textContent(), `line ${line}`).toBe(reason);
    await w.screenshot('recipients-import-report');
    await p.getByRole('button', { name: 'Import 980 recipients' }).click();
    await expect.poll(() => report.textContent()).toContain('Imported 980 of 1000 rows');
    await p.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => p.getByTestId('seed-total').textContent()).toBe('980 seeds');
    await w.screenshot('recipients');

    const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: 'Export CSV' }).click()]);
    const exported = fs.readFileSync((await download.path())!, 'utf8');
    expect(exported.trim().split(/\r?\n/)).toHaveLength(981);
    expect(exported).toContain('seed0@seeds.test');
  });

  it('imports nothing from a malformed file and says so', async () => {
    const p = w.page;
    w.expectFailure('/api/v1/recipients/import'); // the 400 is the point here
    await p.getByRole('button', { name: 'Import CSV' }).first().click();
    await p.getByLabel(/CSV file/).setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('name,phone\nAna,123\n') });
    await expect.poll(() => p.getByRole('dialog').textContent()).toContain('Nothing was imported.');
    expect(await p.getByRole('dialog').textContent()).toContain('VALIDATION_FAILED');
    await p.getByRole('button', { name: 'Cancel' }).click();
    expect(await p.getByTestId('seed-total').textContent()).toBe('980 seeds');
  });

  it('creates a token whose secret is shown once and works, then revokes it', async () => {
    const p = w.page;
    await p.getByRole('link', { name: 'Settings' }).click();
    await p.getByLabel('Token name').fill('ui-made');
    await p.getByRole('button', { name: 'Create token' }).click();
    const secret = await p.getByLabel('New token').inputValue();
    expect(secret).toMatch(/^kiln_/);
    expect((await apiClient(kiln.url, secret).get('/api/v1/workspace')).status).toBe(200);
    await p.getByRole('button', { name: 'Done' }).click();
    expect(await p.content()).not.toContain(secret);
    await expect.poll(() => p.getByTestId('secret-store').textContent()).toContain('working');
    await w.screenshot('settings');
    await p.getByRole('button', { name: 'Revoke ui-made' }).click();
    await p.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => p.locator('tr[data-token="ui-made"]').textContent()).toContain('revoked');
    expect((await apiClient(kiln.url, secret).get('/api/v1/workspace')).status).toBe(401);
  });

  it('saw no console errors or failed requests', () => {
    expect(w.errors).toEqual([]);
    expect(w.failedRequests).toEqual([]);
  });
});
