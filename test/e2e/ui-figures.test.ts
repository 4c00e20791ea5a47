// The same figures on every screen, read off real Chromium against `kiln serve` and compared with
// the API: API mail from one mailbox to an inbox and to a recipient whose own Sieve files all mail
// into Junk (the private mail hub). The Overview's totals, the Mailboxes row, the Health tab's cards
// and score part, and the compliance panel's spam rate must show what the API returns.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Locator } from 'playwright-core';
import { apiClient, createToken, startKiln, type KilnProcess } from '../helpers/kiln';
import { addMailHubUser, setUserSieve } from '../helpers/mailhub';
import { hubAccount, uniqueUser } from '../helpers/imap';
import { launchBrowser, signIn, watchedPage, type WatchedPage } from '../helpers/browser';
import { waitFor } from '../helpers/wait';

const hub = inject('mailhub');
const sender = uniqueUser('ui-fig-sender');
const inboxBox = uniqueUser('ui-fig-inbox');
const junkBox = uniqueUser('ui-fig-junk');
let kiln: KilnProcess;
let context: BrowserContext;
let w: WatchedPage;
let api: ReturnType<typeof apiClient>;
let senderId: string;

const text = async (l: Locator) => ((await l.textContent()) ?? '').trim();
const eventually = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { interval: 100, timeout: 15_000 });

beforeAll(async () => {
  for (const u of [sender, inboxBox, junkBox]) await addMailHubUser(hub, u.address, u.password);
  setUserSieve(hub, junkBox.address, 'require ["fileinto", "mailbox"];\nfileinto :create "Junk";\n');
  kiln = await startKiln({ env: { KILN_CA_FILE: hub.caCertPath } });
  const token = await createToken(kiln.dataDir, 'admin');
  api = apiClient(kiln.url, token);
  expect((await api.patch('/api/v1/warmup/settings', { limits: { mailboxPerMinute: 60, mailboxPerHour: 1000, domainPerMinute: 1000, minGapMinutes: 0 } })).status).toBe(200);
  senderId = (await api.post('/api/v1/mailboxes', { email: sender.address, ...hubAccount(hub, sender) })).body.data.id;
  for (const u of [inboxBox, junkBox]) expect((await api.post('/api/v1/mailboxes', { email: u.address, ...hubAccount(hub, u) })).status).toBe(201);
  for (const [to, subject] of [[inboxBox, 'Notes'], [junkBox, 'Invoice'], [junkBox, 'Reminder']] as const) {
    expect((await api.post('/api/v1/messages', { mailboxId: senderId, to: [to.address], subject, text: 'hello' })).status).toBe(202);
  }
  await waitFor(
    async () => {
      const row = (await api.get('/api/v1/fleet')).body.data.mailboxes.find((m: { id: string }) => m.id === senderId);
      return row.today.inbox === 1 && row.today.spam === 2 ? true : undefined;
    },
    // Junk is polled (once a minute in `kiln serve`), not watched over IDLE like the INBOX.
    { timeoutMs: 100_000, intervalMs: 500, what: 'the three messages to be seen in their folders' },
  );
  context = await launchBrowser();
  w = await watchedPage(context);
  await signIn(w, kiln.url, token);
}, 150_000);
afterAll(async () => {
  await context?.close();
  await kiln?.stop();
});

describe('web UI: one figure, one number on every screen', { timeout: 90_000 }, () => {
  it('Overview, Mailboxes, Health tab and compliance show what the API counts', async () => {
    const fleet = (await api.get('/api/v1/fleet')).body.data;
    const row = fleet.mailboxes.find((m: { id: string }) => m.id === senderId);
    const health = (await api.get(`/api/v1/mailboxes/${senderId}/health`)).body.data;
    const compliance = (await api.get('/api/v1/compliance')).body.data.find((c: { domain: string }) => c.domain === 'warm.test');
    const p = w.page;

    // Overview: the API's totals.
    await p.getByRole('link', { name: 'Overview' }).click();
    const card = (key: string) => p.getByTestId(`today-${key}`).locator('.value');
    await eventually(() => text(card('spam'))).toBe(String(fleet.totals.spam));
    expect(await text(card('inbox'))).toBe(String(fleet.totals.inbox));
    expect(fleet.totals.spam).toBe(2);

    // Mailboxes: the row's Inbox 7 d.
    await p.getByRole('link', { name: 'Mailboxes' }).click();
    const tr = p.locator(`tr[data-mailbox="${sender.address}"]`);
    await eventually(() => text(tr.locator('td').nth(3))).toBe(`${Math.round(row.inboxRate7d * 100)}%`);

    // Health tab: today's placements, the 7-day share and the score's placement part.
    await tr.getByRole('link', { name: sender.address }).click();
    const plan = (key: string) => p.getByTestId(`plan-${key}`).locator('.value');
    await eventually(() => text(plan('spam-today'))).toBe(String(row.today.spam));
    expect(await text(plan('inbox-today'))).toBe(String(row.today.inbox));
    expect(await text(plan('inbox-7d'))).toBe(`${Math.round(row.inboxRate7d * 100)}%`);
    const placement = health.components.find((c: { part: string }) => c.part === 'placement');
    await eventually(() => text(p.locator('li[data-part="placement"] .part-detail'))).toContain(placement.detail);

    // Compliance: the spam rate as the API judged it, drawn as its verdict.
    await p.getByRole('link', { name: 'Deliverability', exact: true }).click();
    const rule = p.locator(`section.domain-card[data-domain="warm.test"] tr[data-rule="spamRate"]`);
    const spamRate = compliance.items.find((i: { rule: string }) => i.rule === 'spamRate');
    await eventually(() => text(rule.locator('td').nth(2))).toBe(spamRate.detail);
    expect(spamRate.detail).toContain('3 placements');
    expect(await rule.locator('.verdict').getAttribute('data-verdict')).toBe(spamRate.verdict.state);
    expect(w.errors).toEqual([]);
  });
});
