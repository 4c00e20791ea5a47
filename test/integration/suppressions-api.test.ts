import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, startTestCore, type TestCore } from '../helpers/core';

// The suppression API through the core's one call path (the same validation REST and IPC use):
// search by part of the address, the reason filter, CSV import with its per-line report, export.

let k: TestCore;
const addresses = async (input: Parameters<TestCore['call']>[1] & object = {}) =>
  (await k.call('suppressions.list', { limit: 100, ...input })).items.map((s) => s.address).sort();

beforeAll(async () => {
  k = await startTestCore({ warmup: false });
  const ws = k.core.defaultWorkspaceId;
  const sup = k.core.services.suppressions;
  // Reasons only the feedback loop makes, written the way it writes them.
  await sup.add(ws, 'ghost@bounce.test', 'hard_bounce', '5.1.1 user unknown', 'msg_hard');
  await sup.add(ws, 'angry@complain.test', 'complaint', 'abuse', 'msg_arf');
  await sup.add(ws, 'full@soft.test', 'soft_bounces', '3 soft bounces within 7 days', 'msg_soft');
  await k.call('suppressions.add', { address: 'Ana.Lopez@Client.test', detail: 'asked to stop' });
  await k.call('suppressions.add', { address: 'ana_x@client.test' });
});
afterAll(async () => {
  await k?.core.close();
});

describe('suppressions API', () => {
  it('searches by prefix or any part of the address, without case, and _ or % match only themselves', async () => {
    expect(await addresses({ q: 'ANA' })).toEqual(['ana.lopez@client.test', 'ana_x@client.test']);
    expect(await addresses({ q: 'lopez@cli' })).toEqual(['ana.lopez@client.test']);
    expect(await addresses({ q: 'ana_' })).toEqual(['ana_x@client.test']);
    expect(await addresses({ q: '%' })).toEqual([]);
    expect(await addresses({ q: 'nobody' })).toEqual([]);
  });

  it('filters by reason, and the feedback-made ones name their message', async () => {
    expect(await addresses({ reason: 'manual' })).toEqual(['ana.lopez@client.test', 'ana_x@client.test']);
    expect(await addresses({ reason: 'soft_bounces' })).toEqual(['full@soft.test']);
    const [hard] = (await k.call('suppressions.list', { reason: 'hard_bounce' })).items;
    expect(hard).toMatchObject({ address: 'ghost@bounce.test', reason: 'hard_bounce', messageId: 'msg_hard' });
    expect(await addresses({ reason: 'complaint', q: 'ghost' })).toEqual([]);
    expect(await codeOf(k.call('suppressions.list', { reason: 'bored' as never }))).toBe('VALIDATION_FAILED');
  });

  it('pages through a filtered list with the cursor', async () => {
    const first = await k.call('suppressions.list', { limit: 1, q: 'client.test' });
    expect(first.items).toHaveLength(1);
    const second = await k.call('suppressions.list', { limit: 1, q: 'client.test', cursor: first.nextCursor! });
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(new Set([first.items[0]!.address, second.items[0]!.address]).size).toBe(2);
  });

  it('imports a CSV as manual suppressions and reports every skipped line with its number', async () => {
    const csv = [
      'Email,Detail,Reason',
      'one@import.test,from the old tool,manual',
      'not-an-address,,',
      'TWO@import.test,,',
      'one@import.test,again,',
      'ghost@bounce.test,already,manual',
      'three@import.test,,hard_bounce',
      '"four@import.test","a detail',
      'over two lines",',
      "'=five@import.test,,",
    ].join('\n');
    const report = await k.call('suppressions.import', { csv });
    expect(report.total).toBe(8);
    expect(report.imported).toBe(3);
    expect(report.rejected).toEqual([
      { line: 3, address: 'not-an-address', reason: 'invalid', message: '"not-an-address" is not a valid email address.' },
      { line: 5, address: 'one@import.test', reason: 'duplicate', message: 'Already on line 2 of this file.' },
      { line: 6, address: 'ghost@bounce.test', reason: 'exists', message: 'Already suppressed.' },
      expect.objectContaining({ line: 7, address: 'three@import.test', reason: 'reason' }),
      { line: 10, address: '=five@import.test', reason: 'invalid', message: '"=five@import.test" is not a valid email address.' },
    ]);
    const imported = (await k.call('suppressions.list', { q: 'import.test' })).items;
    expect(imported.map((s) => [s.address, s.reason, s.detail, s.messageId])).toEqual(
      expect.arrayContaining([
        ['one@import.test', 'manual', 'from the old tool', null],
        ['two@import.test', 'manual', null, null],
        ['four@import.test', 'manual', 'a detail\nover two lines', null],
      ]),
    );
    // The hard bounce keeps its reason and its message.
    expect((await k.call('suppressions.list', { q: 'ghost@' })).items[0]).toMatchObject({ reason: 'hard_bounce', messageId: 'msg_hard' });
  });

  it('refuses a malformed file whole: a clear error, nothing imported', async () => {
    const before = await addresses();
    const broken = await k.call('suppressions.import', { csv: 'email\nok@broken.test\n"never@closed.test\n' }).catch((e: unknown) => e);
    expect(broken).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/never closed.*Nothing was imported/) });
    const noEmail = await k.call('suppressions.import', { csv: 'name,detail\nAna,x\n' }).catch((e: unknown) => e);
    expect(noEmail).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('no email column') });
    expect(await codeOf(k.call('suppressions.import', { csv: '' }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(k.call('suppressions.import', { csv: '\u0000\u0001binary,,,"' }))).toBe('VALIDATION_FAILED');
    expect(await addresses()).toEqual(before);
  });

  it('exports the filtered list as CSV, formulas neutralised, and the export imports back', async () => {
    await k.call('suppressions.add', { address: 'formula@export.test', detail: '=HYPERLINK("http://evil.test","x")' });
    const all = await k.call('suppressions.export', {});
    expect(all.filename).toMatch(/^kiln-suppressions-all-\d{4}-\d{2}-\d{2}\.csv$/);
    const rows = parse(all.csv, { columns: true }) as Record<string, string>[];
    expect(all.count).toBe(rows.length);
    expect(rows.find((r) => r.email === 'formula@export.test')!.detail).toBe(`'=HYPERLINK("http://evil.test","x")`);
    expect(rows.find((r) => r.email === 'ghost@bounce.test')).toMatchObject({ reason: 'hard_bounce', message: 'msg_hard' });
    const manual = await k.call('suppressions.export', { reason: 'manual', q: 'export' });
    expect(manual).toMatchObject({ count: 1, filename: expect.stringContaining('-manual-') });
    // Exported manual rows come back unchanged (the apostrophe taken off again).
    await k.call('suppressions.remove', { id: (await k.call('suppressions.list', { q: 'formula@' })).items[0]!.id });
    expect((await k.call('suppressions.import', { csv: manual.csv })).imported).toBe(1);
    expect((await k.call('suppressions.list', { q: 'formula@' })).items[0]!.detail).toBe('=HYPERLINK("http://evil.test","x")');
    // A bounce's row cannot be re-imported as one: only manual reasons import.
    const hard = await k.call('suppressions.export', { reason: 'hard_bounce' });
    await k.call('suppressions.remove', { id: (await k.call('suppressions.list', { q: 'ghost@' })).items[0]!.id });
    expect((await k.call('suppressions.import', { csv: hard.csv })).rejected).toEqual([expect.objectContaining({ reason: 'reason', address: 'ghost@bounce.test' })]);
  });

  it('removes one suppression; a second remove is NOT_FOUND', async () => {
    const [s] = (await k.call('suppressions.list', { q: 'ana_x' })).items;
    expect(await k.call('suppressions.remove', { id: s!.id })).toEqual({ id: s!.id, deleted: true });
    expect(await codeOf(k.call('suppressions.remove', { id: s!.id }))).toBe('NOT_FOUND');
    expect(await addresses({ q: 'ana_x' })).toEqual([]);
  });
});
