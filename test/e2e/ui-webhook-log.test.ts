// Settings → Webhooks in real Chromium against `kiln serve`: a webhook's event filter is edited to
// take message events, and the delivery log shows a delivery's attempts and payload; Redeliver
// sends it again to the receiver on 127.0.0.1 with the same webhook-id.
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator } from 'playwright-core';
import { apiClient, createToken, startKiln, type KilnProcess } from '../helpers/kiln';
import { launchBrowser, signIn, watchedPage, type WatchedPage } from '../helpers/browser';

let kiln: KilnProcess;
let context: BrowserContext;
let w: WatchedPage;
let api: ReturnType<typeof apiClient>;
const got: { headers: IncomingHttpHeaders; body: string }[] = [];
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(200).end();
  });
});
let url: string;

const text = async (l: Locator) => (await l.textContent()) ?? '';
const eventually = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { interval: 100, timeout: 15_000 });

beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/log-hook`;
  kiln = await startKiln({ env: { KILN_WEBHOOK_ALLOW_PRIVATE: '1' } });
  const token = await createToken(kiln.dataDir, 'admin');
  api = apiClient(kiln.url, token);
  context = await launchBrowser();
  w = await watchedPage(context);
  await signIn(w, kiln.url, token);
}, 60_000);
afterAll(async () => {
  await context?.close();
  await kiln?.stop();
  receiver.closeAllConnections();
  await new Promise((r) => receiver.close(r));
});

describe('webhook delivery log', () => {
  it('edits the event filter, shows a delivery with its attempts and payload, and redelivers it with the same webhook-id', async () => {
    const hook = (await api.post('/api/v1/webhooks', { url, description: 'Log receiver' })).body.data as { id: string; events: string[] };
    expect(hook.events).toEqual(['alert.raised', 'alert.resolved']);
    await api.post(`/api/v1/webhooks/${hook.id}/test`, {});
    expect(got).toHaveLength(1);
    const p = w.page;
    await p.goto(`${kiln.url}/#/settings`);

    const item = p.locator(`li.webhook[data-url="${url}"]`);
    await item.getByRole('button', { name: 'Events of Log receiver' }).click();
    await item.getByRole('checkbox', { name: 'a message is sent' }).check();
    await item.getByRole('checkbox', { name: 'a copy lands (inbox, spam, other, missing)' }).check();
    await item.getByRole('button', { name: 'Save events' }).click();
    await eventually(async () => ((await api.get('/api/v1/webhooks')).body.data[0] as { events: string[] }).events).toEqual(['alert.raised', 'alert.resolved', 'message.sent', 'message.placed']);

    const row = p.getByTestId('webhook-log').locator('li[data-type="webhook.test"]');
    await eventually(() => row.getAttribute('data-status')).toBe('delivered');
    const id = got[0]!.headers['webhook-id'] as string;
    expect(await row.getAttribute('data-id')).toBe(id);
    await row.getByText(/1 attempt and payload/).click();
    expect(await text(row.getByTestId('webhook-log-attempts'))).toMatch(/HTTP 200/);
    expect(JSON.parse(await text(row.getByTestId('webhook-log-payload')))).toEqual(JSON.parse(got[0]!.body));

    await row.getByRole('button', { name: `Redeliver ${id}` }).click();
    await eventually(() => got.length).toBe(2);
    expect(got[1]!.headers['webhook-id']).toBe(id);
    expect(got[1]!.body).toBe(got[0]!.body);
    await p.getByRole('button', { name: 'Refresh the delivery log' }).click();
    await eventually(() => text(p.getByTestId('webhook-log').locator('li[data-type="webhook.test"]').getByText(/attempts? and payload/))).toMatch(/^2 attempts/);

    // The status filter: nothing failed.
    await p.getByLabel('Status', { exact: true }).selectOption('failed');
    await eventually(() => p.getByText('Nothing matches these filters').count()).toBe(1);
    expect(w.errors).toEqual([]);
  });
});
