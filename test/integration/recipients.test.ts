import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, startTestCore, type TestCore } from '../helpers/core';
import { workspaceRepository } from '../../electron/core/workspaces/repository';
import type { CallContext } from '../../electron/core/api/context';
import type { PushEvent } from '../../shared/api/events';
import type { KilnError } from '../../shared/errors';

// Seeds and contacts through the core's one call path: a 1,000-row CSV import with every kind of
// bad row mixed in, dry runs, refused files, atomic writes, export round trip, paging, isolation.

let k: TestCore;
let other: CallContext;
const events: PushEvent[] = [];

async function messageOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as KilnError).message;
  }
  return 'OK';
}

// Row i of the file is on line i + 2. Every 50 rows: one invalid, one repeat of the row before,
// one suppressed and one already-a-seed address, at fixed offsets: 20 of each in 1,000 rows.
const OFFSETS = { invalid: 10, duplicate: 20, suppressed: 30, exists: 40 } as const;
const good = (i: number) => `good${i}@${['gmail.com', 'outlook.com', 'example.test'][i % 3]}`;
const suppressedAddr = (i: number) => `supp${i}@example.test`;
const existingAddr = (i: number) => `old${i}@example.test`;
const linesOf = (offset: number) => Array.from({ length: 20 }, (_, n) => n * 50 + offset + 2);

function bigCsv(): string {
  const lines = ['Email;Name'];
  for (let i = 0; i < 1000; i++) {
    const o = i % 50;
    if (o === OFFSETS.invalid) lines.push(`not-an-address-${i};Bad ${i}`);
    else if (o === OFFSETS.duplicate) lines.push(`${good(i - 1).toUpperCase()};Again`);
    else if (o === OFFSETS.suppressed) lines.push(`${suppressedAddr(i)};Suppressed`);
    else if (o === OFFSETS.exists) lines.push(`${existingAddr(i)};Old`);
    // Case and spaces around the address do not matter.
    else lines.push(`${i % 7 === 0 ? ` ${good(i).toUpperCase()} ` : good(i)};Person ${i}`);
  }
  return lines.join('\r\n') + '\r\n';
}

const total = async (ctx?: CallContext) => (await k.call('recipients.list', { limit: 1 }, ctx)).total;

beforeAll(async () => {
  k = await startTestCore({ warmup: false });
  await k.core.services.dispatcher?.stop();
  await k.core.services.feedback?.stop();
  const ws = await workspaceRepository(k.core.services.db.kysely).create('client-b', 'Client B', k.clock.now());
  other = { workspaceId: ws.id, scopes: ['admin'] };
  k.core.subscribe((e) => events.push(e));
  for (const l of linesOf(OFFSETS.suppressed)) await k.call('suppressions.add', { address: suppressedAddr(l - 2) });
  for (const l of linesOf(OFFSETS.exists)) await k.call('recipients.add', { kind: 'seed', address: existingAddr(l - 2) });
});
afterAll(async () => {
  await k?.core.close();
});

describe('recipients import', () => {
  it('reports every bad row by line on a dry run, and writes nothing', async () => {
    const r = await k.call('recipients.import', { kind: 'seed', csv: bigCsv(), dryRun: true });
    expect(r).toMatchObject({ dryRun: true, total: 1000, imported: 920 });
    expect(r.rejected).toHaveLength(80);
    for (const [reason, offset] of Object.entries(OFFSETS)) {
      expect(r.rejected.filter((x) => x.reason === reason).map((x) => x.line)).toEqual(linesOf(offset));
    }
    expect(r.rejected.map((x) => x.line)).toEqual([...r.rejected.map((x) => x.line)].sort((a, b) => a - b));
    expect(r.rejected.find((x) => x.line === 12)).toMatchObject({ address: 'not-an-address-10', reason: 'invalid' });
    expect(r.rejected.find((x) => x.line === 22)).toMatchObject({ address: good(19), reason: 'duplicate', message: 'Already on line 21 of this file.' });
    expect(r.rejected.find((x) => x.line === 42)).toMatchObject({ address: existingAddr(40), reason: 'exists', message: 'Already a seed.' });
    expect(await total()).toBe(20);
  });

  it('imports the valid rows in one go with progress events ending at the total', async () => {
    events.length = 0;
    const r = await k.call('recipients.import', { kind: 'seed', csv: bigCsv(), importId: 'imp-1' });
    expect(r).toMatchObject({ dryRun: false, total: 1000, imported: 920 });
    expect(r.rejected).toHaveLength(80);
    const progress = events.filter((e) => e.name === 'recipients.importProgress').map((e) => e.data as { importId: string; done: number; total: number });
    expect(progress.every((p) => p.importId === 'imp-1' && p.total === 1000)).toBe(true);
    expect(progress.map((p) => p.done)).toEqual([200, 400, 600, 800, 1000]);
    expect(events.filter((e) => e.name === 'recipients.changed').map((e) => e.data)).toEqual([{ kind: 'seed', count: 920 }]);
    expect(await total()).toBe(940);
    // Lower-cased, trimmed, provider inferred from the domain.
    const gmail = await k.call('recipients.list', { q: good(21) });
    expect(gmail.items).toMatchObject([{ address: good(21), provider: 'gmail', name: 'Person 21', kind: 'seed' }]);
    // The same file again: every good row now exists.
    const again = await k.call('recipients.import', { kind: 'seed', csv: bigCsv(), dryRun: true });
    expect(again.imported).toBe(0);
    expect(again.rejected.filter((x) => x.reason === 'exists')).toHaveLength(940);
  });

  it('refuses a malformed file or one without an email column, writing nothing', async () => {
    const before = await total();
    const unclosed = 'email,name\nz1@x.test,Z\nz2@x.test,"never closed\nz3@x.test,Z\n';
    expect(await codeOf(k.call('recipients.import', { kind: 'seed', csv: unclosed }))).toBe('VALIDATION_FAILED');
    expect(await messageOf(k.call('recipients.import', { kind: 'seed', csv: unclosed }))).toMatch(/^Line 3: /);
    expect(await messageOf(k.call('recipients.import', { kind: 'seed', csv: 'name\nZed\n' }))).toMatch(/no email column/);
    expect(await total()).toBe(before);
  });

  it('rolls the whole import back when one insert fails', async () => {
    const sqlite = k.core.services.db.sqlite;
    sqlite.exec(`CREATE TRIGGER test_fail BEFORE INSERT ON recipients WHEN NEW.address = 'boom@x.test' BEGIN SELECT RAISE(ABORT, 'boom'); END`);
    try {
      const before = await total();
      expect(await codeOf(k.call('recipients.import', { kind: 'contact', csv: 'email\nfirst@x.test\nboom@x.test\nlast@x.test\n' }))).toBe('INTERNAL');
      expect(await total()).toBe(before);
    } finally {
      sqlite.exec('DROP TRIGGER test_fail');
    }
  });
});

describe('recipients list, add, remove', () => {
  it('pages newest first with a total for the filter', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const p = await k.call('recipients.list', { kind: 'seed', limit: 300, cursor });
      expect(p.total).toBe(940);
      seen.push(...p.items.map((i) => i.id));
      cursor = p.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(new Set(seen).size).toBe(940);
    expect(seen).toEqual([...seen].sort().reverse());
    expect((await k.call('recipients.list', { kind: 'contact' })).total).toBe(0);
  });

  it('searches address and name, with % and _ taken literally', async () => {
    await k.call('recipients.add', { kind: 'contact', address: 'pct@x.test', name: '100% real' });
    await k.call('recipients.add', { kind: 'contact', address: 'under_score@x.test' });
    expect((await k.call('recipients.list', { q: '%' })).items.map((i) => i.address)).toEqual(['pct@x.test']);
    expect((await k.call('recipients.list', { q: '_' })).items.map((i) => i.address)).toEqual(['under_score@x.test']);
    const person = await k.call('recipients.list', { q: 'person 12', kind: 'seed' });
    expect(person.total).toBe(10); // Person 12 and 121..129 (row 120 repeats row 119)
    const special = new Set<number>(Object.values(OFFSETS));
    const outlook = Array.from({ length: 1000 }, (_, i) => i).filter((i) => i % 3 === 1 && !special.has(i % 50));
    expect((await k.call('recipients.list', { q: 'OUTLOOK.COM', limit: 5 })).total).toBe(outlook.length);
  });

  it('refuses an existing or suppressed address, and removes by id', async () => {
    expect(await codeOf(k.call('recipients.add', { kind: 'seed', address: good(1).toUpperCase() }))).toBe('CONFLICT');
    expect(await codeOf(k.call('recipients.add', { kind: 'seed', address: suppressedAddr(30) }))).toBe('RECIPIENT_SUPPRESSED');
    // The same address may be a seed and a contact.
    const c = await k.call('recipients.add', { kind: 'contact', address: good(1) });
    events.length = 0;
    expect(await k.call('recipients.remove', { id: c.id })).toEqual({ id: c.id, deleted: true });
    expect(events.filter((e) => e.name === 'recipients.changed').map((e) => e.data)).toEqual([{ kind: 'contact', count: 1 }]);
    expect(await codeOf(k.call('recipients.remove', { id: c.id }))).toBe('NOT_FOUND');
  });
});

describe('recipients export', () => {
  it('neutralises formulas and imports back unchanged into another workspace', async () => {
    const evil = '=HYPERLINK("http://evil.test","click")';
    await k.call('recipients.add', { kind: 'contact', address: 'evil@x.test', name: evil });
    const out = await k.call('recipients.export', { kind: 'contact' });
    expect(out.filename).toBe('kiln-recipients-contact-2026-11-23.csv');
    expect(out.count).toBe(3);
    const lines = out.csv.trimEnd().split('\n');
    expect(lines[0]).toBe('email,name,kind,provider,added');
    expect(lines).toHaveLength(4);
    expect(out.csv).toContain(`evil@x.test,"'=HYPERLINK(""http://evil.test"",""click"")",contact,custom,2026-11-23T10:00:00.000Z`);
    expect(out.csv).not.toMatch(/(^|,)=HYPERLINK/m);

    const r = await k.call('recipients.import', { kind: 'contact', csv: out.csv }, other);
    expect(r).toMatchObject({ total: 3, imported: 3, rejected: [] });
    const back = (await k.call('recipients.list', { kind: 'contact' }, other)).items;
    const here = (await k.call('recipients.list', { kind: 'contact' })).items;
    const strip = (l: typeof back) => l.map(({ address, name, kind, provider }) => ({ address, name, kind, provider })).sort((a, b) => a.address.localeCompare(b.address));
    expect(strip(back)).toEqual(strip(here));
    expect(back.find((b) => b.address === 'evil@x.test')?.name).toBe(evil);

    const all = await k.call('recipients.export', {});
    expect(all).toMatchObject({ filename: 'kiln-recipients-all-2026-11-23.csv', count: 943 });
  });
});

describe('recipients workspace isolation', () => {
  it('never shows, imports against or removes another workspace’s recipients', async () => {
    const mine = await k.call('recipients.list', { kind: 'seed', limit: 1 });
    expect((await k.call('recipients.list', { kind: 'seed' }, other)).total).toBe(0);
    expect(await codeOf(k.call('recipients.remove', { id: mine.items[0]!.id }, other))).toBe('NOT_FOUND');
    // Suppressions and existing seeds of workspace A do not apply to B.
    const r = await k.call('recipients.import', { kind: 'seed', csv: bigCsv(), dryRun: true }, other);
    expect(r.imported).toBe(960);
    expect(r.rejected.map((x) => x.reason).sort()).toEqual([...Array(20).fill('duplicate'), ...Array(20).fill('invalid')]);
    expect(events.some((e) => e.workspaceId === other.workspaceId && e.name === 'recipients.importProgress')).toBe(false);
    expect(await total()).toBe(943);
  });
});
