// The OAuth screens in real Chromium against `kiln serve`, the test OpenID provider and the mail hub's
// token-checking Dovecot (the hub user has no password): Settings → OAuth apps adds and edits a custom
// app; Add mailbox → "Sign in with another provider" opens the provider's page in a new tab, where the
// person logs in and consents; the provider comes back to the server's /oauth/callback and the dialog
// shows the account; the mailbox sends and its IMAP watcher places mail with tokens only. Removing the
// app in use is refused; a grant revoked at the provider shows Reconnect, which signs in again.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { apiClient, createToken, startKiln, type KilnProcess } from '../helpers/kiln';
import { addMailHubOAuthUser } from '../helpers/mailhub';
import type { OidcClientInfo } from '../helpers/oidc';
import { addOidcUser, registerOidcClient, revokeGrants } from '../helpers/oidc-flow';
import { launchBrowser, signIn, watchedPage, type WatchedPage } from '../helpers/browser';

const hub = inject('mailhub');
const oidc = inject('oidc');
const user = `ui-oauth-${randomUUID().slice(0, 8)}@warm.test`;
const idpPassword = `idp-${randomUUID()}`;
const APP = 'Test IdP';
let kiln: KilnProcess;
let context: BrowserContext;
let token: string;
let w: WatchedPage;
let client: OidcClientInfo;
/** Console errors of the provider's tab (its pages and Kiln's callback page, under the server's CSP). */
const popupErrors: string[] = [];

beforeAll(async () => {
  await addOidcUser(oidc, user, idpPassword);
  await addMailHubOAuthUser(hub, user);
  kiln = await startKiln({ env: { KILN_CA_FILE: hub.caCertPath } });
  // A confidential client whose redirect URI is the server's own callback route. Its access tokens live
  // 30 s, under Kiln's 60 s refresh margin: every send refreshes, so the first send after a revocation
  // finds the grant gone.
  client = await registerOidcClient(oidc, { redirect_uris: [`${kiln.url}/oauth/callback`], kiln_access_token_ttl: 30 });
  expect(client.clientSecret).toBeTruthy();
  token = await createToken(kiln.dataDir, 'admin');
  context = await launchBrowser();
  w = await watchedPage(context);
}, 90_000);
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await w?.screenshot(`failed-oauth-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
});
afterAll(async () => {
  await context?.close();
  await kiln?.stop();
});

const api = () => apiClient(kiln.url, token);
const text = async (l: Locator) => (await l.textContent()) ?? '';
const status = (testId: string) => w.page.getByTestId(testId).getAttribute('data-status');
const signInStatus = () => w.page.getByTestId('signin-status').getAttribute('data-status');
const nav = (name: string) => w.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });
const row = () => w.page.locator(`tr[data-mailbox="${user}"]`);

function expectClean(): void {
  expect(w.errors).toEqual([]);
  expect(w.failedRequests).toEqual([]);
  expect(popupErrors).toEqual([]);
}

async function mailbox(): Promise<{ id: string; status: string; lastError: { code: string } | null; auth: { kind: string; appId?: string } }> {
  const list = (await api().get('/api/v1/mailboxes')).body.data as { id: string; email: string }[];
  const id = list.find((m) => m.email === user)?.id;
  if (!id) throw new Error(`no mailbox ${user}`);
  return (await api().get(`/api/v1/mailboxes/${id}`)).body.data;
}

/**
 * The person at the provider, in the tab Kiln opened: logs in if asked (a second sign-in may find the
 * provider's session), allows, and lands on Kiln's callback page, which says so.
 */
async function atProvider(tab: Page): Promise<void> {
  // Chromium asks every origin for a favicon; neither the provider nor the callback page has one.
  tab.on('console', (m) => void (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico') && popupErrors.push(`${m.location().url}: ${m.text()}`)));
  tab.on('pageerror', (err) => void popupErrors.push(`pageerror: ${err.message}`));
  const callback = `${kiln.url}/oauth/callback`;
  for (let step = 0; step < 6 && !tab.url().startsWith(callback); step++) {
    await tab.waitForLoadState();
    if (tab.url().startsWith(callback)) break;
    const login = tab.locator('#login');
    const consent = tab.locator('#consent');
    await login.or(consent).first().waitFor({ timeout: 10_000 });
    const next = tab.waitForURL((u) => u.href !== tab.url() || u.href.startsWith(callback), { waitUntil: 'load' }).catch(() => undefined);
    if (await login.isVisible()) {
      expect(tab.url().startsWith(oidc.issuer)).toBe(true);
      await login.locator('input[name="login"]').fill(user);
      await login.locator('input[name="password"]').fill(idpPassword);
      await login.getByRole('button', { name: 'Sign in' }).click();
    } else {
      await consent.getByRole('button', { name: 'Allow' }).click();
    }
    await next;
  }
  await tab.waitForURL((u) => u.href.startsWith(callback), { waitUntil: 'load' });
  expect(await tab.locator('body').textContent()).toContain('Signed in');
  await tab.close();
}

/** The click that starts a sign-in, and the provider's tab it opens. */
async function signInFrom(click: () => Promise<void>): Promise<void> {
  const tab = context.waitForEvent('page', { timeout: 15_000 });
  await click();
  await atProvider(await tab);
}

describe('web UI: OAuth apps, sign-in, reconnect', { timeout: 90_000 }, () => {
  it('Settings → OAuth apps: adds a custom app with a secret, edits it keeping the secret', async () => {
    const p = w.page;
    await signIn(w, kiln.url, token);
    await nav('Settings').click();
    const section = p.locator('#oauth-apps');
    await section.getByRole('heading', { name: 'No OAuth apps yet' }).waitFor();
    await section.getByRole('button', { name: 'Add OAuth app' }).click();
    const dialog = p.getByRole('dialog', { name: 'Add OAuth app' });
    await dialog.getByLabel('Provider').selectOption('custom');
    await dialog.getByLabel('Label (optional)').fill(APP);
    await dialog.getByLabel('Client ID').fill(client.clientId);
    await dialog.getByLabel('Client secret (optional)').fill(client.clientSecret!);
    await dialog.getByLabel('Issuer URL').fill(oidc.issuer);
    await dialog.getByLabel(/^Scopes \(optional/).fill('openid email offline_access mail');
    await dialog.getByRole('button', { name: 'Add app' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);

    const item = section.getByTestId('oauth-app');
    await item.waitFor();
    expect(await item.getAttribute('data-provider')).toBe('custom');
    expect(await text(item.getByTestId('oauth-app-secret'))).toBe('secret stored');
    expect(await text(item)).toContain(client.clientId);
    expect(await text(item)).toContain(oidc.issuer);
    expect(await text(p.locator('body'))).not.toContain(client.clientSecret!);

    // Editing with the secret left empty keeps the stored one.
    await item.getByRole('button', { name: `Edit ${APP}` }).click();
    const edit = p.getByRole('dialog', { name: 'Edit OAuth app' });
    expect(await edit.getByLabel(/^Client secret/).inputValue()).toBe('');
    expect(await edit.getByLabel('Issuer URL').inputValue()).toBe(oidc.issuer);
    await edit.getByLabel(/^Scopes \(optional/).fill('openid email offline_access mail profile');
    await edit.getByRole('button', { name: 'Save app' }).click();
    await expect.poll(() => edit.isVisible()).toBe(false);
    await expect.poll(() => text(item)).toContain('mail profile');
    expect(await text(item.getByTestId('oauth-app-secret'))).toBe('secret stored');
    const apps = (await api().get('/api/v1/oauth/apps')).body.data as { id: string; hasClientSecret: boolean; scopes: string[] }[];
    expect(apps).toHaveLength(1);
    expect(apps[0]).toMatchObject({ hasClientSecret: true, scopes: ['openid', 'email', 'offline_access', 'mail', 'profile'] });
    await w.screenshot('oauth-apps');
    expectClean();
  });

  it('Add mailbox → Sign in with another provider: the provider\'s tab, the callback, the account; the mailbox sends and its watcher places mail with tokens only', async () => {
    const p = w.page;
    await nav('Mailboxes').click();
    await p.getByRole('heading', { level: 1, name: 'Mailboxes' }).waitFor();
    await p.getByRole('button', { name: 'Add mailbox' }).first().click();
    const dialog = p.getByRole('dialog', { name: 'Add mailbox' });
    await dialog.waitFor();
    await dialog.getByLabel('Email address').fill(user);
    const submit = dialog.getByRole('button', { name: 'Save and test' });

    await signInFrom(() => dialog.getByTestId('signin-custom').click());
    await expect.poll(signInStatus, { timeout: 15_000 }).toBe('signedIn');
    expect(await text(dialog.getByTestId('signin-account'))).toBe(user);
    expect((await text(dialog.getByTestId('signin-scopes'))).split(' ')).toEqual(expect.arrayContaining(['openid', 'mail']));
    expect(await dialog.getByTestId('signin-account-differs').count()).toBe(0);
    expect(await submit.isDisabled()).toBe(false);
    // No password fields for an OAuth mailbox: only hosts and ports.
    expect(await dialog.getByLabel('SMTP password').count()).toBe(0);

    await dialog.getByLabel('SMTP host').fill('127.0.0.1');
    await dialog.getByLabel('SMTP port').fill(String(hub.ports.submission));
    await dialog.getByLabel('SMTP security').selectOption('starttls');
    await expect.poll(() => dialog.getByLabel('Read this mailbox (IMAP)').isChecked()).toBe(true);
    await dialog.getByLabel('IMAP host').fill('127.0.0.1');
    await dialog.getByLabel('IMAP port').fill(String(hub.ports.imap));
    await dialog.getByLabel('IMAP security').selectOption('starttls');
    await w.screenshot('oauth-signed-in');
    await submit.click();

    await row().waitFor({ timeout: 15_000 });
    const mb = await mailbox();
    expect(mb.auth.kind).toBe('oauth2');
    // Saving runs the connection test: it passes, the oauth stage included (the last test runs it again from the dialog).
    const saved = p.getByRole('dialog', { name: `Mailbox ${user}` });
    await expect.poll(async () => (await saved.getByTestId('form-error').count()) > 0 ? `refused: ${await text(saved.getByTestId('form-error'))}` : status('stage-imap-select'), { timeout: 30_000 }).toBe('passed');
    expect(await status('stage-smtp-oauth')).toBe('passed');
    await saved.getByRole('button', { name: /^(Done|Close)$/ }).click();
    await expect.poll(() => saved.isVisible()).toBe(false);

    // The mailbox shows how it signs in on its own page.
    await p.getByRole('link', { name: user }).click();
    await p.getByRole('heading', { level: 1, name: user }).waitFor();
    expect(await p.getByTestId('mailbox-auth').getAttribute('data-kind')).toBe('oauth2');
    expect(await text(p.getByTestId('mailbox-auth'))).toContain('mail');

    // Mail to itself goes out over XOAUTH2 and the IMAP watcher (signed in with a token) places it.
    const sent = await api().post('/api/v1/messages', { mailboxId: mb.id, to: [user], subject: 'UI OAuth first', text: 'hello over XOAUTH2' });
    expect(sent.status).toBe(202);
    const placed = async () => ((await api().get(`/api/v1/messages/${sent.body.data.id}`)).body.data as { status: string; placements: { placement: string }[] });
    await expect.poll(async () => (await placed()).placements[0]?.placement, { timeout: 45_000 }).toBe('inbox');
    expect((await placed()).status).toBe('sent');
    await nav('Mailboxes').click();
    await row().waitFor();
    expectClean();
  });

  it('removing the app the mailbox signs in with is refused, naming the mailbox', async () => {
    const p = w.page;
    await nav('Settings').click();
    const item = p.getByTestId('oauth-app');
    w.expectFailure('/api/v1/oauth/apps/');
    await item.getByRole('button', { name: `Remove ${APP}` }).click();
    await p.getByRole('dialog', { name: 'Remove OAuth app' }).getByRole('button', { name: 'Remove app' }).click();
    await expect.poll(() => text(item)).toContain('CONFLICT');
    expect(await text(item)).toContain(user);
    expect((await api().get('/api/v1/oauth/apps')).body.data).toHaveLength(1);
    w.errors.splice(0, w.errors.length, ...w.errors.filter((e) => !e.includes('409')));
    expectClean();
  });

  it('a grant revoked at the provider shows Reconnect; signing in again there makes the mailbox active and its waiting mail go', async () => {
    const p = w.page;
    const mb = await mailbox();
    expect(await revokeGrants(oidc, user)).toBeGreaterThan(0);
    // The SMTP session signed in before the revocation stays signed in (the server checked the token when it
    // connected): pausing and resuming closes it, so the next send connects, refreshes and finds the grant gone.
    await nav('Mailboxes').click();
    await p.getByRole('button', { name: `Pause ${user}` }).click();
    await p.getByRole('button', { name: `Resume ${user}` }).click();
    await p.getByRole('button', { name: `Pause ${user}` }).waitFor();
    // The mailbox stops with OAUTH_REVOKED and the mail waits.
    const waiting = await api().post('/api/v1/messages', { mailboxId: mb.id, to: [user], subject: 'UI OAuth waits', text: 'after the revocation' });
    expect(waiting.status).toBe(202);
    const reconnect = p.getByRole('button', { name: `Reconnect ${user}` });
    await reconnect.waitFor({ timeout: 30_000 });
    expect(await text(row())).toContain('OAUTH_REVOKED');
    expect((await mailbox()).lastError?.code).toBe('OAUTH_REVOKED');
    expect((await api().get(`/api/v1/messages/${waiting.body.data.id}`)).body.data.status).not.toBe('sent');
    await w.screenshot('oauth-revoked');

    await signInFrom(() => reconnect.click());
    const dialog = p.getByTestId('reconnect-dialog');
    await expect.poll(signInStatus, { timeout: 15_000 }).toBe('signedIn');
    expect(await text(dialog.getByTestId('signin-account'))).toBe(user);
    await dialog.getByTestId('reconnect-save').click();
    await dialog.getByTestId('reconnect-done').waitFor();
    await dialog.getByRole('button', { name: 'Done' }).click();

    await expect.poll(async () => (await mailbox()).status).toBe('active');
    expect((await mailbox()).lastError).toBeNull();
    await expect.poll(() => reconnect.count()).toBe(0);
    await expect.poll(async () => (await api().get(`/api/v1/messages/${waiting.body.data.id}`)).body.data.status, { timeout: 30_000 }).toBe('sent');
    expectClean();
  });

  it('the connection test of the OAuth mailbox, from its dialog: every stage passes', async () => {
    const p = w.page;
    await p.getByRole('button', { name: `Edit ${user}` }).click();
    const dialog = p.getByRole('dialog', { name: `Mailbox ${user}` });
    expect(await dialog.getByTestId('mailbox-auth').getAttribute('data-kind')).toBe('oauth2');
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    // A refused test shows its words in the form instead of stages: the poll then says which.
    const final = async (id: string) =>
      (await dialog.getByTestId('form-error').count()) > 0 ? `refused: ${await text(dialog.getByTestId('form-error'))}` : (await p.getByTestId('connection-progress').count()) > 0 ? 'testing' : status(id);
    await expect.poll(() => final('stage-imap-select'), { timeout: 30_000 }).toBe('passed');
    for (const proto of ['smtp', 'imap'] as const) {
      for (const stage of ['dns', 'connect', 'tls', 'oauth', 'auth', proto === 'smtp' ? 'send' : 'select']) {
        expect(await status(`stage-${proto}-${stage}`), `${proto} ${stage}`).toBe('passed');
      }
    }
    await w.screenshot('oauth-connection-test');
    await dialog.getByRole('button', { name: 'Done' }).click();
    expectClean();
  });
});
