// The web UI that `kiln serve` hands to a browser, in real Chromium against the private mail hub:
// sign in, add a mailbox whose connection test fails at `auth` then passes after the fix, edit a
// ramp and watch the preview follow, and see mail sent through the API in the activity log.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { apiClient, createToken, startKiln, type KilnProcess } from '../helpers/kiln';
import { addMailHubUser } from '../helpers/mailhub';
import { uniqueUser } from '../helpers/imap';
import { launchBrowser, signIn, watchedPage, type WatchedPage } from '../helpers/browser';

const hub = inject('mailhub');
let kiln: KilnProcess;
let context: BrowserContext;
let token: string;
let w: WatchedPage;
const sender = uniqueUser('ui-sender');
const reader = uniqueUser('ui-reader');

beforeAll(async () => {
  await addMailHubUser(hub, sender.address, sender.password);
  await addMailHubUser(hub, reader.address, reader.password);
  kiln = await startKiln({ env: { KILN_CA_FILE: hub.caCertPath } });
  token = await createToken(kiln.dataDir, 'admin');
  context = await launchBrowser();
  w = await watchedPage(context);
}, 90_000);
// A failing step leaves a picture of the page behind.
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await w?.screenshot(`failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
});
afterAll(async () => {
  await context?.close();
  await kiln?.stop();
});

describe('web UI: mailboxes', { timeout: 90_000 }, () => {
  it('asks for a token and refuses a wrong one', async () => {
    const response = await w.page.goto(kiln.url);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    w.expectFailure('/api/v1/workspace'); // the wrong token's 401 is the point here
    await w.page.getByLabel('API token').fill('kiln_wrong');
    await w.page.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => w.page.getByRole('alert').textContent()).toContain('UNAUTHENTICATED');
    await signIn(w, kiln.url, token);
    await w.page.getByRole('heading', { name: 'Add your first mailbox' }).waitFor();
    await w.screenshot('overview-empty');
  });

  it('adds a mailbox: a wrong password fails the auth stage, the fix passes every stage', async () => {
    const p = w.page;
    await p.getByRole('link', { name: 'Add mailbox' }).click();
    const dialog = p.getByRole('dialog'); // titled "Add mailbox", then the address once saved
    await p.getByRole('dialog', { name: 'Add mailbox' }).waitFor();
    await dialog.getByLabel('Email address').fill(sender.address);
    await dialog.getByLabel('SMTP host').fill('127.0.0.1');
    await dialog.getByLabel('SMTP port').fill(String(hub.ports.submission));
    await dialog.getByLabel('SMTP security').selectOption('starttls');
    await dialog.getByLabel('SMTP password').fill('not-the-password');
    await dialog.getByLabel('IMAP host').fill('127.0.0.1');
    await dialog.getByLabel('IMAP port').fill(String(hub.ports.imaps));
    await dialog.getByLabel('IMAP security').selectOption('tls');
    await dialog.getByLabel('IMAP password').fill(sender.password);
    await dialog.getByRole('button', { name: 'Save and test' }).click();

    await expect.poll(() => p.getByTestId('stage-smtp-auth').getAttribute('data-status'), { timeout: 20_000 }).toBe('failed');
    for (const stage of ['dns', 'connect', 'tls']) expect(await p.getByTestId(`stage-smtp-${stage}`).getAttribute('data-status')).toBe('passed');
    expect(await p.getByTestId('stage-smtp-send').getAttribute('data-status')).toBe('skipped');
    expect(await p.getByTestId('stage-smtp-auth').textContent()).toContain('SMTP auth: failed');
    await w.screenshot('mailbox-auth-failed');

    await dialog.getByLabel('SMTP password').fill(sender.password);
    await dialog.getByRole('button', { name: 'Save and test again' }).click();
    await expect.poll(() => p.getByTestId('stage-smtp-send').getAttribute('data-status'), { timeout: 20_000 }).toBe('passed');
    for (const proto of ['smtp', 'imap'] as const) {
      for (const stage of ['dns', 'connect', 'tls', 'auth', proto === 'smtp' ? 'send' : 'select']) {
        expect(await p.getByTestId(`stage-${proto}-${stage}`).getAttribute('data-status'), `${proto} ${stage}`).toBe('passed');
      }
    }
    await w.screenshot('mailbox-all-passed');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await p.locator(`tr[data-mailbox="${sender.address}"]`).waitFor();
    await w.screenshot('mailboxes');
  });

  it('edits a ramp and the preview follows before saving', async () => {
    const p = w.page;
    await p.getByRole('link', { name: sender.address }).click();
    await p.getByRole('link', { name: 'Ramp' }).click();
    const last = p.getByTestId('ramp-preview-last');
    await expect.poll(() => last.textContent()).toMatch(/: \d+ \/ day/);
    const before = await last.textContent();
    await p.getByLabel('Daily max').fill('12');
    await p.getByLabel('Start volume').fill('2');
    await expect.poll(() => last.textContent()).not.toBe(before);
    expect(await last.textContent()).toMatch(/: ([0-9]|1[0-2]) \/ day/); // capped at the new max (days off show 0)
    const capped = await last.textContent();
    await p.getByRole('button', { name: 'Aggressive' }).click();
    await expect.poll(() => last.textContent()).not.toBe(capped);
    expect(await p.getByTestId('ramp-preview').locator('svg path').count()).toBeGreaterThan(0);
    await p.getByRole('button', { name: 'Save ramp' }).click();
    await expect.poll(() => p.getByRole('button', { name: 'Save ramp' }).isDisabled()).toBe(true);
    const saved = await apiClient(kiln.url, token).get(`/api/v1/mailboxes/${await mailboxId()}/warmup`);
    expect(saved.body.data.ramp).toMatchObject({ startVolume: 7, dailyIncrease: 2, dailyMax: 40 });
    await w.screenshot('mailbox-ramp');
  });

  it('shows mail sent through the API in the activity log, live', async () => {
    const p = w.page;
    await p.getByRole('link', { name: 'Activity' }).click();
    await p.getByRole('heading', { name: 'No activity yet' }).waitFor();
    const api = apiClient(kiln.url, token);
    const id = await mailboxId();
    for (const n of [1, 2]) {
      const r = await api.post('/api/v1/messages', { mailboxId: id, to: [reader.address], subject: `UI activity ${n}`, text: 'Hello from the UI test' });
      expect(r.status).toBe(202);
    }
    const log = p.getByTestId('activity-log');
    await expect.poll(() => log.locator('tbody tr', { hasText: 'sent' }).count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    expect(await log.textContent()).toContain('UI activity 2');
    await w.screenshot('mailbox-activity');
    // The health tab says what to do while there is no warmup yet (API mail is not warmup).
    await p.getByRole('link', { name: 'Health' }).click();
    await p.getByRole('heading', { name: 'No warmup activity yet' }).waitFor();
    await p.getByRole('link', { name: 'Overview' }).click();
    await expect.poll(() => p.getByTestId('overview-states').textContent()).toContain('1');
    await w.screenshot('overview');
  });

  it('saw no console errors, failed requests or leaked passwords', async () => {
    expect(w.errors).toEqual([]);
    expect(w.failedRequests).toEqual([]);
    expect(await w.page.content()).not.toContain(sender.password);
  });
});

async function mailboxId(): Promise<string> {
  const list = await apiClient(kiln.url, token).get('/api/v1/mailboxes');
  return list.body.data.find((m: { email: string }) => m.email === sender.address).id as string;
}
