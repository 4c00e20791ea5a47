// Alert webhooks end to end against real HTTP receivers on 127.0.0.1: an alert raised in the core
// reaches the receiver signed (Standard Webhooks), failures are retried on the simulated clock
// with the same webhook-id, timeouts count as failures, private targets are refused when not
// allowed (at registration and again at delivery, with nothing connected to), the signing secret
// never leaves the secret store except in the one response that creates it, and pending
// deliveries survive a restart. Every test runs in its own workspace so receivers never mix.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LookupAddress } from 'node:dns';
import type { PushEvent } from '../../shared/api/events';
import type { CallContext } from '../../electron/core/api/context';
import type { AlertInput } from '../../shared/domain/alert';
import type { WebhookDelivery } from '../../shared/domain/webhook';
import { verifyWebhook } from '../../electron/core/webhooks/sign';
import { postWebhook } from '../../electron/core/webhooks/post';
import { codeOf, startTestCore, type TestCore } from '../helpers/core';
import { apiClient, tempDataDir } from '../helpers/kiln';
import { createServer } from '../../electron/server/app';
import { waitFor } from '../helpers/wait';

type Answer = 200 | 204 | 302 | 500 | 'hang';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on 127.0.0.1 answering from a script (then `fallback`). */
class Receiver {
  readonly requests: Received[] = [];
  connections = 0;
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = this.script.shift() ?? this.fallback;
      if (answer === 'hang') return; // never answers; the socket is closed by the client's deadline
      if (answer === 302) res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end();
      else res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer >= 500 ? 'receiver broke\n' : '');
    });
  });

  constructor(
    private script: Answer[] = [],
    public fallback: Answer = 200,
  ) {
    this.server.on('connection', () => this.connections++);
  }

  async listen(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(p = '/hook'): string {
    return `http://127.0.0.1:${this.port}${p}`;
  }

  answer(...script: Answer[]): void {
    this.script.push(...script);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

const receivers: Receiver[] = [];
const receiver = async (script: Answer[] = [], fallback: Answer = 200) => {
  const r = await new Receiver(script, fallback).listen();
  receivers.push(r);
  return r;
};

let k: TestCore;
const events: PushEvent[] = [];
/** Every secret Kiln handed out, to look for afterwards in files, logs and outputs. */
const secrets: string[] = [];
let wsCount = 0;

async function workspace(core: TestCore = k): Promise<CallContext> {
  const id = `ws_webhooks_${++wsCount}`;
  await core.core.services.db.kysely
    .insertInto('workspaces')
    .values({ id, slug: `webhooks-${wsCount}`, name: `Webhooks ${wsCount}`, created_at: core.clock.now() })
    .execute();
  return { workspaceId: id, scopes: ['admin'] };
}

const alert = (key: string): AlertInput => ({ kind: 'blocklist.listed', severity: 'critical', key, title: `${key} listed`, detail: '127.0.0.2', ip: '192.0.2.1' });

async function register(ctx: CallContext, url: string, extra: { events?: ('alert.raised' | 'alert.resolved' | 'webhook.test')[]; core?: TestCore } = {}) {
  const created = await (extra.core ?? k).call('webhooks.create', { url, description: 'test receiver', ...(extra.events ? { events: extra.events } : {}) }, ctx);
  secrets.push(created.secret);
  return created;
}

async function deliveries(ctx: CallContext, webhookId: string, core: TestCore = k): Promise<WebhookDelivery[]> {
  return (await core.call('webhooks.deliveries', { id: webhookId }, ctx)).items;
}

/** Wait until the webhook's newest delivery satisfies `ok`. */
function waitDelivery(ctx: CallContext, webhookId: string, ok: (d: WebhookDelivery) => boolean, what: string, core: TestCore = k) {
  return waitFor(
    async () => {
      const [d] = await deliveries(ctx, webhookId, core);
      return d && ok(d) ? d : undefined;
    },
    { what, timeoutMs: 15_000 },
  );
}

/** Move the simulated clock just past a delivery's next attempt. */
function advancePast(d: WebhookDelivery, core: TestCore = k): void {
  core.advance(Date.parse(d.nextAttemptAt!) - core.clock.now() + 1_000);
}

const verifies = (secret: string, r: Received, nowMs: number) => verifyWebhook(secret, r.headers, r.body, 300, nowMs);

beforeAll(async () => {
  k = await startTestCore({ warmup: false, webhookAllowPrivate: true, webhookTimeoutMs: 1_500 });
  k.core.subscribe((e) => e.name === 'webhook.updated' && events.push(e));
});
afterAll(async () => {
  await k?.core.close();
  await Promise.all(receivers.map((r) => r.close()));
});

describe('webhook delivery', () => {
  it('delivers a raised alert, signed so that the secret from creation verifies it', async () => {
    const ctx = await workspace();
    const rx = await receiver();
    const hook = await register(ctx, rx.url());
    expect(hook).toMatchObject({ url: rx.url(), events: ['alert.raised', 'alert.resolved'], enabled: true, description: 'test receiver' });
    expect(hook.secret).toMatch(/^whsec_/);

    const raised = k.core.services.alerts.raise(ctx.workspaceId, alert('listing:a'))!;
    await waitFor(() => rx.requests.length === 1, { what: 'the alert at the receiver' });
    const [got] = rx.requests;
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers['webhook-id']).toMatch(/^whd_/);
    expect(got!.headers['webhook-timestamp']).toBe(String(Math.floor(k.clock.now() / 1000)));
    expect(got!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(JSON.parse(got!.body)).toEqual({ type: 'alert.raised', timestamp: raised.raisedAt, workspaceId: ctx.workspaceId, data: raised });
    expect(verifies(hook.secret, got!, k.clock.now())).toBe(true);

    const d = await waitDelivery(ctx, hook.id, (x) => x.status === 'delivered', 'delivered');
    expect(d).toMatchObject({ id: got!.headers['webhook-id'], type: 'alert.raised', attempts: 1, lastStatusCode: 200, lastError: null, nextAttemptAt: null });
    expect(d.attemptLog).toEqual([expect.objectContaining({ statusCode: 200, error: null })]);

    // The resolution follows the same way.
    k.core.services.alerts.resolve(ctx.workspaceId, 'listing:a');
    await waitFor(() => rx.requests.length === 2, { what: 'the resolution at the receiver' });
    expect(JSON.parse(rx.requests[1]!.body)).toMatchObject({ type: 'alert.resolved', data: { id: raised.id, state: 'resolved' } });
    expect(verifies(hook.secret, rx.requests[1]!, k.clock.now())).toBe(true);
  });

  it('fails verification for a tampered body, a replay with an old timestamp, or another secret', async () => {
    const ctx = await workspace();
    const rx = await receiver();
    const hook = await register(ctx, rx.url());
    k.core.services.alerts.raise(ctx.workspaceId, alert('listing:b'));
    await waitFor(() => rx.requests.length === 1, { what: 'the alert at the receiver' });
    const got = rx.requests[0]!;
    const now = k.clock.now();
    expect(verifies(hook.secret, got, now)).toBe(true);
    expect(verifies(hook.secret, { ...got, body: got.body.replace('"critical"', '"info"') }, now)).toBe(false);
    expect(verifies(hook.secret, got, now + 10 * 60_000)).toBe(false);
    expect(verifies(secrets[0]!, got, now)).toBe(false);
  });

  it('retries a receiver answering 500 twice, then delivers with 3 attempts and one webhook-id', async () => {
    const ctx = await workspace();
    const rx = await receiver([500, 500]);
    const hook = await register(ctx, rx.url());
    k.core.services.alerts.raise(ctx.workspaceId, alert('listing:c'));

    const first = await waitDelivery(ctx, hook.id, (d) => d.attempts === 1, 'first attempt');
    expect(first).toMatchObject({ status: 'pending', lastStatusCode: 500, lastError: 'HTTP 500: receiver broke' });
    // 30 s ± 10 % jitter on the simulated clock, then 2 min ± 10 %.
    const wait1 = Date.parse(first.nextAttemptAt!) - k.clock.now();
    expect(wait1).toBeGreaterThanOrEqual(27_000);
    expect(wait1).toBeLessThanOrEqual(33_000);
    advancePast(first);
    const second = await waitDelivery(ctx, hook.id, (d) => d.attempts === 2, 'second attempt');
    const wait2 = Date.parse(second.nextAttemptAt!) - k.clock.now();
    expect(wait2).toBeGreaterThanOrEqual(108_000);
    expect(wait2).toBeLessThanOrEqual(132_000);
    advancePast(second);
    const done = await waitDelivery(ctx, hook.id, (d) => d.status === 'delivered', 'delivered after retries');

    expect(done.attempts).toBe(3);
    expect(done.attemptLog.map((a) => a.statusCode)).toEqual([500, 500, 200]);
    expect(rx.requests).toHaveLength(3);
    expect(new Set(rx.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([done.id]));
    // A fresh timestamp and signature on each attempt; the body is the same bytes.
    expect(new Set(rx.requests.map((r) => r.headers['webhook-timestamp'])).size).toBe(3);
    expect(new Set(rx.requests.map((r) => r.body)).size).toBe(1);
    const last = rx.requests[2]!;
    expect(verifies(hook.secret, last, Number(last.headers['webhook-timestamp']) * 1000)).toBe(true);
    // The failure streak ended with the success.
    const [listed] = await k.call('webhooks.list', {}, ctx);
    expect(listed).toMatchObject({ consecutiveFailures: 0, failingSince: null, enabled: true });
  });

  it('a redelivery gets the whole retry schedule again: failed once more after 6 attempts, it is retried and arrives', async () => {
    const ctx = await workspace();
    // Six failures use up the schedule; the redelivered attempt fails once more, then the receiver is back.
    const rx = await receiver([500, 500, 500, 500, 500, 500, 500], 200);
    const hook = await register(ctx, rx.url());
    k.core.services.alerts.raise(ctx.workspaceId, alert('listing:redeliver'));
    for (let attempt = 1; attempt < 6; attempt++) advancePast(await waitDelivery(ctx, hook.id, (d) => d.attempts === attempt, `attempt ${attempt}`));
    const failed = await waitDelivery(ctx, hook.id, (d) => d.status === 'failed', 'given up after 6 attempts');
    expect(failed).toMatchObject({ attempts: 6, nextAttemptAt: null });

    const again = await k.call('webhooks.redeliver', { id: failed.id }, ctx);
    expect(again).toMatchObject({ id: failed.id, status: 'pending', attempts: 6 });
    // The redelivered attempt fails: a retry is scheduled 30 s (± 10 %) later, as for a first attempt.
    const retrying = await waitDelivery(ctx, hook.id, (d) => d.attemptLog.length === 7, 'the redelivered attempt');
    expect(retrying).toMatchObject({ status: 'pending', attempts: 7, lastStatusCode: 500 });
    const wait = Date.parse(retrying.nextAttemptAt!) - k.clock.now();
    expect(wait).toBeGreaterThanOrEqual(27_000);
    expect(wait).toBeLessThanOrEqual(33_000);
    advancePast(retrying);
    const done = await waitDelivery(ctx, hook.id, (d) => d.status === 'delivered', 'delivered after the redelivery was retried');
    expect(done.attemptLog.map((a) => a.statusCode)).toEqual([500, 500, 500, 500, 500, 500, 500, 200]);
    expect(done.attempts).toBe(8);
    expect(rx.requests).toHaveLength(8);
    expect(new Set(rx.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([failed.id]));
  });

  it('times out a receiver that never answers and retries it', async () => {
    const ctx = await workspace();
    const rx = await receiver(['hang']);
    const hook = await register(ctx, rx.url());
    k.core.services.alerts.raise(ctx.workspaceId, alert('listing:d'));
    const first = await waitDelivery(ctx, hook.id, (d) => d.attempts === 1, 'timed-out attempt');
    expect(first).toMatchObject({ status: 'pending', lastStatusCode: null, lastError: 'timeout after 1500 ms' });
    advancePast(first);
    const done = await waitDelivery(ctx, hook.id, (d) => d.status === 'delivered', 'delivered after the timeout');
    expect(done.attempts).toBe(2);
    expect(rx.requests.map((r) => r.headers['webhook-id'])).toEqual([done.id, done.id]);
  });

  it('does not follow redirects: a 3xx is a failed attempt', async () => {
    const ctx = await workspace();
    const rx = await receiver([302]);
    const hook = await register(ctx, rx.url());
    k.core.services.alerts.raise(ctx.workspaceId, alert('listing:e'));
    const first = await waitDelivery(ctx, hook.id, (d) => d.attempts === 1, 'redirected attempt');
    expect(first).toMatchObject({ status: 'pending', lastStatusCode: 302, lastError: 'HTTP 302: redirects are not followed' });
    expect(rx.requests).toHaveLength(1);
    advancePast(first);
    await waitDelivery(ctx, hook.id, (d) => d.status === 'delivered', 'delivered');
  });

  it('sends only the subscribed events, and nothing to a disabled webhook', async () => {
    const ctx = await workspace();
    const resolvedOnly = await receiver();
    const off = await receiver();
    await register(ctx, resolvedOnly.url(), { events: ['alert.resolved'] });
    const offHook = await register(ctx, off.url());
    const updated = await k.call('webhooks.update', { id: offHook.id, enabled: false }, ctx);
    expect(updated.enabled).toBe(false);
    k.core.services.alerts.raise(ctx.workspaceId, alert('listing:f'));
    k.core.services.alerts.resolve(ctx.workspaceId, 'listing:f');
    await waitFor(() => resolvedOnly.requests.length === 1, { what: 'the resolution' });
    expect(JSON.parse(resolvedOnly.requests[0]!.body).type).toBe('alert.resolved');
    expect(await deliveries(ctx, offHook.id)).toEqual([]);
    expect(off.connections).toBe(0);
  });

  it('pings on request with webhooks.test, once, and reports the answer', async () => {
    const ctx = await workspace();
    const rx = await receiver([200, 500]);
    const hook = await register(ctx, rx.url());
    const ok = await k.call('webhooks.test', { id: hook.id }, ctx);
    expect(ok).toMatchObject({ delivered: true, statusCode: 200, error: null });
    expect(JSON.parse(rx.requests[0]!.body)).toMatchObject({ type: 'webhook.test', workspaceId: ctx.workspaceId, data: { webhookId: hook.id } });
    expect(rx.requests[0]!.headers['webhook-id']).toBe(ok.deliveryId);
    expect(verifies(hook.secret, rx.requests[0]!, k.clock.now())).toBe(true);

    const bad = await k.call('webhooks.test', { id: hook.id }, ctx);
    expect(bad).toMatchObject({ delivered: false, statusCode: 500, error: 'HTTP 500: receiver broke' });
    const [latest] = await deliveries(ctx, hook.id);
    // Settled at once: a ping is never retried.
    expect(latest).toMatchObject({ id: bad.deliveryId, type: 'webhook.test', status: 'failed', attempts: 1, nextAttemptAt: null });
    expect(rx.requests).toHaveLength(2);
  });

  it('rotates the secret: both signatures during the grace period, only the new one after', async () => {
    const ctx = await workspace();
    const rx = await receiver();
    const hook = await register(ctx, rx.url());
    const rotated = await k.call('webhooks.rotateSecret', { id: hook.id, graceHours: 1 }, ctx);
    secrets.push(rotated.secret);
    expect(rotated.secret).not.toBe(hook.secret);
    expect(rotated.previousSecretUntil).not.toBeNull();
    await k.call('webhooks.test', { id: hook.id }, ctx);
    const during = rx.requests[0]!;
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifies(rotated.secret, during, k.clock.now())).toBe(true);
    expect(verifies(hook.secret, during, k.clock.now())).toBe(true);

    k.advance(2 * 3_600_000);
    await k.call('webhooks.test', { id: hook.id }, ctx);
    const after = rx.requests[1]!;
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(verifies(rotated.secret, after, k.clock.now())).toBe(true);
    expect(verifies(hook.secret, after, k.clock.now())).toBe(false);

    const again = await k.call('webhooks.rotateSecret', { id: hook.id, graceHours: 0 }, ctx);
    secrets.push(again.secret);
    expect(again.previousSecretUntil).toBeNull();
    await k.call('webhooks.test', { id: hook.id }, ctx);
    expect(verifies(again.secret, rx.requests[2]!, k.clock.now())).toBe(true);
    expect(verifies(rotated.secret, rx.requests[2]!, k.clock.now())).toBe(false);
  });

  it('gives up after 6 attempts, and turns a webhook off after 20 failures in a row over 24 h', async () => {
    const ctx = await workspace();
    const rx = await receiver([], 500);
    const hook = await register(ctx, rx.url());
    const start = k.clock.now();
    for (const key of ['g1', 'g2', 'g3', 'g4']) k.core.services.alerts.raise(ctx.workspaceId, alert(key));
    // Walk the retry schedule: 30 s, 2 min, 10 min, 1 h, 6 h.
    for (let attempt = 1; attempt <= 6; attempt++) {
      const batch = await waitFor(
        async () => {
          const ds = await deliveries(ctx, hook.id);
          return ds.length === 4 && ds.every((d) => d.attempts === attempt) ? ds : undefined;
        },
        { what: `attempt ${attempt} of every delivery` },
      );
      if (attempt < 6) k.advance(Math.max(...batch.map((d) => Date.parse(d.nextAttemptAt!))) - k.clock.now() + 1_000);
    }
    const failed = await deliveries(ctx, hook.id);
    expect(failed.map((d) => [d.status, d.attempts, d.nextAttemptAt])).toEqual(Array(4).fill(['failed', 6, null]));
    expect(failed[0]!.attemptLog).toHaveLength(6);
    // 24 failed attempts, but within 8 hours: still on.
    let [listed] = await k.call('webhooks.list', {}, ctx);
    expect(listed).toMatchObject({ enabled: true, consecutiveFailures: 24, disabledReason: null });
    expect(Date.parse(listed!.failingSince!)).toBeLessThan(start + 60_000);

    k.advance(start + 25 * 3_600_000 - k.clock.now());
    k.core.services.alerts.raise(ctx.workspaceId, alert('g5'));
    await waitFor(async () => !(await k.call('webhooks.list', {}, ctx))[0]!.enabled, { what: 'the webhook to be disabled' });
    [listed] = await k.call('webhooks.list', {}, ctx);
    expect(listed).toMatchObject({ enabled: false, consecutiveFailures: 25, disabledReason: '25 failed attempts in a row over 25 h' });
    // Said with a webhook.updated event, which carries no URL (event streams are open to read tokens).
    const off = events.filter((e) => e.workspaceId === ctx.workspaceId && (e.data as { enabled: boolean }).enabled === false);
    expect(off.at(-1)!.data).toEqual({ id: hook.id, enabled: false, disabledReason: listed!.disabledReason, consecutiveFailures: 25, failingSince: listed!.failingSince, updatedAt: listed!.updatedAt });
    // What it still had pending is failed, not kept for later.
    const [latest] = await deliveries(ctx, hook.id);
    expect(latest).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringMatching(/^webhook disabled: 25 failed attempts/) });
    // A disabled webhook gets no new deliveries (they are queued synchronously with the alert).
    const before = (await deliveries(ctx, hook.id)).length;
    k.core.services.alerts.raise(ctx.workspaceId, alert('g6'));
    expect(await deliveries(ctx, hook.id)).toHaveLength(before);

    // Turning it on again clears the streak.
    const on = await k.call('webhooks.update', { id: hook.id, enabled: true }, ctx);
    expect(on).toMatchObject({ enabled: true, disabledReason: null, consecutiveFailures: 0, failingSince: null });
  });
});

describe('the SSRF guard', () => {
  let strict: TestCore;
  let trap: Receiver;
  beforeAll(async () => {
    strict = await startTestCore({ warmup: false, webhookAllowPrivate: false });
    trap = await receiver();
  });
  afterAll(async () => {
    await strict?.core.close();
  });

  it('refuses loopback, private, link-local and disguised targets at registration, connecting to nothing', async () => {
    const targets = [
      `http://127.0.0.1:${trap.port}/hook`,
      `https://127.0.0.1:${trap.port}/hook`,
      'https://10.0.0.1/hook',
      'https://169.254.169.254/latest/meta-data/',
      `https://[::1]:${trap.port}/hook`,
      `https://[::ffff:127.0.0.1]:${trap.port}/hook`,
      'http://2130706433/hook',
      `https://0x7f.0.0.1:${trap.port}/hook`,
      `https://localhost:${trap.port}/hook`,
      'https://192.168.1.10/hook',
      'https://100.64.0.1/hook',
      'https://[fd00::1]/hook',
    ];
    for (const url of targets) {
      const err = await strict.call('webhooks.create', { url }).then(
        () => ({ code: 'OK', message: '' }),
        (e: { code: string; message: string }) => e,
      );
      expect({ url, code: err.code }).toEqual({ url, code: 'WEBHOOK_TARGET_FORBIDDEN' });
      expect(err.message).toMatch(/KILN_WEBHOOK_ALLOW_PRIVATE=1/);
    }
    expect(await strict.call('webhooks.list', {})).toEqual([]);
    expect(trap.connections).toBe(0);
  });

  it('wants https for public targets unless private targets are allowed', async () => {
    expect(await codeOf(strict.call('webhooks.create', { url: 'http://hooks.example.com/kiln' }))).toBe('INSECURE_TRANSPORT');
    expect(await codeOf(strict.call('webhooks.create', { url: 'ftp://hooks.example.com/' }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(strict.call('webhooks.create', { url: 'https://user:pw@hooks.example.com/' }))).toBe('VALIDATION_FAILED');
  });

  it('refuses a name resolving to loopback in the connection itself (no DNS-rebinding gap)', async () => {
    const fake = ((_h: string, _o: unknown, cb: (e: null, l: LookupAddress[]) => void) => cb(null, [{ address: '127.0.0.1', family: 4 }])) as unknown as typeof import('node:dns').lookup;
    const r = await postWebhook(new URL(`http://rebind.test:${trap.port}/hook`), {}, '{}', { guard: true, timeoutMs: 2_000, userAgent: 'test', lookup: fake });
    expect(r).toMatchObject({ ok: false, statusCode: null });
    expect(r.error).toMatch(/^Webhook target rebind\.test \(127\.0\.0\.1\) is loopback/);
    expect(trap.connections).toBe(0);
  });

  it('refuses again at delivery when the setting was turned off after registration', async () => {
    const dataDir = tempDataDir('kiln-webhooks');
    const open = await startTestCore({ dataDir, warmup: false, webhookAllowPrivate: true });
    const ctx: CallContext = { workspaceId: open.core.defaultWorkspaceId, scopes: ['admin'] };
    const hook = await register(ctx, trap.url(), { core: open });
    await open.core.services.webhookWorker!.stop();
    open.core.services.alerts.raise(ctx.workspaceId, alert('listing:h'));
    await open.core.close();

    const closed = await startTestCore({ dataDir, warmup: false, webhookAllowPrivate: false, now: open.clock.now() });
    try {
      const d = await waitDelivery(ctx, hook.id, (x) => x.attempts === 1, 'refused attempt', closed);
      expect(d).toMatchObject({ status: 'pending', lastStatusCode: null });
      expect(d.lastError).toMatch(/^Webhook target 127\.0\.0\.1 is loopback/);
      expect(trap.connections).toBe(0);
    } finally {
      await closed.core.close();
    }
  });
});

describe('https receivers', () => {
  it('verifies the receiver certificate: trusted through the configured CA, refused without it', async () => {
    const dir = tempDataDir('kiln-webhook-tls');
    // A self-signed certificate for 127.0.0.1, made the way the mail hub makes its own.
    execFileSync('/usr/bin/openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    const cert = fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    const got: Received[] = [];
    const server = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const trusting = await startTestCore({ warmup: false, webhookAllowPrivate: true, ca: [cert] });
    try {
      const ctx: CallContext = { workspaceId: trusting.core.defaultWorkspaceId, scopes: ['admin'] };
      const hook = await register(ctx, url, { core: trusting });
      expect(await trusting.call('webhooks.test', { id: hook.id }, ctx)).toMatchObject({ delivered: true, statusCode: 204 });
      expect(verifies(hook.secret, got[0]!, trusting.clock.now())).toBe(true);

      // The shared test core was given no CA: the same receiver fails its TLS check.
      const mine = await workspace();
      const hook2 = await register(mine, url);
      const refused = await k.call('webhooks.test', { id: hook2.id }, mine);
      expect(refused).toMatchObject({ delivered: false, statusCode: null });
      expect(refused.error).toMatch(/SELF_SIGNED|self-signed/i);
      expect(got).toHaveLength(1);
    } finally {
      await trusting.core.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('over the REST API', () => {
  it('registers (201, secret once), pings and lists deliveries with an admin token; a read token is refused', async () => {
    const server = await createServer(k.core, { logger: k.core.services.log, version: 'test' });
    try {
      const base = await server.listen({ host: '127.0.0.1', port: 0 });
      const ws = k.core.defaultWorkspaceId;
      const admin = apiClient(base, (await k.core.services.tokens.create(ws, 'admin', ['admin'])).token);
      const reader = apiClient(base, (await k.core.services.tokens.create(ws, 'reader', ['read'])).token);
      const rx = await receiver();
      const created = await admin.post('/api/v1/webhooks', { url: rx.url(), events: ['alert.raised'] });
      expect(created.status).toBe(201);
      const hook = (created.body as { data: { id: string; secret: string } }).data;
      secrets.push(hook.secret);
      const ping = await admin.post(`/api/v1/webhooks/${hook.id}/test`);
      expect((ping.body as { data: unknown }).data).toMatchObject({ delivered: true, statusCode: 200 });
      expect(verifies(hook.secret, rx.requests[0]!, k.clock.now())).toBe(true);
      const list = await admin.get(`/api/v1/webhooks/${hook.id}/deliveries?status=delivered`);
      expect((list.body as { data: { items: unknown[] } }).data.items).toEqual([expect.objectContaining({ type: 'webhook.test', status: 'delivered' })]);
      const listed = await admin.get('/api/v1/webhooks');
      expect(JSON.stringify(listed.body)).not.toContain(hook.secret.slice(6));
      expect((await reader.get('/api/v1/webhooks')).status).toBe(403);
      const patched = await admin.patch(`/api/v1/webhooks/${hook.id}`, { enabled: false });
      expect((patched.body as { data: { enabled: boolean } }).data.enabled).toBe(false);
      expect((await admin.delete(`/api/v1/webhooks/${hook.id}`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('answers a forbidden target with 422 WEBHOOK_TARGET_FORBIDDEN', async () => {
    const strict = await startTestCore({ warmup: false, webhookAllowPrivate: false });
    const server = await createServer(strict.core, { logger: strict.core.services.log, version: 'test' });
    try {
      const base = await server.listen({ host: '127.0.0.1', port: 0 });
      const admin = apiClient(base, (await strict.core.services.tokens.create(strict.core.defaultWorkspaceId, 'admin', ['admin'])).token);
      const r = await admin.post('/api/v1/webhooks', { url: 'https://169.254.169.254/latest/meta-data/' });
      expect(r.status).toBe(422);
      expect((r.body as { error: { code: string } }).error.code).toBe('WEBHOOK_TARGET_FORBIDDEN');
    } finally {
      await server.close();
      await strict.core.close();
    }
  });
});

describe('durability and secrecy', () => {
  it('keeps pending deliveries across a restart and finishes them with the same webhook-id', async () => {
    const dataDir = tempDataDir('kiln-webhooks');
    const rx = await receiver([500]);
    const a = await startTestCore({ dataDir, warmup: false, webhookAllowPrivate: true });
    const ctx: CallContext = { workspaceId: a.core.defaultWorkspaceId, scopes: ['admin'] };
    const hook = await register(ctx, rx.url(), { core: a });
    a.core.services.alerts.raise(ctx.workspaceId, alert('listing:r'));
    const first = await waitDelivery(ctx, hook.id, (d) => d.attempts === 1, 'first attempt', a);
    await a.core.close();

    const b = await startTestCore({ dataDir, warmup: false, webhookAllowPrivate: true, now: a.clock.now() });
    try {
      advancePast(first, b);
      const done = await waitDelivery(ctx, hook.id, (d) => d.status === 'delivered', 'delivered after the restart', b);
      expect(done).toMatchObject({ id: first.id, attempts: 2 });
      expect(rx.requests.map((r) => r.headers['webhook-id'])).toEqual([first.id, first.id]);
      // The secret survived the restart in the secret store.
      expect(verifies(hook.secret, rx.requests[1]!, b.clock.now())).toBe(true);
    } finally {
      await b.core.close();
    }
  });

  it('deletes a webhook with its deliveries and its secret', async () => {
    const ctx = await workspace();
    const rx = await receiver();
    const hook = await register(ctx, rx.url());
    await k.call('webhooks.test', { id: hook.id }, ctx);
    const row = await k.core.services.db.kysely.selectFrom('webhooks').select('secret_ref').where('id', '=', hook.id).executeTakeFirstOrThrow();
    expect(await k.call('webhooks.delete', { id: hook.id }, ctx)).toEqual({ id: hook.id, deleted: true });
    expect(await k.core.services.secrets.get(row.secret_ref)).toBeNull();
    expect(await codeOf(k.call('webhooks.deliveries', { id: hook.id }, ctx))).toBe('NOT_FOUND');
    const left = await k.core.services.db.kysely.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', hook.id).execute();
    expect(left).toEqual([]);
  });

  it('keeps workspaces apart and needs the admin scope', async () => {
    const a = await workspace();
    const b = await workspace();
    const rx = await receiver();
    const hook = await register(a, rx.url());
    expect(await k.call('webhooks.list', {}, b)).toEqual([]);
    for (const attempt of [
      k.call('webhooks.test', { id: hook.id }, b),
      k.call('webhooks.update', { id: hook.id, url: 'http://127.0.0.1:1/stolen' }, b),
      k.call('webhooks.rotateSecret', { id: hook.id }, b),
      k.call('webhooks.deliveries', { id: hook.id }, b),
      k.call('webhooks.delete', { id: hook.id }, b),
    ]) {
      expect(await codeOf(attempt)).toBe('NOT_FOUND');
    }
    expect((await k.call('webhooks.list', {}, a)).map((w) => w.url)).toEqual([rx.url()]);
    // Deliveries are queued synchronously with the alert: another workspace's alert queues none here.
    k.core.services.alerts.raise(b.workspaceId, alert('listing:other'));
    expect(await deliveries(a, hook.id)).toEqual([]);
    expect(await codeOf(k.call('webhooks.list', {}, { ...a, scopes: ['read', 'send'] }))).toBe('FORBIDDEN');
    expect(await codeOf(k.call('webhooks.create', { url: rx.url() }, { ...a, scopes: ['send'] }))).toBe('FORBIDDEN');
  });

  it('never lets a signing secret reach the database file, the logs, list outputs or errors', async () => {
    const ctx = await workspace();
    const rx = await receiver([], 500);
    const hook = await register(ctx, rx.url());
    const outputs: unknown[] = [];
    outputs.push(await k.call('webhooks.list', {}, ctx));
    outputs.push(await k.call('webhooks.update', { id: hook.id, description: 'renamed' }, ctx));
    outputs.push(await k.call('webhooks.test', { id: hook.id }, ctx));
    outputs.push(await k.call('webhooks.deliveries', { id: hook.id }, ctx));
    for (const bad of [
      k.call('webhooks.update', { id: hook.id, url: 'not a url' }, ctx),
      k.call('webhooks.rotateSecret', { id: 'whk_missing' }, ctx),
      k.call('webhooks.create', { url: 'https://u:p@x.example/' }, ctx),
    ]) {
      outputs.push(await bad.catch((e: unknown) => ({ message: (e as Error).message, details: (e as { details: unknown }).details })));
    }
    const out = JSON.stringify(outputs);
    expect(out).toContain(hook.id);
    k.core.services.db.sqlite.pragma('wal_checkpoint(PASSIVE)');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(dir, e.name));
        else files.push(path.join(dir, e.name));
      }
    };
    walk(k.dataDir);
    expect(files.some((f) => f.endsWith('kiln.db'))).toBe(true);
    const logs = k.logs.join('');
    expect(logs).toContain('webhook registered');
    for (const secret of secrets) {
      const key = secret.slice('whsec_'.length);
      for (const f of files) {
        const bytes = fs.readFileSync(f);
        expect(bytes.includes(key), `${path.basename(f)} holds a secret`).toBe(false);
        expect(bytes.includes(Buffer.from(key, 'base64')), `${path.basename(f)} holds a raw key`).toBe(false);
      }
      expect(logs.includes(key)).toBe(false);
      expect(out.includes(key)).toBe(false);
    }
    // The refs in the database point at the secret store, which holds them encrypted.
    const refs = await k.core.services.db.kysely.selectFrom('webhooks').select('secret_ref').execute();
    expect(refs.every((r) => r.secret_ref.startsWith('webhook/'))).toBe(true);
  });
});
