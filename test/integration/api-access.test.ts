import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createToken, startKiln, type KilnProcess } from '../helpers/kiln';
import { startTestCore, type TestCore } from '../helpers/core';
import { allows } from '../../shared/api/access';
import { methodNames } from '../../shared/api/table';
import type { Scope } from '../../shared/api/define';

// What the UI is told about the caller and what it can count on: GET /session names the token's
// scopes, allows() answers exactly as the core's refusal does for every method, validation
// messages read like a person wrote them, and a contacts CSV keeps first and last names.

let kiln: KilnProcess;
let core: TestCore;
const tokens: Record<Scope, string> = { read: '', send: '', admin: '' };

beforeAll(async () => {
  kiln = await startKiln({ args: ['--no-feedback'] });
  for (const s of ['read', 'send', 'admin'] as const) tokens[s] = await createToken(kiln.dataDir, s);
  core = await startTestCore({ warmup: false });
  await core.core.services.dispatcher?.stop();
  await core.core.services.feedback?.stop();
}, 60_000);
afterAll(async () => {
  await kiln?.stop();
  await core?.core.close();
});

describe('the caller as the UI sees it', () => {
  it('GET /session names the workspace, the token and its scopes, for every scope', async () => {
    for (const s of ['read', 'send', 'admin'] as const) {
      const r = await apiClient(kiln.url, tokens[s]).get('/api/v1/session');
      expect(r.status).toBe(200);
      expect(r.body.data).toMatchObject({ workspace: { slug: 'default' }, tokenName: `test-${s}`, scopes: [s], owner: false });
    }
  });

  it('the owner (desktop app, CLI) is told it holds every scope', async () => {
    const me = await core.call('session.get', {}, { workspaceId: core.core.defaultWorkspaceId, scopes: ['admin'], owner: true });
    expect(me).toMatchObject({ tokenName: null, scopes: ['admin'], owner: true });
  });

  it('every method of the table is refused to read and send callers exactly when allows() says so', async () => {
    // An empty input: a method the caller may run stops at validation or reads; none is refused.
    for (const scope of ['read', 'send'] as const) {
      const ctx = { workspaceId: core.core.defaultWorkspaceId, scopes: [scope] };
      for (const m of methodNames) {
        const res = await core.core.call(m, {}, ctx);
        const refused = !res.ok && res.error.code === 'FORBIDDEN';
        expect(refused, `${scope} → ${m}`).toBe(!allows(ctx, m));
      }
    }
  });
});

describe('validation messages through the REST API', () => {
  it('say "Must be at least 1", not zod\'s "Too small: expected number to be >=1"', async () => {
    const r = await apiClient(kiln.url, tokens.admin).post('/api/v1/mailboxes', {
      email: 'not-an-address',
      displayName: 'x'.repeat(201),
      smtp: { host: '127.0.0.1', port: 70000, security: 'none', user: 'u', password: 'p' },
      dailyLimit: 0,
      timeZone: 'Mars/Olympus',
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
    const byPath = Object.fromEntries(r.body.error.details.fields.map((f: { path: string; message: string }) => [f.path, f.message]));
    expect(byPath).toMatchObject({
      email: 'Must be an email address',
      displayName: 'Must be at most 200 characters',
      'smtp.port': 'Must be at most 65535',
      dailyLimit: 'Must be at least 1',
      timeZone: 'Must be an IANA time zone such as Europe/Paris',
    });
    expect(JSON.stringify(r.body)).not.toMatch(/Too (small|big)|expected|Invalid/);
  });

  it('in a query string too', async () => {
    const r = await apiClient(kiln.url, tokens.read).get('/api/v1/recipients?kind=seed&limit=0');
    expect(r.status).toBe(400);
    expect(r.body.error.details.fields).toEqual([{ path: 'limit', message: 'Must be at least 1' }]);
  });
});

describe('contacts CSV through the REST API', () => {
  it('keeps first_name and last_name as the contact\'s name and lists the columns it did not read', async () => {
    const api = apiClient(kiln.url, tokens.admin);
    const csv = 'email,first_name,last_name,company\nana@contacts.test,Ana,Lima,Acme\nbo@contacts.test,Bo,,Acme\n';
    const dry = await api.post('/api/v1/recipients/import', { kind: 'contact', csv, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body.data).toMatchObject({ imported: 2, columns: { email: 'email', name: ['first_name', 'last_name'], ignored: ['company'] } });
    expect((await api.post('/api/v1/recipients/import', { kind: 'contact', csv })).body.data.imported).toBe(2);
    const list = await api.get('/api/v1/recipients?kind=contact');
    expect(Object.fromEntries(list.body.data.items.map((r: { address: string; name: string | null }) => [r.address, r.name]))).toEqual({
      'ana@contacts.test': 'Ana Lima',
      'bo@contacts.test': 'Bo',
    });
  });
});
