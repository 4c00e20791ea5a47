// The Reports screen in real Chromium against `kiln serve`: the consultant's name saved in the UI
// shows in the preview (a sandboxed srcdoc iframe, styled under the app's CSP with no violation),
// and the PDF (printed by the server's headless Chromium) and CSV download.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { createToken, startKiln, type KilnProcess } from '../helpers/kiln';
import { launchBrowser, signIn, watchedPage, SCREENSHOT_DIR, type WatchedPage } from '../helpers/browser';

let kiln: KilnProcess;
let context: BrowserContext;
let w: WatchedPage;

beforeAll(async () => {
  kiln = await startKiln();
  context = await launchBrowser();
  w = await watchedPage(context);
  await signIn(w, kiln.url, await createToken(kiln.dataDir, 'admin'));
}, 60_000);
afterAll(async () => {
  await context?.close();
  await kiln?.stop();
});

describe('web UI: reports', { timeout: 90_000 }, () => {
  it('previews the report with the consultant name, and downloads PDF and CSV', async () => {
    const p = w.page;
    await p.goto(`${kiln.url}/#/reports?from=2026-11-01&to=2026-11-07`);
    await p.getByLabel('Consultant name').fill('Jane Consultant');
    await p.getByRole('button', { name: 'Save report settings' }).click();
    const frame = p.frameLocator('[data-testid="report-preview"]');
    await expect.poll(async () => frame.locator('header').innerText(), { timeout: 15_000 }).toContain('Prepared by Jane Consultant');
    expect(await frame.locator('header').innerText()).toContain('2026-11-01 to 2026-11-07');
    // The page's stylesheet applied (allowed by its hash): the header has its rule under it.
    expect(await frame.locator('header').evaluate((e) => getComputedStyle(e).borderBottomStyle)).toBe('solid');
    expect(await p.locator('[data-testid="report-preview"]').getAttribute('sandbox')).toBe('');

    const [pdf] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: 'Download PDF' }).click()]);
    expect(pdf.suggestedFilename()).toBe('kiln-report-default-2026-11-01-2026-11-07.pdf');
    expect(fs.readFileSync((await pdf.path())!).subarray(0, 5).toString()).toBe('%PDF-');
    const [csv] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(fs.readFileSync((await csv.path())!, 'utf8').split('\n')[0]).toMatch(/^day,mailbox,health_score,/);

    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await p.locator('[data-testid="report-preview"]').scrollIntoViewIfNeeded();
    await p.screenshot({ path: path.join(SCREENSHOT_DIR, 'reports.png') });
    expect(w.errors).toEqual([]);
    expect(w.failedRequests).toEqual([]);
  });
});
