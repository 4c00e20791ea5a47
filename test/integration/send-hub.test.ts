import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addMailHubUser } from '../helpers/mailhub';
import { apiClient, createToken, startKiln, type KilnProcess } from '../helpers/kiln';
import { findByMessageId, uniqueUser } from '../helpers/imap';
import { dispatcherLooked, waitFor } from '../helpers/wait';

// The whole path a user takes, against real Postfix (submission, STARTTLS, SASL) and Dovecot:
// connect a mailbox through the API, test it stage by stage, send, read the mail back over IMAP.

const hub = inject('mailhub');
const sender = uniqueUser('sender');
const rcpt = uniqueUser('rcpt');
const wrongPassword = 'Wr0ng-Pa55word-that-must-not-leak';
let kiln: KilnProcess;
let api: ReturnType<typeof apiClient>;
let mailboxId: string;

beforeAll(async () => {
  await addMailHubUser(hub, sender.address, sender.password);
  await addMailHubUser(hub, rcpt.address, rcpt.password);
  kiln = await startKiln({ args: ['--ca-file', hub.caCertPath] });
  api = apiClient(kiln.url, await createToken(kiln.dataDir, 'admin'));
});
afterAll(async () => {
  await kiln?.stop();
});

const server = (port: number, password: string) => ({ host: '127.0.0.1', port, security: 'starttls', user: sender.address, password });

describe('sending through the real hub', () => {
  it('connects a mailbox: 201 with settings and no password', async () => {
    const r = await api.post('/api/v1/mailboxes', {
      email: sender.address,
      displayName: 'Warm Sender',
      provider: 'custom',
      smtp: server(hub.ports.submission, sender.password),
      imap: server(hub.ports.imap, sender.password),
    });
    expect(r.status).toBe(201);
    expect(r.body.data).toMatchObject({ email: sender.address, status: 'active', smtp: { port: hub.ports.submission, security: 'starttls' } });
    expect(JSON.stringify(r.body)).not.toContain(sender.password);
    mailboxId = r.body.data.id;
  });

  it('connection test passes every SMTP and IMAP stage', async () => {
    const r = await api.post(`/api/v1/mailboxes/${mailboxId}/test`);
    expect(r.status).toBe(200);
    expect(r.body.data.smtp).toMatchObject({ ok: true, passed: ['dns', 'connect', 'tls', 'auth', 'send'] });
    expect(r.body.data.imap).toMatchObject({ ok: true, passed: ['dns', 'connect', 'tls', 'auth', 'select'] });
  });

  it('a wrong password fails at the auth stage with a code, per protocol', async () => {
    await api.patch(`/api/v1/mailboxes/${mailboxId}`, { smtp: { password: wrongPassword }, imap: { password: wrongPassword } });
    const r = await api.post(`/api/v1/mailboxes/${mailboxId}/test`);
    expect(r.body.data.smtp).toMatchObject({ ok: false, stage: 'auth', code: 'SMTP_AUTH_FAILED', passed: ['dns', 'connect', 'tls'] });
    expect(r.body.data.imap).toMatchObject({ ok: false, stage: 'auth', code: 'IMAP_AUTH_FAILED', passed: ['dns', 'connect', 'tls'] });
    expect(JSON.stringify(r.body)).not.toContain(wrongPassword);
    // The failed test is on the mailbox, as a failed send would be: the fleet counts it in error.
    const marked = (await api.get(`/api/v1/mailboxes/${mailboxId}`)).body.data;
    expect(marked).toMatchObject({ status: 'error', lastError: { protocol: 'smtp', stage: 'auth', code: 'SMTP_AUTH_FAILED' } });
    expect((await api.get('/api/v1/fleet')).body.data.mailboxes.find((m: { id: string }) => m.id === mailboxId)).toMatchObject({ state: 'error' });
    expect(JSON.stringify(marked)).not.toContain(wrongPassword);
    const fixed = await api.patch(`/api/v1/mailboxes/${mailboxId}`, { smtp: { password: sender.password }, imap: { password: sender.password } });
    expect(fixed.status).toBe(200);
    expect((await api.post(`/api/v1/mailboxes/${mailboxId}/test`)).body.data.smtp.ok).toBe(true);
    expect((await api.get(`/api/v1/mailboxes/${mailboxId}`)).body.data).toMatchObject({ status: 'active', lastError: null });
  });

  it('a plaintext connection (security none, the hub\'s plain ports): tls "not used", never passed', async () => {
    const u = uniqueUser('plain-api');
    await addMailHubUser(hub, u.address, u.password);
    const plain = (port: number) => ({ host: '127.0.0.1', port, security: 'none', user: u.address, password: u.password });
    const mb = await api.post('/api/v1/mailboxes', { email: u.address, smtp: plain(hub.ports.submission), imap: plain(hub.ports.imap) });
    expect(mb.status).toBe(201);
    const r = await api.post(`/api/v1/mailboxes/${mb.body.data.id}/test`);
    expect(r.body.data.smtp).toMatchObject({ ok: true, passed: ['dns', 'connect', 'auth', 'send'] });
    expect(r.body.data.imap).toMatchObject({ ok: true, passed: ['dns', 'connect', 'auth', 'select'] });
    for (const p of ['smtp', 'imap']) {
      expect(r.body.data[p].stages[2]).toMatchObject({ stage: 'tls', status: 'not_used', verdict: { state: 'na', label: 'not used' } });
    }
    await api.delete(`/api/v1/mailboxes/${mb.body.data.id}`);
  });

  it('sends a message with a full lifecycle and it arrives once in the recipient\'s INBOX', async () => {
    const r = await api.post('/api/v1/messages', { mailboxId, to: [rcpt.address], subject: 'Kiln hub test', text: 'Hello from Kiln' });
    expect(r.status).toBe(202);
    expect(r.body.data.status).toBe('queued');
    const id = r.body.data.id;
    const msg = await waitFor(async () => {
      const m = (await api.get(`/api/v1/messages/${id}`)).body.data;
      return m.status === 'sent' ? m : undefined;
    });
    expect(msg.messageId).toMatch(/^<[0-9a-z]{9}\.[0-9a-f]{24}@warm\.test>$/);
    expect(msg.attempts).toBe(1);
    expect(msg.recipients).toEqual([expect.objectContaining({ address: rcpt.address, status: 'accepted' })]);
    expect(msg.events.map((e: { type: string }) => e.type)).toEqual(['queued', 'sending', 'sent']);
    const copies = await waitFor(async () => {
      const found = await findByMessageId(hub, rcpt.address, rcpt.password, msg.messageId);
      return found.length > 0 ? found : undefined;
    });
    expect(copies).toHaveLength(1);
    expect(copies[0]).toContain('Subject: Kiln hub test');
    expect(copies[0]).toContain(`From: Warm Sender <${sender.address}>`);
  });

  it('idempotency keys: a repeat returns the same message, a different body is a conflict', async () => {
    const body = { mailboxId, to: [rcpt.address], subject: 'Once only', text: 'idempotent', idempotencyKey: 'order-42' };
    const a = await api.post('/api/v1/messages', body);
    const b = await api.post('/api/v1/messages', body);
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    expect(b.body.data.id).toBe(a.body.data.id);
    const c = await api.post('/api/v1/messages', { ...body, subject: 'Changed' });
    expect(c.status).toBe(409);
    expect(c.body.error.code).toBe('IDEMPOTENCY_CONFLICT');
    const sent = await waitFor(async () => {
      const m = (await api.get(`/api/v1/messages/${a.body.data.id}`)).body.data;
      return m.status === 'sent' ? m : undefined;
    });
    const copies = await waitFor(async () => {
      const found = await findByMessageId(hub, rcpt.address, rcpt.password, sent.messageId);
      return found.length > 0 ? found : undefined;
    });
    expect(copies).toHaveLength(1);
  });

  it('pause holds queued mail; resume sends it', async () => {
    expect((await api.post(`/api/v1/mailboxes/${mailboxId}/pause`)).body.data.status).toBe('paused');
    const r = await api.post('/api/v1/messages', { mailboxId, to: [rcpt.address], subject: 'After pause', text: 'held' });
    // Two full scans after the enqueue (a claim commits within the commit delay, far inside one poll).
    await dispatcherLooked(async () => (await api.get('/metrics')).body as string, { scans: 2 });
    expect((await api.get(`/api/v1/messages/${r.body.data.id}`)).body.data.status).toBe('queued');
    expect((await api.post(`/api/v1/mailboxes/${mailboxId}/resume`)).body.data.status).toBe('active');
    await waitFor(async () => (await api.get(`/api/v1/messages/${r.body.data.id}`)).body.data.status === 'sent');
  });

  it('deleting a mailbox keeps its history and removes its secrets', async () => {
    const extra = await api.post('/api/v1/mailboxes', {
      email: `gone-${sender.address}`,
      provider: 'custom',
      smtp: { host: '127.0.0.1', port: 9, security: 'none', password: 'to-be-deleted-pw' },
    });
    const del = await api.delete(`/api/v1/mailboxes/${extra.body.data.id}`);
    expect(del.body.data).toEqual({ id: extra.body.data.id, deleted: true });
    expect((await api.get(`/api/v1/mailboxes/${extra.body.data.id}`)).status).toBe(404);
  });

  it('never writes a password to the data folder, the logs or API responses', async () => {
    const list = await api.get('/api/v1/mailboxes');
    expect(JSON.stringify(list.body)).not.toContain(sender.password);
    const code = await kiln.stop();
    expect(code).toBe(0);
    const needles = [sender.password, wrongPassword, 'to-be-deleted-pw'];
    const files = fs.readdirSync(kiln.dataDir, { recursive: true }).map((f) => path.join(kiln.dataDir, String(f)));
    expect(files.some((f) => f.endsWith('kiln.db'))).toBe(true);
    expect(files.some((f) => f.endsWith('secrets.enc.json'))).toBe(true);
    for (const file of files.filter((f) => fs.statSync(f).isFile())) {
      const bytes = fs.readFileSync(file);
      for (const n of needles) {
        expect(bytes.includes(Buffer.from(n)), `${n} in ${file}`).toBe(false);
        expect(bytes.includes(Buffer.from(n, 'utf16le')), `${n} (utf16) in ${file}`).toBe(false);
        expect(bytes.includes(Buffer.from(Buffer.from(n).toString('base64'))), `${n} (base64) in ${file}`).toBe(false);
      }
    }
    const logs = kiln.output();
    expect(logs.length).toBeGreaterThan(0);
    for (const n of needles) expect(logs).not.toContain(n);
  });
});
