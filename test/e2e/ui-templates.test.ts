// Templates in real Chromium against `kiln serve`: create a template with declared variables, a
// field error from the core shown beside the form, preview with sample data (the HTML escaped in a
// sandboxed frame), a second version through the editor, and the version history.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { apiClient, createToken, startKiln, type KilnProcess } from '../helpers/kiln';
import { launchBrowser, signIn, watchedPage, type WatchedPage } from '../helpers/browser';

let kiln: KilnProcess;
let context: BrowserContext;
let w: WatchedPage;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  kiln = await startKiln({ env: { KILN_WARMUP: '0' } });
  api = apiClient(kiln.url, await createToken(kiln.dataDir, 'admin'));
  context = await launchBrowser();
  w = await watchedPage(context);
  await signIn(w, kiln.url, await createToken(kiln.dataDir, 'admin'));
}, 60_000);
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await w?.screenshot(`failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
});
afterAll(async () => {
  await context?.close();
  await kiln?.stop();
});

describe('web UI: templates', { timeout: 90_000 }, () => {
  it('creates a template with variables, previews it escaped, saves a second version and shows the history', async () => {
    const p = w.page;
    await p.getByRole('link', { name: 'Templates' }).click();
    await p.getByRole('heading', { name: 'No templates' }).waitFor();
    await p.getByRole('button', { name: 'New template' }).click();

    const form = p.getByRole('form', { name: 'New template' });
    await form.getByLabel('Name', { exact: true }).fill('Welcome');
    await form.getByLabel('Subject').fill('Welcome {{name}}');
    await form.getByLabel('HTML (variables are HTML-escaped)').fill('<p id="hello">Hello {{name}}</p>');
    // A variable used but not declared: the core refuses it, naming the part.
    w.expectFailure('/api/v1/templates');
    await form.getByRole('button', { name: 'Create template' }).click();
    await form.getByTestId('form-error').getByText('subject: Uses "name", which is not a declared variable (line 1)').waitFor();

    await form.getByRole('button', { name: 'Add variable' }).click();
    await form.getByLabel('Name', { exact: true }).nth(1).fill('name');
    await form.getByLabel('Sample value').fill('<b>Ann</b>');
    await form.getByRole('button', { name: 'Create template' }).click();

    const detail = p.getByTestId('template-detail');
    await detail.getByRole('heading', { name: 'Welcome' }).waitFor();
    expect(await p.getByTestId('template-list').textContent()).toContain('Welcome');
    await detail.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => detail.getByTestId('preview-subject').textContent()).toBe('Welcome <b>Ann</b>');
    const frame = p.frameLocator('[data-testid="html-preview"]');
    await expect.poll(() => frame.locator('#hello').textContent()).toBe('Hello <b>Ann</b>');
    expect(await frame.locator('#hello b').count()).toBe(0);
    expect(await detail.getByTestId('preview-text').textContent()).toContain('Hello <b>Ann</b>');
    await w.screenshot('templates-preview');

    await detail.getByRole('button', { name: 'Edit' }).click();
    const edit = p.getByRole('form', { name: 'Edit Welcome' });
    await edit.getByLabel('Subject').fill('Hi {{name}}');
    await edit.getByRole('button', { name: 'Save as new version' }).click();
    await detail.getByRole('heading', { name: 'Welcome' }).waitFor();
    const versions = detail.getByLabel('Version');
    await expect.poll(() => versions.locator('option').allTextContents()).toEqual([expect.stringMatching(/^Version 2 \(latest\)/), expect.stringMatching(/^Version 1 /)]);

    await versions.selectOption('1');
    await expect.poll(() => detail.locator('dd code').textContent()).toBe('Welcome {{name}}');
    const t = (await api.get('/api/v1/templates')).body.data.items[0];
    expect(t).toMatchObject({ name: 'Welcome', version: 2 });
    expect(w.errors).toEqual([]);
    expect(w.failedRequests).toEqual([]);
  });
});
