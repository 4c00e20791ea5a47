// Template versions in the core on a real SQLite file: what makes a version, and two edits racing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, startTestCore, type TestCore } from '../helpers/core';

let k: TestCore;
beforeAll(async () => {
  k = await startTestCore({ warmup: false });
});
afterAll(async () => {
  await k?.core.close();
});

describe('template versions', () => {
  it('a rename alone makes no version; a content change does; an unchanged save makes none', async () => {
    const t = await k.call('templates.create', { name: 'Receipt', subject: 'Receipt {{n}}', text: 'n={{n}}', variables: [{ name: 'n' }] });
    expect(t.version).toBe(1);
    expect((await k.call('templates.update', { id: t.id, name: 'Receipt (new)' })).version).toBe(1);
    expect((await k.call('templates.update', { id: t.id, subject: 'Receipt {{n}}', text: 'n={{n}}' })).version).toBe(1);
    const v2 = await k.call('templates.update', { id: t.id, text: 'number {{n}}' });
    expect(v2).toMatchObject({ name: 'Receipt (new)', version: 2, current: { version: 2, text: 'number {{n}}', subject: 'Receipt {{n}}' } });
    expect((await k.call('templates.get', { id: t.id, version: 1 })).current.text).toBe('n={{n}}');
    expect(await codeOf(k.call('templates.get', { id: t.id, version: 3 }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(k.call('templates.create', { name: 'Receipt (new)', subject: 'x', text: 'y' }))).toBe('CONFLICT');
  });

  it('two edits racing from the same version: one becomes the next version, the other is a CONFLICT', async () => {
    const t = await k.call('templates.create', { name: 'Race', subject: 'x', text: 'base' });
    const codes = await Promise.all([codeOf(k.call('templates.update', { id: t.id, text: 'one' })), codeOf(k.call('templates.update', { id: t.id, text: 'two' }))]);
    expect(codes.sort()).toEqual(['CONFLICT', 'OK']);
    const after = await k.call('templates.get', { id: t.id });
    expect(after.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(['one', 'two']).toContain(after.current.text);
  });
});
