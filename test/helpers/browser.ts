// Real Chromium (Debian package) driven by playwright-core against `kiln serve`. Every page the
// helper opens records console errors and failed requests: a UI test ends by asserting both are
// empty, so a broken fetch or a CSP violation fails the test that caused it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** Screenshots of each screen land here (kept after the run; CI can archive the folder). */
export const SCREENSHOT_DIR = path.resolve('test-output/screenshots');

export interface WatchedPage {
  page: Page;
  /** Console errors and page errors seen so far. */
  errors: string[];
  /** Requests that failed or answered >= 400 (except those the test expects, see `expectFailure`). */
  failedRequests: string[];
  /** Mark a URL substring whose failing is part of the test (e.g. a wrong token's 401). */
  expectFailure(urlPart: string): void;
  screenshot(name: string): Promise<string>;
}

export async function launchBrowser(opts: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } } = {}): Promise<BrowserContext> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (npm test's pretest does it as root)`);
  return chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    colorScheme: opts.colorScheme ?? 'light',
    viewport: opts.viewport ?? { width: 1280, height: 860 },
    acceptDownloads: true,
    // No Google services, no update checks: the browser talks to 127.0.0.1 only.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-domain-reliability'],
  });
}

export async function watchedPage(context: BrowserContext): Promise<WatchedPage> {
  const page = await context.newPage();
  const errors: string[] = [];
  const failedRequests: string[] = [];
  const expected: string[] = [];
  const isExpected = (url: string): boolean => expected.some((part) => url.includes(part));
  page.on('console', (m) => {
    // A 4xx the test provoked on purpose also logs "Failed to load resource": filtered like the request.
    if (m.type() === 'error' && !(m.text().startsWith('Failed to load resource') && isExpected(m.location().url))) errors.push(m.text());
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => {
    // An event stream closed by a navigation or reload is not a failure.
    if (req.url().includes('/api/v1/events') || isExpected(req.url())) return;
    failedRequests.push(`${req.method()} ${req.url()}: ${req.failure()?.errorText ?? 'failed'}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && !isExpected(res.url())) failedRequests.push(`${res.request().method()} ${res.url()}: HTTP ${res.status()}`);
  });
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    page,
    errors,
    failedRequests,
    expectFailure: (part) => void expected.push(part),
    async screenshot(name) {
      const file = path.join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
  };
}

/** Open the web UI and sign in with a token. */
export async function signIn(w: WatchedPage, url: string, token: string): Promise<void> {
  await w.page.goto(url);
  await w.page.getByLabel('API token').fill(token);
  await w.page.getByRole('button', { name: 'Connect' }).click();
  await w.page.getByRole('navigation', { name: 'Main' }).waitFor();
}
