import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addMailHubUser } from '../helpers/mailhub';
import { apiClient, createToken, startKiln, type KilnProcess } from '../helpers/kiln';
import { findByMessageId, uniqueUser } from '../helpers/imap';
import { dispatcherLooked, waitFor } from '../helpers/wait';

// Templates end to end: kiln serve renders a template into a real send through Postfix, and the
// copy read back over IMAP shows what a recipient gets.

const hub = inject('mailhub');
const sender = uniqueUser('tpl-sender');
const rcpt = uniqueUser('tpl-rcpt');
let kiln: KilnProcess;
let api: ReturnType<typeof apiClient>;
let mailboxId: string;
let templateId: string;

const evil = '<script>alert("x")</script>';
const braces = '{{secret}} {{#each x}}';

beforeAll(async () => {
  await addMailHubUser(hub, sender.address, sender.password);
  await addMailHubUser(hub, rcpt.address, rcpt.password);
  kiln = await startKiln({ args: ['--ca-file', hub.caCertPath] });
  api = apiClient(kiln.url, await createToken(kiln.dataDir, 'admin'));
  const server = (port: number) => ({ host: '127.0.0.1', port, security: 'starttls', user: sender.address, password: sender.password });
  const mb = await api.post('/api/v1/mailboxes', { email: sender.address, provider: 'custom', smtp: server(hub.ports.submission), imap: server(hub.ports.imap) });
  expect(mb.status).toBe(201);
  mailboxId = mb.body.data.id;
  const t = await api.post('/api/v1/templates', {
    name: 'Order shipped',
    subject: 'Order for {{name}}',
    text: 'Hello {{name}},\nnote: {{note}}\n',
    html: '<p>Hello {{name}},</p><p>note: {{note}}</p>',
    variables: [
      { name: 'name', required: true, sample: 'Ann' },
      { name: 'note', required: false },
    ],
  });
  expect(t.status).toBe(201);
  expect(t.body.data).toMatchObject({ version: 1, current: { version: 1 } });
  templateId = t.body.data.id;
});
afterAll(async () => {
  await kiln?.stop();
});

async function sentCopy(id: string) {
  const msg = await waitFor(async () => {
    const m = (await api.get(`/api/v1/messages/${id}`)).body.data;
    return m.status === 'sent' ? m : undefined;
  });
  const copies = await waitFor(async () => {
    const found = await findByMessageId(hub, rcpt.address, rcpt.password, msg.messageId);
    return found.length > 0 ? found : undefined;
  });
  expect(copies).toHaveLength(1);
  return { msg, mail: await simpleParser(copies[0]!) };
}

describe('templates through the real hub', () => {
  it('variables with <script> and {{ arrive escaped in the HTML part and literal in the text part', async () => {
    const r = await api.post('/api/v1/messages', { mailboxId, to: [rcpt.address], templateId, variables: { name: evil, note: braces } });
    expect(r.status).toBe(202);
    const { msg, mail } = await sentCopy(r.body.data.id);
    expect(msg.template).toEqual({ id: templateId, version: 1 });
    expect(mail.subject).toBe(`Order for ${evil}`);
    expect(mail.text).toBe(`Hello ${evil},\nnote: ${braces}\n`);
    expect(mail.html).toContain('<p>Hello &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;,</p>');
    expect(mail.html).toContain(`<p>note: ${braces}</p>`);
    expect(mail.html).not.toContain('<script>');
  });

  it('a missing required variable and an undeclared one are a coded 400 naming each', async () => {
    const r = await api.post('/api/v1/messages', { mailboxId, to: [rcpt.address], templateId, variables: { note: 'x', nmae: 'typo' } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
    expect(r.body.error.details.fields).toEqual(
      expect.arrayContaining([
        { path: 'variables.name', message: 'Required' },
        { path: 'variables.nmae', message: 'Not declared by this template' },
      ]),
    );
    const crlf = await api.post('/api/v1/messages', { mailboxId, to: [rcpt.address], templateId, variables: { name: 'a\r\nBcc: victim@other.test' } });
    expect(crlf.status).toBe(400);
    expect(crlf.body.error.details.fields).toEqual([{ path: 'variables.name', message: 'Puts a line break in the subject' }]);
  });

  it('content is given one way: a template and subject/text together are refused', async () => {
    const r = await api.post('/api/v1/messages', { mailboxId, to: [rcpt.address], templateId, variables: { name: 'x' }, subject: 'direct', text: 'x' });
    expect(r.status).toBe(400);
    expect(r.body.error.details.fields).toEqual([{ path: 'templateId', message: 'Give either templateId (with variables) or subject with text/html, not both' }]);
    const none = await api.post('/api/v1/messages', { mailboxId, to: [rcpt.address] });
    expect(none.status).toBe(400);
    expect(none.body.error.details.fields.map((f: { path: string }) => f.path).sort()).toEqual(['subject', 'text']);
  });

  it('editing the template adds a version and never changes a queued message; delete waits for it', async () => {
    expect((await api.post(`/api/v1/mailboxes/${mailboxId}/pause`)).status).toBe(200);
    const q = await api.post('/api/v1/messages', { mailboxId, to: [rcpt.address], templateId, variables: { name: 'Queued' } });
    expect(q.status).toBe(202);
    await dispatcherLooked(async () => (await api.get('/metrics')).body as string, { scans: 1 });

    const edited = await api.patch(`/api/v1/templates/${templateId}`, { subject: 'EDITED {{name}}', text: null, html: '<p>Edited {{name}}</p>' });
    expect(edited.status).toBe(200);
    expect(edited.body.data).toMatchObject({ version: 2, current: { version: 2, text: null } });
    expect(edited.body.data.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const v1 = await api.get(`/api/v1/templates/${templateId}?version=1`);
    expect(v1.body.data.current).toMatchObject({ version: 1, subject: 'Order for {{name}}' });

    expect((await api.get(`/api/v1/messages/${q.body.data.id}`)).body.data).toMatchObject({ status: 'queued', template: { id: templateId, version: 1 } });
    const del = await api.delete(`/api/v1/templates/${templateId}`);
    expect(del.status).toBe(409);
    expect(del.body.error.code).toBe('CONFLICT');

    expect((await api.post(`/api/v1/mailboxes/${mailboxId}/resume`)).status).toBe(200);
    const queued = await sentCopy(q.body.data.id);
    expect(queued.msg.template).toEqual({ id: templateId, version: 1 });
    expect(queued.mail.subject).toBe('Order for Queued');
    expect(queued.mail.text).toBe('Hello Queued,\nnote: \n');

    // A later send uses the latest version, with the text part made from its HTML.
    const later = await api.post('/api/v1/messages', { mailboxId, to: [rcpt.address], templateId, variables: { name: '<b>New</b>' } });
    const sent = await sentCopy(later.body.data.id);
    expect(sent.msg.template).toEqual({ id: templateId, version: 2 });
    expect(sent.mail.subject).toBe('EDITED <b>New</b>');
    expect(sent.mail.html).toContain('<p>Edited &lt;b&gt;New&lt;/b&gt;</p>');
    expect(sent.mail.text?.trim()).toBe('Edited <b>New</b>');

    // Nothing waits any more: delete goes through.
    expect((await api.delete(`/api/v1/templates/${templateId}`)).body.data).toEqual({ id: templateId, deleted: true });
    const gone = await api.post('/api/v1/messages', { mailboxId, to: [rcpt.address], templateId, variables: { name: 'x' } });
    expect(gone.status).toBe(404);
  });

  it('preview renders a version with the samples filling what is not given', async () => {
    const t = await api.post('/api/v1/templates', { name: 'Preview', subject: 'Hi {{name}}', html: '<p>{{name}} {{extra}}</p>', variables: [{ name: 'name', sample: 'Sam' }, { name: 'extra', required: false }] });
    expect(t.status).toBe(201);
    const p = await api.post(`/api/v1/templates/${t.body.data.id}/preview`, {});
    expect(p.body.data).toMatchObject({ version: 1, subject: 'Hi Sam', html: '<p>Sam </p>', textGenerated: true });
    const given = await api.post(`/api/v1/templates/${t.body.data.id}/preview`, { variables: { name: '<i>' } });
    expect(given.body.data).toMatchObject({ subject: 'Hi <i>', html: '<p>&lt;i&gt; </p>' });
    const bad = await api.post('/api/v1/templates', { name: 'Bad', subject: 'x', html: '{{undeclared}}' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].path).toBe('html');
  });
});
