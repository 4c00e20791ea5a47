import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createToken, startKiln, type KilnProcess } from '../helpers/kiln';

// The web UI that `kiln serve` hands to a browser, in real Chromium (Debian package): it loads under
// the server's CSP, asks for a token once, talks to the API, and follows live events.

const CHROMIUM = '/usr/bin/chromium';
let kiln: KilnProcess;
let context: BrowserContext;
let token: string;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (npm test's pretest does it as root)`);
  kiln = await startKiln();
  token = await createToken(kiln.dataDir, 'admin');
  context = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await context?.close();
  await kiln?.stop();
});

describe('web UI served by kiln serve', () => {
  it('asks for a token, then shows the workspace and follows live updates', async () => {
    const page = await context.newPage();
    const cspViolations: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    const response = await page.goto(kiln.url);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");

    await page.getByLabel('API token').fill('kiln_wrong');
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('UNAUTHENTICATED');

    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => page.getByTestId('workspace-name').textContent()).toBe('Default');
    expect(await page.getByTestId('mailbox-count').textContent()).toBe('0');

    // A mailbox created through the API shows up without a reload (server-sent events).
    const created = await apiClient(kiln.url, token).post('/api/v1/mailboxes', {
      email: 'live@warm.test',
      provider: 'custom',
      smtp: { host: '127.0.0.1', port: 2525, security: 'none', password: 'ui-test-pw' },
    });
    expect(created.status).toBe(201);
    await expect.poll(() => page.getByTestId('mailbox-count').textContent(), { timeout: 10_000 }).toBe('1');
    expect(cspViolations).toEqual([]);
    expect(await page.content()).not.toContain('ui-test-pw');
  });
});
