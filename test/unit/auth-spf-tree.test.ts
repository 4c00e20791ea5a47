// The SPF tree walk over an in-memory zone (a fake Lookup): redirect, macros, the MX address
// limit, where ?all matters, ptr, and the lookup counts of each term.
import { describe, expect, it } from 'vitest';
import type { Answer, Lookup, MxAnswer } from '../../electron/core/checks/auth/dns';
import { walkSpf } from '../../electron/core/checks/auth/spf-tree';

type Zone = Record<string, { TXT?: string[]; A?: string[]; AAAA?: string[]; MX?: MxAnswer[] }>;

function fakeLookup(zone: Zone): Lookup & { asked: string[] } {
  const asked: string[] = [];
  const answer = <T>(name: string, type: 'TXT' | 'A' | 'AAAA' | 'MX'): Promise<Answer<T>> => {
    asked.push(`${name} ${type}`);
    const rr = zone[name];
    if (!rr) return Promise.resolve({ ok: false, failure: 'nxdomain', code: 'ENOTFOUND', message: '' });
    const values = (rr[type] ?? []) as T[];
    return Promise.resolve(values.length ? { ok: true, values } : { ok: false, failure: 'nodata', code: 'ENODATA', message: '' });
  };
  return {
    asked,
    answered: [],
    resolve: () => Promise.reject(new Error('not used')),
    txt: (n) => answer(n, 'TXT'),
    a: (n) => answer(n, 'A'),
    aaaa: (n) => answer(n, 'AAAA'),
    mx: (n) => answer(n, 'MX'),
    ptr: () => Promise.resolve({ ok: false, failure: 'nxdomain', code: 'ENOTFOUND', message: '' }),
  };
}

describe('SPF tree walk', () => {
  it('follows redirect when there is no all, and ignores it when there is', async () => {
    const zone: Zone = {
      'r.example': { TXT: ['v=spf1 ip4:192.0.2.1 redirect=_spf.r.example'] },
      '_spf.r.example': { TXT: ['v=spf1 a -all'] },
      'ign.example': { TXT: ['v=spf1 -all redirect=_spf.r.example'] },
    };
    const w = await walkSpf(fakeLookup(zone), 'r.example');
    expect(w.nodes.map((n) => [n.domain, n.via])).toEqual([
      ['r.example', null],
      ['_spf.r.example', 'redirect'],
    ]);
    // redirect (1) + a (1, _spf.r.example has no address: void)
    expect([w.lookups, w.voidLookups]).toEqual([2, 1]);
    const ign = await walkSpf(fakeLookup(zone), 'ign.example');
    expect(ign.lookups).toBe(0);
    expect(ign.nodes[0]!.terms[1]!.note).toContain('ignored');
  });

  it('counts macro terms without resolving them, and names a missing redirect target', async () => {
    const l = fakeLookup({ 'm.example': { TXT: ['v=spf1 exists:%{i}._ip.m.example include:%{d}.inc.example redirect=gone.example'] } });
    const w = await walkSpf(l, 'm.example');
    expect(w.lookups).toBe(3);
    expect(w.nodes[0]!.terms[0]!.note).toContain('depends on the message');
    expect(l.asked).toContain('m.example.inc.example TXT'); // %{d} expands to the current domain
    expect(l.asked.some((q) => q.includes('%'))).toBe(false);
    expect(w.faults.map((f) => f.code)).toEqual(expect.arrayContaining(['spf.include_missing', 'spf.redirect_missing']));
    expect(w.voidLookups).toBe(2);
  });

  it('an mx with more than 10 exchanges is a permerror; its exchanges are not in the 10', async () => {
    const many = Array.from({ length: 11 }, (_, i) => ({ exchange: `mx${i}.big.example`, priority: i }));
    const w = await walkSpf(fakeLookup({ 'big.example': { TXT: ['v=spf1 mx -all'], MX: many } }), 'big.example');
    expect(w.lookups).toBe(1);
    expect(w.nodes[0]!.terms[0]!.addressLookups).toBe(11);
    expect(w.faults.map((f) => f.code)).toEqual(['spf.mx_too_many']);
  });

  it('warns about ?all only where it decides the result, +all anywhere, and ptr', async () => {
    const zone: Zone = {
      'q.example': { TXT: ['v=spf1 include:inc.q.example ptr ~all'] },
      'inc.q.example': { TXT: ['v=spf1 ip4:192.0.2.0/24 ?all'] },
      'p.example': { TXT: ['v=spf1 include:open.p.example -all'] },
      'open.p.example': { TXT: ['v=spf1 +all'] },
      'n.example': { TXT: ['v=spf1 ?all'] },
    };
    expect((await walkSpf(fakeLookup(zone), 'q.example')).faults.map((f) => f.code)).toEqual(['spf.ptr']);
    expect((await walkSpf(fakeLookup(zone), 'p.example')).faults.map((f) => f.code)).toEqual(['spf.pass_all']);
    expect((await walkSpf(fakeLookup(zone), 'n.example')).faults.map((f) => f.code)).toEqual(['spf.neutral_all']);
  });

  it('an a mechanism is void only when neither A nor AAAA exists', async () => {
    const zone: Zone = {
      'v6.example': { TXT: ['v=spf1 a:six.v6.example a:none.v6.example -all'] },
      'six.v6.example': { AAAA: ['2001:db8::1'] },
      'none.v6.example': { TXT: ['unrelated'] },
    };
    const w = await walkSpf(fakeLookup(zone), 'v6.example');
    expect(w.nodes[0]!.terms.map((t) => t.voidLookups)).toEqual([0, 1, 0]);
  });

  it('reports a missing root record as missing, not as a permerror', async () => {
    const w = await walkSpf(fakeLookup({ 'none.example': { TXT: ['google-site-verification=x'] } }), 'none.example');
    expect(w.missing).toBe(true);
    expect(w.faults).toEqual([]);
    expect(w.rootTxt).toEqual(['google-site-verification=x']);
  });
});
