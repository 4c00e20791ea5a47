// Workspaces as the machine's owner (desktop app, CLI) sees them: listed and added through the API
// table with the owner context; a token context never may, whatever its scopes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slugOf } from '../../electron/core/workspaces/handlers';
import { codeOf, startTestCore, type TestCore } from '../helpers/core';

let k: TestCore;
beforeAll(async () => {
  k = await startTestCore({ warmup: false });
});
afterAll(async () => {
  await k?.core.close();
});

describe('workspaces (owner methods)', () => {
  it('lists and adds workspaces for the owner; the new one starts empty and apart', async () => {
    const owner = { ...k.ctx, owner: true };
    const acme = await k.call('workspaces.create', { name: 'Acme Corp. (EU)' }, owner);
    expect(acme).toMatchObject({ slug: 'acme-corp-eu', name: 'Acme Corp. (EU)' });
    expect((await k.call('workspaces.list', {}, owner)).map((w) => w.slug)).toEqual(['default', 'acme-corp-eu']);
    const inAcme = { workspaceId: acme.id, scopes: ['admin'] as const };
    expect(await k.call('mailboxes.list', {}, { ...inAcme, scopes: ['admin'] })).toEqual([]);
    expect((await k.call('workspace.get', {}, { ...inAcme, scopes: ['admin'] })).name).toBe('Acme Corp. (EU)');
  });

  it('refuses a taken slug, a bad slug and an empty name with coded errors', async () => {
    const owner = { ...k.ctx, owner: true };
    expect(await codeOf(k.call('workspaces.create', { name: 'Acme Corp EU' }, owner))).toBe('CONFLICT');
    expect(await codeOf(k.call('workspaces.create', { name: 'X', slug: 'Bad Slug!' }, owner))).toBe('VALIDATION_FAILED');
    expect(await codeOf(k.call('workspaces.create', { name: '   ' }, owner))).toBe('VALIDATION_FAILED');
  });

  it('a token context (even admin) may neither list nor create', async () => {
    expect(await codeOf(k.call('workspaces.list', {}))).toBe('FORBIDDEN');
    expect(await codeOf(k.call('workspaces.create', { name: 'Sneaky' }))).toBe('FORBIDDEN');
  });

  it('derives readable slugs', () => {
    expect(slugOf('Café Déjà Vu')).toBe('cafe-deja-vu');
    expect(slugOf('  --Hello   World--  ')).toBe('hello-world');
    expect(slugOf('日本')).toMatch(/^workspace-[a-z0-9]+$/);
  });
});
