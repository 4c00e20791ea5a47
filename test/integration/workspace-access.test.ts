// Every API method, one workspace against another: objects made in workspace A are created
// first, then workspace B's admin calls each method of the table with A's references. A method
// that names an object answers NOT_FOUND; a method that lists answers without any trace of A.
// The methods come from the table itself: a new one fails this test until it is placed below.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type MethodName } from '../../shared/api/table';
import type { CallContext } from '../../electron/core/api/context';
import { codeOf, startTestCore, type TestCore } from '../helpers/core';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server';

let k: TestCore;
let dns: TestDnsServer;
let b: CallContext;
/** A's objects (filled in beforeAll). */
const a = { mailbox: '', message: '', token: '', suppression: '', pool: '', recipient: '', webhook: '', delivery: '', dkim: '', placement: '', dmarc: '', alert: '', oauthApp: '', signIn: '', template: '' };
const domainA = 'a-only.test';

beforeAll(async () => {
  dns = await startDnsServer({ [domainA]: [{ type: 'TXT', value: 'v=spf1 ip4:192.0.2.7 -all' }], [`_dmarc.${domainA}`]: [{ type: 'TXT', value: 'v=DMARC1; p=none' }] });
  k = await startTestCore({ warmup: false, dnsServers: [dns.server], webhookAllowPrivate: true });
  const ws = await k.call('workspaces.create', { name: 'Client B' }, { ...k.ctx, owner: true });
  b = { workspaceId: ws.id, scopes: ['admin'] };

  // Port 9 on loopback: nothing listens, so nothing A sends can reach anyone.
  const mbx = await k.call('mailboxes.create', { email: `owner@${domainA}`, provider: 'custom', smtp: { host: '127.0.0.1', port: 9, security: 'none', password: 'pw-a' } });
  a.mailbox = mbx.id;
  a.message = (await k.call('messages.send', { mailboxId: mbx.id, to: ['someone@elsewhere.test'], subject: 'from A', text: 'hello' })).id;
  a.token = (await k.call('tokens.create', { name: 'a-token', scopes: ['read'] })).id;
  a.suppression = (await k.call('suppressions.add', { address: 'blocked@elsewhere.test' })).id;
  a.pool = (await k.call('pool.addRecipient', { address: 'pool@elsewhere.test' })).id;
  a.recipient = (await k.call('recipients.add', { kind: 'seed', address: 'seed@elsewhere.test' })).id;
  a.webhook = (await k.call('webhooks.create', { url: 'http://127.0.0.1:9/hook' })).id;
  a.delivery = (await k.call('webhooks.test', { id: a.webhook })).deliveryId;
  a.oauthApp = (await k.call('oauthApps.set', { provider: 'microsoft', clientId: 'a-client-id', clientSecret: 'pw-a-client-secret', tenant: 'a-only.test' })).id;
  // Builds the URL and opens a loopback listener; nothing is asked of Microsoft.
  a.signIn = (await k.call('oauthSignIns.start', { provider: 'microsoft', appId: a.oauthApp })).id;
  a.template = (await k.call('templates.create', { name: 'A only', subject: 'Hi {{name}}', text: 'from A', variables: [{ name: 'name', required: true }] })).id;
  a.dkim = (await k.call('dkim.create', { domain: domainA, selector: 'a1' })).id;
  a.placement = (await k.call('placementTests.create', { mailboxId: mbx.id, seeds: ['seed@elsewhere.test'], subject: 'placement', text: 'x' })).id;
  const report = fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/dmarc/rfc9990-outlook.xml'));
  a.dmarc = (await k.call('dmarc.upload', { content: Buffer.from(gzipSync(report)).toString('base64') })).report.id;
  a.alert = k.core.services.alerts.raise(k.core.defaultWorkspaceId, { kind: 'blocklist.listed', severity: 'critical', key: 'blocklist:zen.test:192.0.2.7', title: 'listed', detail: '127.0.0.2', ip: '192.0.2.7' })!.id;
  await k.call('checks.domain', { domain: domainA });
});
afterAll(async () => {
  await k?.core.close();
  await dns?.close();
});

/**
 * Methods that name one of A's objects: B must get NOT_FOUND. `readOnly`: A itself gets an answer
 * (the reference is real). `empty`: the method answers a reference it does not know with an empty
 * list rather than NOT_FOUND, so B must get exactly that while A gets its rows.
 */
interface RefCase {
  input: () => object;
  readOnly?: boolean;
  empty?: boolean;
  /** The refusal B gets when not NOT_FOUND: a reference inside a settings object is a field error. */
  code?: string;
}
const byReference: Partial<Record<MethodName, RefCase>> = {
  'tokens.revoke': { input: () => ({ id: a.token }) },
  'mailboxes.get': { input: () => ({ id: a.mailbox }), readOnly: true },
  'mailboxes.update': { input: () => ({ id: a.mailbox, displayName: 'taken by B' }) },
  'mailboxes.pause': { input: () => ({ id: a.mailbox }) },
  'mailboxes.resume': { input: () => ({ id: a.mailbox }) },
  'mailboxes.delete': { input: () => ({ id: a.mailbox }) },
  'mailboxes.test': { input: () => ({ id: a.mailbox }) },
  'mailboxes.activity': { input: () => ({ id: a.mailbox }), readOnly: true },
  'messages.send': { input: () => ({ mailboxId: a.mailbox, to: ['victim@elsewhere.test'], subject: 'from B', text: 'x' }) },
  'messages.get': { input: () => ({ id: a.message }), readOnly: true },
  'messages.retry': { input: () => ({ id: a.message }) },
  'messages.content': { input: () => ({ id: a.message }), readOnly: true },
  'suppressions.remove': { input: () => ({ id: a.suppression }) },
  'warmup.get': { input: () => ({ id: a.mailbox }), readOnly: true },
  'warmup.update': { input: () => ({ id: a.mailbox, enabled: true }) },
  'warmup.pause': { input: () => ({ id: a.mailbox }) },
  'warmup.resume': { input: () => ({ id: a.mailbox }) },
  'warmup.preview': { input: () => ({ mailboxId: a.mailbox }), readOnly: true },
  'warmup.plan': { input: () => ({ id: a.mailbox }), readOnly: true },
  'warmup.stats': { input: () => ({ id: a.mailbox }), readOnly: true },
  'pool.removeRecipient': { input: () => ({ id: a.pool }) },
  'recipients.remove': { input: () => ({ id: a.recipient }) },
  'alerts.acknowledge': { input: () => ({ id: a.alert }) },
  'webhooks.update': { input: () => ({ id: a.webhook, enabled: false }) },
  'webhooks.delete': { input: () => ({ id: a.webhook }) },
  'webhooks.rotateSecret': { input: () => ({ id: a.webhook }) },
  'webhooks.test': { input: () => ({ id: a.webhook }) },
  'webhooks.deliveries': { input: () => ({ id: a.webhook }), readOnly: true },
  'webhooks.redeliver': { input: () => ({ id: a.delivery }) },
  'dkim.delete': { input: () => ({ id: a.dkim }) },
  'dkim.check': { input: () => ({ id: a.dkim }) },
  'dmarc.reports.get': { input: () => ({ id: a.dmarc }), readOnly: true },
  'placementTests.create': { input: () => ({ mailboxId: a.mailbox, seeds: ['seed@elsewhere.test'], subject: 'from B', text: 'x' }) },
  'placementTests.get': { input: () => ({ id: a.placement }), readOnly: true },
  'placementTests.export': { input: () => ({ id: a.placement }), readOnly: true },
  'checks.domainLatest': { input: () => ({ domain: domainA }), readOnly: true },
  'checks.domainHistory': { input: () => ({ domain: domainA }), readOnly: true, empty: true },
  'checks.mailbox': { input: () => ({ id: a.mailbox }), readOnly: true },
  'checks.learnHeaders': { input: () => ({ mailboxId: a.mailbox, headers: 'Received: from x by y; Mon, 23 Nov 2026 10:00:00 +0000\r\nFrom: owner@a-only.test\r\n' }) },
  'health.mailbox': { input: () => ({ id: a.mailbox }), readOnly: true },
  'oauthApps.set': { input: () => ({ id: a.oauthApp, provider: 'microsoft', clientId: 'taken by B', clientSecret: 'from B' }) },
  'oauthApps.remove': { input: () => ({ id: a.oauthApp }) },
  'oauthSignIns.start': { input: () => ({ provider: 'microsoft', appId: a.oauthApp }) },
  'oauthSignIns.get': { input: () => ({ id: a.signIn }), readOnly: true },
  'oauthSignIns.cancel': { input: () => ({ id: a.signIn }) },
  'templates.get': { input: () => ({ id: a.template }), readOnly: true },
  'templates.update': { input: () => ({ id: a.template, name: 'taken by B', subject: 'from B' }) },
  'templates.delete': { input: () => ({ id: a.template }) },
  'templates.preview': { input: () => ({ id: a.template, variables: { name: 'B' } }), readOnly: true },
  'reports.settings.set': { input: () => ({ weekly: { enabled: true, recipient: 'client@elsewhere.test', mailboxId: a.mailbox } }), code: 'VALIDATION_FAILED' },
};

/** Methods that list or summarise the caller's workspace: B's answer must carry nothing of A's. */
const listing: Partial<Record<MethodName, object>> = {
  'workspace.get': {},
  'session.get': {},
  'tokens.list': {},
  'mailboxes.list': {},
  'messages.list': {},
  'messages.export': {},
  'messages.retryMany': { filter: {} },
  'messages.deadLetters': {},
  'messages.discard': { filter: {} },
  'suppressions.list': {},
  'suppressions.export': {},
  'system.localApi': {},
  'warmup.settings.get': {},
  'pool.get': {},
  'fleet.get': {},
  'recipients.list': {},
  'recipients.export': {},
  'preferences.get': {},
  'alerts.list': { state: 'all' },
  'webhooks.list': {},
  'webhooks.deliveryLog': {},
  'dkim.list': {},
  'blocklists.get': {},
  'blocklists.history': {},
  'blocklists.settings.get': {},
  'dmarc.settings.get': {},
  'dmarc.reports': {},
  'dmarc.summary': {},
  'placementTests.list': {},
  'placementTests.schedule.get': {},
  'checks.domains': {},
  'health.compliance': {},
  'system.status': {},
  'oauthApps.list': {},
  'reports.get': { from: '2026-11-01', to: '2026-12-31' },
  'reports.html': { from: '2026-11-01', to: '2026-12-31' },
  'reports.csv': { from: '2026-11-01', to: '2026-12-31' },
  'reports.settings.get': {},
  'templates.list': {},
};

/** Methods that take no reference to another object: why each needs no cross-workspace case. */
const exempt: Partial<Record<MethodName, string>> = {
  'workspaces.list': 'owner only (refused to every token, see workspaces.test.ts)',
  'workspaces.create': 'owner only (refused to every token, see workspaces.test.ts)',
  'providers.list': 'static provider presets, the same for everyone',
  'tokens.create': "creates in the caller's workspace; names nothing",
  'mailboxes.create': "creates in the caller's workspace; names nothing",
  'suppressions.add': "creates in the caller's workspace; names nothing",
  'suppressions.import': "creates in the caller's workspace; names nothing",
  'pool.addRecipient': "creates in the caller's workspace; names nothing",
  'recipients.add': "creates in the caller's workspace; names nothing",
  'recipients.import': "creates in the caller's workspace; names nothing",
  'webhooks.create': "creates in the caller's workspace; names nothing",
  'dkim.create': "creates a key in the caller's workspace; a domain is not owned by a workspace",
  'dmarc.upload': "stores a report in the caller's workspace",
  'dmarc.ingest': "reads the caller's own mailboxes",
  'checks.domain': "a fresh public DNS check, stored in the caller's workspace (A's stays apart: checks.domainLatest)",
  'warmup.settings.update': "the caller's workspace settings",
  'warmup.pauseAll': "acts on the caller's mailboxes only (A's stay as they were, checked below)",
  'warmup.resumeAll': "acts on the caller's mailboxes only",
  'preferences.update': "the caller's workspace settings",
  'blocklists.scan': "scans the caller's targets (would query public DNS zones)",
  'blocklists.settings.update': "the caller's workspace settings",
  'dmarc.settings.update': "the caller's workspace settings",
  'placementTests.schedule.update': "the caller's workspace settings",
  'templates.create': "creates in the caller's workspace; names nothing",
  'reports.pdf': 'prints reports.html (listed above) to PDF; this test core has no printer',
};

describe('cross-workspace access through the API table', () => {
  it('places every method of the table in exactly one group', () => {
    const placed = [...Object.keys(byReference), ...Object.keys(listing), ...Object.keys(exempt)];
    expect([...placed].sort()).toEqual(Object.keys(api).sort());
    expect(new Set(placed).size).toBe(placed.length);
  });

  it("answers NOT_FOUND to workspace B for every method that names one of A's objects", async () => {
    for (const [name, c] of Object.entries(byReference) as [MethodName, RefCase][]) {
      const res = await k.core.call(name, c.input() as never, b);
      if (c.empty) expect(res, `${name} from B`).toEqual({ ok: true, data: [] });
      else expect(res.ok ? 'OK' : res.error.code, `${name} from B`).toBe(c.code ?? 'NOT_FOUND');
      expect(JSON.stringify(res), name).not.toContain('pw-a');
      if (c.readOnly) expect(await codeOf(k.call(name, c.input() as never)), `${name} from A`).toBe('OK');
      if (c.empty) expect(await k.call(name, c.input() as never), `${name} from A`).not.toEqual([]);
    }
  });

  it("lists nothing of A's to workspace B", async () => {
    const traces = [...Object.values(a), domainA, 'elsewhere.test'];
    for (const [name, input] of Object.entries(listing) as [MethodName, object][]) {
      const res = await k.core.call(name, input as never, b);
      expect(res.ok, `${name}: ${JSON.stringify(res)}`).toBe(true);
      const text = JSON.stringify(res);
      for (const t of traces) expect(text, `${name} shows ${t}`).not.toContain(t);
    }
  });

  it("refuses B a send that renders A's template, even from B's own mailbox", async () => {
    const mine = await k.core.call('mailboxes.create', { email: 'owner@b-only.test', provider: 'custom', smtp: { host: '127.0.0.1', port: 9, security: 'none', password: 'pw-b' } }, b);
    expect(mine.ok).toBe(true);
    const res = await k.core.call('messages.send', { mailboxId: mine.ok ? (mine.data as { id: string }).id : '', to: ['victim@elsewhere.test'], templateId: a.template, variables: { name: 'B' } }, b);
    expect(res.ok ? 'OK' : res.error.code).toBe('NOT_FOUND');
    expect(JSON.stringify(res)).not.toContain('from A');
  });

  it("leaves A's objects as they were after B's attempts", async () => {
    expect(await k.call('templates.get', { id: a.template })).toMatchObject({ name: 'A only', version: 1, current: { subject: 'Hi {{name}}' } });
    expect(await k.call('mailboxes.get', { id: a.mailbox })).toMatchObject({ id: a.mailbox, displayName: null });
    expect((await k.call('tokens.list', {})).find((t) => t.id === a.token)).toMatchObject({ revokedAt: null });
    expect((await k.call('webhooks.list', {})).find((w) => w.id === a.webhook)).toMatchObject({ enabled: true });
    expect((await k.call('dkim.list', {})).map((d) => d.id)).toContain(a.dkim);
    expect((await k.call('suppressions.list', {})).items.map((s) => s.id)).toContain(a.suppression);
    expect((await k.call('recipients.list', {})).items.map((r) => r.id)).toContain(a.recipient);
    expect((await k.call('pool.get', {})).external.map((r) => r.id)).toContain(a.pool);
    expect((await k.call('alerts.list', {})).items.find((x) => x.id === a.alert)).toMatchObject({ acknowledgedAt: null });
    expect((await k.call('checks.domainLatest', { domain: domainA })).domain).toBe(domainA);
    const apps = await k.call('oauthApps.list', {});
    expect(apps.find((x) => x.id === a.oauthApp)).toMatchObject({ clientId: 'a-client-id', hasClientSecret: true, tenant: 'a-only.test' });
    expect(JSON.stringify(apps)).not.toContain('pw-a-client-secret');
  });
});
