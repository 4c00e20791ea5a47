import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { gzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../electron/server/app';
import { codeOf, startTestCore, type TestCore } from '../helpers/core';
import { workspaceRepository } from '../../electron/core/workspaces/repository';
import { apiClient } from '../helpers/kiln';

// DMARC over the real REST server (table-derived routes, bearer tokens, scopes) on 127.0.0.1.

let k: TestCore;
let server: FastifyInstance;
let url: string;
let admin: string;
let reader: string;

const fixture = (name: string) => fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/dmarc', name));

beforeAll(async () => {
  k = await startTestCore();
  server = await createServer(k.core, { logger: k.core.services.log, version: 'test' });
  url = await server.listen({ host: '127.0.0.1', port: 0 });
  admin = (await k.core.services.tokens.create(k.ctx.workspaceId, 'admin', ['admin'])).token;
  reader = (await k.core.services.tokens.create(k.ctx.workspaceId, 'reader', ['read'])).token;
});
afterAll(async () => {
  await server?.close();
  await k?.core.close(5000);
});

describe('DMARC REST API', () => {
  it('uploads a gzipped report (base64) and reads the summary', async () => {
    const api = apiClient(url, admin);
    const content = Buffer.from(gzipSync(fixture('rfc9990-outlook.xml'))).toString('base64');
    const up = await api.post('/api/v1/dmarc/reports', { content, filename: 'enterprise.protection.outlook.com!example.com!1795219200!1795305599.xml.gz' });
    expect(up.status).toBe(201);
    expect(up.body.data).toMatchObject({ duplicate: false, report: { orgName: 'Enterprise Outlook', domain: 'example.com', schema: 'rfc9990', source: 'upload', messages: 212, dmarcPass: 200 } });
    // The same file again is stored once.
    const again = await api.post('/api/v1/dmarc/reports', { content, filename: 'copy.xml.gz' });
    expect(again.body.data).toMatchObject({ duplicate: true, report: { id: up.body.data.report.id } });

    const sum = await apiClient(url, reader).get('/api/v1/dmarc/summary?domain=example.com&days=7');
    expect(sum.status).toBe(200);
    expect(sum.body.data.totals).toEqual({ messages: 212, dmarcPass: 200, dkimAligned: 200, spfAligned: 200, passPct: 94.3, dkimAlignedPct: 94.3, spfAlignedPct: 94.3, reports: 1, sources: 2 });
    expect(sum.body.data.sources.map((s: { sourceIp: string }) => s.sourceIp)).toEqual(['192.0.2.10', '203.0.113.99']);

    const list = await apiClient(url, reader).get('/api/v1/dmarc/reports');
    expect(list.body.data.items).toHaveLength(1);
  });

  it('refuses a hostile upload with its code and an HTTP status to match', async () => {
    const api = apiClient(url, admin);
    const xxe = await api.post('/api/v1/dmarc/reports', { content: fixture('malicious-xxe.xml').toString('base64'), filename: 'x.xml' });
    expect(xxe.status).toBe(422);
    expect(xxe.body.error.code).toBe('DMARC_REPORT_UNSAFE');
    const bomb = await api.post('/api/v1/dmarc/reports', { content: Buffer.from(gzipSync(new Uint8Array(8 * 1024 * 1024))).toString('base64') });
    expect(bomb.body.error.code).toBe('DMARC_REPORT_BOMB');
    const notB64 = await api.post('/api/v1/dmarc/reports', { content: '<feedback>' });
    expect(notB64.status).toBe(400);
    expect(notB64.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('no report, summary or mailbox crosses workspaces', async () => {
    const other = await workspaceRepository(k.core.services.db.kysely).create('client-b', 'Client B', k.clock.now());
    const b = { workspaceId: other.id, scopes: ['admin' as const] };
    const mine = (await k.call('dmarc.reports', {})).items[0]!;
    expect((await k.call('dmarc.reports', {}, b)).items).toEqual([]);
    expect((await k.call('dmarc.summary', {}, b)).totals.messages).toBe(0);
    expect(await codeOf(k.call('dmarc.reports.get', { id: mine.id }, b))).toBe('NOT_FOUND');
    const mbA = await k.call('mailboxes.create', { email: 'rua@loop.test', provider: 'custom', smtp: { host: '127.0.0.1', port: 9, security: 'none', password: 'pw' }, imap: { host: '127.0.0.1', port: 9, security: 'none', password: 'pw' } });
    expect(await codeOf(k.call('dmarc.settings.update', { mailboxId: mbA.id }, b))).toBe('NOT_FOUND');
    // The same report uploaded in another workspace is that workspace's own copy.
    const content = Buffer.from(gzipSync(fixture('rfc9990-outlook.xml'))).toString('base64');
    expect((await k.call('dmarc.upload', { content }, b)).duplicate).toBe(false);
  });

  it('a read token can read the settings but not change them (403)', async () => {
    const ro = apiClient(url, reader);
    expect((await ro.get('/api/v1/dmarc/settings')).status).toBe(200);
    const r = await ro.patch('/api/v1/dmarc/settings', { schedule: false });
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: 'FORBIDDEN', details: { required: 'admin' } });
    expect((await ro.post('/api/v1/dmarc/ingest')).status).toBe(403);
    expect((await ro.post('/api/v1/dmarc/reports', { content: 'AAAA' })).status).toBe(403);
    expect((await ro.get('/api/v1/dmarc/settings')).body.data.schedule).toBe(true);
    const ok = await apiClient(url, admin).patch('/api/v1/dmarc/settings', { schedule: false, intervalMinutes: 30 });
    expect(ok.body.data).toMatchObject({ schedule: false, intervalMinutes: 30, nextRunAt: null });
  });
});
