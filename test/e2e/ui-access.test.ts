// The web UI as a read, a send and an admin token see it, in real Chromium against `kiln serve`:
// every screen (Overview with an open alert, Mailboxes, a mailbox's three tabs, the three
// recipient lists, every Deliverability tab and a domain's report, Settings) is visited with data
// on it. A read token sees the data and no control it could not use, and no request is refused;
// a send token may check domains and run placement tests, nothing more; an admin sees it all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { apiClient, createToken, startKiln, type KilnProcess } from '../helpers/kiln';
import { startDnsServer, type TestDnsServer, type ZoneRecord } from '../helpers/dns-server';
import { launchBrowser, signIn, watchedPage, type WatchedPage } from '../helpers/browser';
import { waitFor } from '../helpers/wait';

const DOMAIN = 'ro.test';
const MAILBOX = `owner@${DOMAIN}`;

let dns: TestDnsServer;
let kiln: KilnProcess;
let api: ReturnType<typeof apiClient>;
let mailboxId: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  const mx: ZoneRecord = { type: 'MX', value: { exchange: `mx.${DOMAIN}`, priority: 10 } };
  dns = await startDnsServer({ [DOMAIN]: [{ type: 'TXT', value: 'v=spf1 ip4:127.0.0.1 -all' }, mx] });
  kiln = await startKiln({ args: ['--no-feedback'], env: { KILN_DNS_SERVERS: dns.server } });
  api = apiClient(kiln.url, await createToken(kiln.dataDir, 'admin'));
  const server = { host: '127.0.0.1', port: 1, security: 'none', user: MAILBOX, password: 'not-used' };
  const created = await api.post('/api/v1/mailboxes', { email: MAILBOX, smtp: server, imap: server });
  expect(created.status).toBe(201);
  mailboxId = created.body.data.id;
  expect((await api.post('/api/v1/recipients', { kind: 'seed', address: 'seed@seeds.test' })).status).toBe(201);
  expect((await api.post('/api/v1/recipients', { kind: 'contact', address: 'ana@contacts.test', name: 'Ana' })).status).toBe(201);
  expect((await api.post('/api/v1/pool/recipients', { address: 'friend@partner.test' })).status).toBe(201);
  expect((await api.post('/api/v1/dkim/keys', { domain: DOMAIN })).status).toBe(201);
  // The SPF record goes away between two checks: an open "SPF fails" alert for the Overview.
  expect((await api.post(`/api/v1/checks/domains/${DOMAIN}`, {})).status).toBe(200);
  dns.set(DOMAIN, [mx]);
  expect((await api.post(`/api/v1/checks/domains/${DOMAIN}`, {})).status).toBe(200);
  await waitFor(async () => (await api.get('/api/v1/alerts')).body.data.items.length > 0, { what: 'an open alert' });
}, 90_000);
afterAll(async () => {
  for (const c of contexts) await c.close();
  await kiln?.stop();
  await dns?.close();
});

interface Control {
  name: string;
  disabled: boolean;
}

/** Every button and switch visible in the screen's main area, by accessible name. */
async function controls(w: WatchedPage): Promise<Control[]> {
  return w.page.locator('main').evaluate((main) =>
    Array.from(main.querySelectorAll('button, input[type="checkbox"], input[type="file"]'))
      .filter((el) => (el as HTMLElement).offsetParent !== null)
      .map((el) => ({
        name: (el.getAttribute('aria-label') ?? (el instanceof HTMLInputElement ? (el.labels?.[0]?.textContent ?? el.type) : el.textContent) ?? '').trim(),
        disabled: (el as HTMLButtonElement | HTMLInputElement).matches(':disabled'),
      })),
  );
}

/** The screens of the tour, each with what shows it has its data. */
const screens = (): Array<[string, string, string]> => [
  ['overview', '#/', '[data-testid="check-alerts"] li'],
  ['mailboxes', '#/mailboxes', `tr[data-mailbox="${MAILBOX}"]`],
  ['mailbox-health', `#/mailboxes/${mailboxId}`, '[data-testid="domain-checks"]'],
  ['mailbox-ramp', `#/mailboxes/${mailboxId}/ramp`, '[data-testid="ramp-preview-last"]:not(:text("…"))'],
  ['mailbox-activity', `#/mailboxes/${mailboxId}/activity`, 'text=No activity yet'],
  ['recipients-pool', '#/recipients', 'tr[data-address="friend@partner.test"]'],
  ['domains', '#/deliverability?tab=domains', `[data-domain="${DOMAIN}"][data-status]`],
  ['domain-report', `#/deliverability?tab=domains&domain=${DOMAIN}`, '[data-testid="domain-report"]'],
  ['blocklists', '#/deliverability?tab=blocklists', 'form[aria-label="Blocklist settings"]'],
  ['dmarc', '#/deliverability?tab=dmarc', 'form[aria-label="DMARC reports mailbox"]'],
  ['placement', '#/deliverability?tab=placement', 'form[aria-label="Weekly placement test"]'],
  ['alerts', '#/deliverability?tab=alerts', '[data-testid="alert-list"] li'],
  ['settings', '#/settings', '[data-testid="dkim-keys"] li'],
];

/** Sign in with a token of `scope` and visit every screen; the controls seen on each. */
async function tour(scope: string): Promise<{ w: WatchedPage; seen: Map<string, Control[]> }> {
  const context = await launchBrowser();
  contexts.push(context);
  const w = await watchedPage(context);
  await signIn(w, kiln.url, await createToken(kiln.dataDir, scope));
  const seen = new Map<string, Control[]>();
  for (const [name, hash, ready] of screens()) {
    await w.page.evaluate((h) => (location.hash = h), hash);
    await w.page.locator(ready).first().waitFor();
    await w.page.locator('.loading, [aria-busy="true"]').first().waitFor({ state: 'detached' }).catch(() => undefined);
    seen.set(name, await controls(w));
    if (name === 'recipients-pool') {
      for (const tab of ['Seeds', 'Contacts']) {
        await w.page.getByRole('tab', { name: tab }).click();
        await w.page.locator('tr[data-address]').first().waitFor();
        seen.set(`recipients-${tab.toLowerCase()}`, await controls(w));
        // Kiln sends contacts nothing yet: no screen promises broadcasts.
        expect(await w.page.locator('main').textContent()).not.toMatch(/broadcast/i);
      }
    }
  }
  return { w, seen };
}

const names = (seen: Map<string, Control[]>, screen: string, enabledOnly = false) => (seen.get(screen) ?? []).filter((c) => !enabledOnly || !c.disabled).map((c) => c.name);
const all = (seen: Map<string, Control[]>, enabledOnly = false) => [...seen.keys()].flatMap((s) => names(seen, s, enabledOnly).map((n) => `${s}: ${n}`));

// Controls that change something: never shown to a token that may not, never enabled for it.
const CHANGES = /: (Add|Edit|Pause|Resume|Delete|Create|Import|Revoke|Scan now|Check now|Check\b|Mark|Run test|Read reports|Upload|Or upload|Save|Send|Remove|Warmup on|Receive warmup|Discard|Use )/;

describe('web UI by token scope', { timeout: 180_000 }, () => {
  it('a read token sees every screen with its data, no control it cannot use, and no refused request', async () => {
    const { w, seen } = await tour('read');
    expect(await w.page.getByTestId('access-badge').textContent()).toBe('Read-only access');
    expect(all(seen).filter((c) => /: (Add|Edit|Pause|Resume|Delete|Create|Import|Revoke|Scan now|Check now|Mark|Run test|Read reports|Remove)/.test(c))).toEqual([]);
    expect(all(seen, true).filter((c) => CHANGES.test(c))).toEqual([]);
    // What it may do stays: export the lists, switch tabs and filters, read more.
    expect(names(seen, 'recipients-seeds')).toContain('Export CSV');
    // The settings it may read show, those listed to admins only do not.
    expect(await w.page.getByRole('heading', { name: 'API tokens' }).count()).toBe(0);
    expect(await w.page.getByRole('heading', { name: 'Webhooks' }).count()).toBe(0);
    expect(await w.page.getByTestId('read-only-note').first().textContent()).toContain('needs a token with the “admin” scope');
    expect(w.errors).toEqual([]);
    expect(w.failedRequests).toEqual([]);
    await w.screenshot('access-read-settings');
    await w.page.evaluate(() => (location.hash = '#/mailboxes'));
    expect(await w.page.getByTestId('mailbox-count').textContent()).toBe('1 mailbox');
  });

  it('a send token may check domains and run placement tests, and change nothing else', async () => {
    const { w, seen } = await tour('send');
    expect(await w.page.getByTestId('access-badge').textContent()).toBe('Limited access (send)');
    expect(names(seen, 'domains', true)).toContain(`Check now: ${DOMAIN}`);
    expect(names(seen, 'domain-report', true)).toContain('Check now');
    expect(names(seen, 'placement')).toContain('Run test');
    const allowed = /: (Check now|Check$|Run test)/;
    expect(all(seen, true).filter((c) => CHANGES.test(c) && !allowed.test(c))).toEqual([]);
    expect(w.errors).toEqual([]);
    expect(w.failedRequests).toEqual([]);
  });

  it('an admin token sees every control', async () => {
    const { w, seen } = await tour('admin');
    expect(await w.page.getByTestId('access-badge').count()).toBe(0);
    expect(names(seen, 'overview', true)).toEqual(expect.arrayContaining([expect.stringMatching(/^Mark ".*" as seen$/)]));
    expect(names(seen, 'mailboxes', true)).toEqual(expect.arrayContaining(['Add mailbox', `Edit ${MAILBOX}`, `Pause ${MAILBOX}`, `Delete ${MAILBOX}`]));
    expect(names(seen, 'mailbox-health', true)).toEqual(expect.arrayContaining(['Edit settings']));
    expect(names(seen, 'mailbox-ramp', true)).toEqual(expect.arrayContaining(['Gentle']));
    expect(names(seen, 'recipients-pool', true)).toEqual(expect.arrayContaining(['Add to pool', 'Remove friend@partner.test from the pool']));
    expect(names(seen, 'recipients-seeds', true)).toEqual(expect.arrayContaining(['Import CSV', 'Remove seed@seeds.test']));
    expect(names(seen, 'blocklists', true)).toContain('Scan now');
    expect(names(seen, 'dmarc')).toContain('Read reports now');
    expect(names(seen, 'alerts', true)).toEqual(expect.arrayContaining([expect.stringMatching(/^Mark ".*" as seen$/)]));
    expect(names(seen, 'settings')).toEqual(expect.arrayContaining(['Create token', 'Add DKIM key', 'Add webhook', expect.stringMatching(/^Delete the DKIM key \S+ of ro\.test$/)]));
    expect(w.errors).toEqual([]);
    expect(w.failedRequests).toEqual([]);
  });
});
