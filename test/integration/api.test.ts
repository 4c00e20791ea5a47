import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { apiClient, createToken, startKiln, type KilnProcess } from '../helpers/kiln';

// The REST/control server as users meet it: the built `kiln serve` process on 127.0.0.1.

let kiln: KilnProcess;
let admin: string;
let readOnly: string;

beforeAll(async () => {
  // Provider presets point at real providers' hosts: no IMAP watcher may try to reach them.
  kiln = await startKiln({ args: ['--no-feedback'] });
  admin = await createToken(kiln.dataDir, 'admin');
  readOnly = await createToken(kiln.dataDir, 'read');
});
afterAll(async () => {
  await kiln?.stop();
});

function rawGet(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: kiln.port, path, method: 'GET', headers, setHost: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('REST API', () => {
  it('binds to 127.0.0.1 by default', () => {
    expect(new URL(kiln.url).hostname).toBe('127.0.0.1');
  });

  it('first start: the bootstrap admin token goes to a private file, never to the (logged) output', async () => {
    const file = path.join(kiln.dataDir, 'initial-admin-token');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const token = fs.readFileSync(file, 'utf8').trim();
    expect(kiln.output()).not.toContain(token);
    expect(kiln.output()).toContain(file);
    expect((await apiClient(kiln.url, token).get('/api/v1/tokens')).status).toBe(200);
  });

  it('/health, /ready and the OpenAPI document need no token; everything else does (401)', async () => {
    const anon = apiClient(kiln.url);
    expect((await anon.get('/health')).body).toEqual({ ok: true, data: { status: 'ok' } });
    for (const p of ['/metrics', '/api/v1/mailboxes', '/api/v1/workspace', '/api/v1/events']) {
      const r = await anon.get(p);
      expect(r.status, p).toBe(401);
      expect(r.body.error.code, p).toBe('UNAUTHENTICATED');
    }
    const wrong = await apiClient(kiln.url, 'kiln_not-a-real-token').get('/api/v1/mailboxes');
    expect(wrong.status).toBe(401);
  });

  it('403 when a read token tries to write', async () => {
    const r = await apiClient(kiln.url, readOnly).post('/api/v1/suppressions', { address: 'x@example.com' });
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: 'FORBIDDEN', details: { required: 'admin' } });
    expect((await apiClient(kiln.url, readOnly).get('/api/v1/mailboxes')).status).toBe(200);
  });

  it('no token, not even admin, may list or create workspaces (owner methods: desktop and CLI only)', async () => {
    const list = await apiClient(kiln.url, admin).get('/api/v1/workspaces');
    expect(list.status).toBe(403);
    expect(list.body.error).toMatchObject({ code: 'FORBIDDEN', details: { required: 'owner' } });
    expect((await apiClient(kiln.url, admin).post('/api/v1/workspaces', { name: 'Sneaky' })).status).toBe(403);
  });

  it('400 with field errors on a bad body', async () => {
    const r = await apiClient(kiln.url, admin).post('/api/v1/mailboxes', {
      email: 'not-an-address',
      provider: 'nope',
      smtp: { host: 'smtp.example.com', port: 70000, security: 'tls' },
    });
    expect(r.status).toBe(400);
    expect(r.body.ok).toBe(false);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
    const paths = r.body.error.details.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['email', 'provider', 'smtp.port', 'smtp.password']));
  });

  it('rejects malformed JSON, oversized bodies and unknown routes with coded envelopes', async () => {
    const api = apiClient(kiln.url, admin);
    const bad = await api.raw('POST', '/api/v1/suppressions', '{"address": ', { 'content-type': 'application/json' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('BAD_JSON');
    // Declared over the 8 MiB limit: refused on the header, before the body (sending 9 MB would race
    // the server's early answer and close into EPIPE).
    const big = await oversizedPost(kiln.url, '/api/v1/suppressions', admin, 9_000_000);
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const missing = await api.get('/api/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });

  it('refuses Host headers that are not this machine (DNS rebinding)', async () => {
    const evil = await rawGet('/health', { host: 'attacker.example:7420' });
    expect(evil.status).toBe(421);
    expect(JSON.parse(evil.body).error.code).toBe('HOST_NOT_ALLOWED');
    const good = await rawGet('/health', { host: `localhost:${kiln.port}` });
    expect(good.status).toBe(200);
  });

  it('sends no CORS headers (no cross-origin reads)', async () => {
    const r = await apiClient(kiln.url, admin).raw('GET', '/api/v1/mailboxes', undefined, { origin: 'http://attacker.example' });
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves a valid OpenAPI 3.1 document covering every table method', async () => {
    const r = await apiClient(kiln.url, readOnly).get('/api/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    const result = await new Validator().validate(r.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(r.body.paths['/api/v1/mailboxes'].post.operationId).toBe('mailboxes.create');
    expect(r.body.paths['/api/v1/messages/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
  });

  it('/ready answers a probe without a token (ready or not, no details); a wrong token is still refused', async () => {
    const anon = await apiClient(kiln.url).get('/ready');
    expect(anon.status).toBe(200);
    expect(anon.body).toEqual({ ok: true, data: { ready: true } });
    const wrong = await apiClient(kiln.url, 'kiln_not-a-real-token').get('/ready');
    expect(wrong.status).toBe(401);
  });

  it('the OpenAPI document opens in a browser without a token and carries package.json\'s version', async () => {
    const r = await apiClient(kiln.url).get('/api/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    expect(r.body.info.version).toBe(JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')).version);
  });

  it('/ready with a token reports its checks; /metrics is Prometheus text with Kiln series', async () => {
    const ready = await apiClient(kiln.url, readOnly).get('/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.data.checks).toMatchObject({ database: { ok: true }, secretStore: { ok: true }, dispatcher: { ok: true } });
    const m = await apiClient(kiln.url, readOnly).get('/metrics');
    expect(m.headers.get('content-type')).toContain('text/plain');
    expect(m.body).toContain('kiln_messages{status="queued"}');
    expect(m.body).toContain('kiln_queue_depth');
    expect(m.body).toContain('# TYPE kiln_send_duration_seconds histogram');
  });

  it('tokens: secret shown once, hashed at rest, scoped, revocable, last-used tracked', async () => {
    const api = apiClient(kiln.url, admin);
    const created = await api.post('/api/v1/tokens', { name: 'ci', scopes: ['send'] });
    expect(created.status).toBe(201);
    const secret: string = created.body.data.token;
    expect(secret).toMatch(/^kiln_/);
    const list = await api.get('/api/v1/tokens');
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(await apiClient(kiln.url, secret).get('/api/v1/workspace').then((r) => r.status)).toBe(200);
    const after = (await api.get('/api/v1/tokens')).body.data.find((t: { id: string }) => t.id === created.body.data.id);
    expect(after.lastUsedAt).not.toBeNull();
    expect((await api.delete(`/api/v1/tokens/${created.body.data.id}`)).status).toBe(200);
    expect((await apiClient(kiln.url, secret).get('/api/v1/workspace')).status).toBe(401);
  });

  it('a token of another workspace sees none of this workspace\'s data', async () => {
    const api = apiClient(kiln.url, admin);
    const sup = await api.post('/api/v1/suppressions', { address: 'private@example.com' });
    expect(sup.status).toBe(201);
    const other = await createToken(kiln.dataDir, 'admin', 'client-b');
    const b = apiClient(kiln.url, other);
    expect((await b.get('/api/v1/workspace')).body.data.slug).toBe('client-b');
    expect((await b.get('/api/v1/suppressions')).body.data.items).toEqual([]);
    expect((await b.delete(`/api/v1/suppressions/${sup.body.data.id}`)).status).toBe(404);
    expect((await api.get('/api/v1/suppressions')).body.data.items).toHaveLength(1);
  });

  it('streams events of the caller\'s workspace over SSE', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${kiln.url}/api/v1/events`, { headers: { authorization: `Bearer ${admin}` }, signal: ctrl.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const created = await apiClient(kiln.url, admin).post('/api/v1/mailboxes', {
      email: 'sse@warm.test',
      provider: 'custom',
      smtp: { host: '127.0.0.1', port: 2525, security: 'none', password: 'sse-secret-pw' },
    });
    expect(created.status).toBe(201);
    let text = '';
    while (!text.includes('event: mailbox.updated')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    ctrl.abort();
    expect(text).toContain('event: mailbox.updated');
    expect(text).toContain(created.body.data.id);
    expect(text).not.toContain('sse-secret-pw');
  });

  it('refuses plaintext SMTP to a non-loopback host unless explicitly allowed', async () => {
    const api = apiClient(kiln.url, admin);
    const body = { email: 'plain@example.com', provider: 'custom', smtp: { host: 'mail.example.com', port: 25, security: 'none', password: 'pw' } };
    const r = await api.post('/api/v1/mailboxes', body);
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('INSECURE_TRANSPORT');
    const ok = await api.post('/api/v1/mailboxes', { ...body, allowInsecure: true });
    expect(ok.status).toBe(201);
  });

  it('fills hosts from provider presets', async () => {
    const r = await apiClient(kiln.url, admin).post('/api/v1/mailboxes', { email: 'me@gmail.com', provider: 'gmail', smtp: { password: 'app-pw' }, imap: { password: 'app-pw' } });
    expect(r.status).toBe(201);
    expect(r.body.data.smtp).toEqual({ host: 'smtp.gmail.com', port: 465, security: 'tls', user: 'me@gmail.com' });
    expect(r.body.data.imap).toEqual({ host: 'imap.gmail.com', port: 993, security: 'tls', user: 'me@gmail.com' });
  });
});

/** POST with a Content-Length over the limit and only the body's first bytes; resolves with the answer. */
function oversizedPost(base: string, path: string, token: string, length: number): Promise<{ status: number; body: { error: { code: string } } }> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, base), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': String(length) },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
        req.destroy();
      });
    });
    req.on('error', reject);
    req.write('{"address":"a@b.test","detail":"');
  });
}
