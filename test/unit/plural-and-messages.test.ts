import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { daysAgo, plural, pluralWord } from '../../shared/plural';
import { fieldErrors, humanError } from '../../shared/api/issues';
import { allows } from '../../shared/api/access';
import { api, methodNames } from '../../shared/api/table';
import { healthScoreOf, type HealthInputs } from '../../electron/core/health/score';

// The words around numbers and the validation messages people read, and the one scope rule the
// UI and the core share.

describe('plural', () => {
  it('says 1 mailbox, 0 and 2 mailboxes, with thousands separated', () => {
    expect(plural(1, 'mailbox', 'mailboxes')).toBe('1 mailbox');
    expect(plural(0, 'mailbox', 'mailboxes')).toBe('0 mailboxes');
    expect(plural(2, 'mailbox', 'mailboxes')).toBe('2 mailboxes');
    expect(plural(1200, 'row', 'rows')).toBe('1,200 rows');
    expect(pluralWord(1, 'row is', 'rows are')).toBe('row is');
  });

  it('says today and yesterday rather than 0 or 1 days ago', () => {
    expect(daysAgo(0)).toBe('today');
    expect(daysAgo(1)).toBe('yesterday');
    expect(daysAgo(3)).toBe('3 days ago');
  });
});

describe('validation messages', () => {
  const messages = (schema: z.ZodType, input: unknown) => {
    const r = schema.safeParse(input, { error: humanError });
    if (r.success) throw new Error('expected a validation error');
    return fieldErrors(r.error);
  };

  it('read like a person wrote them, for every common rule', () => {
    const schema = z.object({
      min: z.number().int().min(1),
      max: z.number().max(100),
      gt: z.number().positive(),
      int: z.number().int(),
      text: z.string().min(3).max(5),
      empty: z.string().min(1),
      list: z.array(z.string()).min(1),
      items: z.array(z.string()).max(2),
      email: z.email(),
      kind: z.enum(['seed', 'contact']),
      needed: z.string(),
      bool: z.boolean(),
      ip: z.ipv4(),
    });
    const out = messages(schema, { min: 0, max: 101, gt: 0, int: 1.5, text: 'ab', empty: '', list: [], items: ['a', 'b', 'c'], email: 'nope', kind: 'x', bool: 'yes', ip: '1.2.3' });
    expect(Object.fromEntries(out.map((f) => [f.path, f.message]))).toEqual({
      min: 'Must be at least 1',
      max: 'Must be at most 100',
      gt: 'Must be more than 0',
      int: 'Must be a whole number',
      text: 'Must be at least 3 characters',
      empty: 'Must not be empty',
      list: 'Must list at least one',
      items: 'Must be at most 2 items',
      email: 'Must be an email address',
      kind: 'Must be one of "seed", "contact"',
      needed: 'Required',
      bool: 'Must be true or false',
      ip: 'Must be an IPv4 address such as 192.0.2.10',
    });
    expect(messages(z.strictObject({ a: z.string() }), { a: 'x', b: 1, c: 2 })).toEqual([{ path: '(body)', message: 'Unknown fields: b, c' }]);
    expect(messages(z.string().min(2), 'x')).toEqual([{ path: '(body)', message: 'Must be at least 2 characters' }]);
  });

  it("keeps a schema's own message, capitalised like the others", () => {
    expect(messages(z.object({ day: z.string().regex(/^\d{4}$/, 'must be a year like 2026') }), { day: 'x' })).toEqual([{ path: 'day', message: 'Must be a year like 2026' }]);
  });
});

describe('allows (what the UI shows and the core accepts)', () => {
  it('orders the scopes: a read token reads, send adds sending, admin everything but owner methods', () => {
    const read = { scopes: ['read' as const] };
    const send = { scopes: ['send' as const] };
    const admin = { scopes: ['admin' as const] };
    for (const m of methodNames) {
      const need = api[m].scope;
      expect(allows(read, m), m).toBe(need === 'read');
      expect(allows(send, m), m).toBe(need === 'read' || need === 'send');
      expect(allows(admin, m), m).toBe(need !== 'owner');
      expect(allows({ scopes: ['admin'], owner: true }, m), m).toBe(true);
    }
    expect(allows(null, 'mailboxes.list')).toBe(false);
  });
});

describe('counts in the health score read as words', () => {
  const none: HealthInputs = { placements: [], auth: null, blocklists: null, sent: 0, bounced: 0, complained: 0, placementTest: null };
  const detail = (i: HealthInputs, part: string) => healthScoreOf(i).components.find((c) => c.part === part)!.detail;

  it('says "today", "1 placement" and "1 listing", never "0 day(s) ago" or "listing(s)"', () => {
    expect(detail({ ...none, placementTest: { inboxRate: 1, ageDays: 0 } } as HealthInputs, 'placementTest')).toBe('100 % inbox, today');
    expect(detail({ ...none, placements: [{ ageDays: 0, provider: 'custom', placement: 'inbox' }] }, 'placement')).toMatch(/^1 placement in 14 days/);
    expect(detail({ ...none, blocklists: { listed: 1, policyListed: 1, asked: 2, answered: 2, checkedAt: 0, errors: [] } }, 'blocklists')).toBe('1 listing, 1 policy listing (e.g. PBL)');
  });
});
