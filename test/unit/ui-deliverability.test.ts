// The Deliverability screen's pure parts: the running DNS-lookup count that marks where an SPF
// tree crosses the limit (on trees the core's own walker builds), and the address of each tab
// and view.
import { describe, expect, it } from 'vitest';
import type { Answer, Lookup } from '../../electron/core/checks/auth/dns';
import { SPF_LOOKUP_LIMIT, SPF_VOID_LIMIT, walkSpf } from '../../electron/core/checks/auth/spf-tree';
import { hrefOf, parseHash } from '../../renderer/src/app/router';
import { spfMarks } from '../../renderer/src/features/deliverability/spf';

/** TXT records only: enough for include trees. */
function txtZone(zone: Record<string, string>): Lookup {
  const none = <T>(): Promise<Answer<T>> => Promise.resolve({ ok: false, failure: 'nxdomain', code: 'ENOTFOUND', message: '' });
  return {
    answered: [],
    resolve: () => Promise.reject(new Error('not used')),
    txt: (n) => (zone[n] ? Promise.resolve({ ok: true, values: [zone[n]!] }) : none()),
    a: () => none(),
    aaaa: () => none(),
    mx: () => none(),
    ptr: () => none(),
  };
}

async function marksOf(zone: Record<string, string>, domain: string) {
  const w = await walkSpf(txtZone(zone), domain);
  const check = { tree: w.nodes, limits: { lookups: SPF_LOOKUP_LIMIT, voidLookups: SPF_VOID_LIMIT } };
  const m = spfMarks(check);
  const byRaw = (node: string, raw: string) => m.terms.get(w.nodes.find((n) => n.domain === node)!.terms.find((t) => t.raw === raw)!)!;
  return { w, m, byRaw };
}

describe('SPF tree marks', () => {
  it('counts lookups in evaluation order, depth first through includes, with each subtree’s total', async () => {
    const { w, m, byRaw } = await marksOf(
      {
        'd.example': 'v=spf1 include:a.example ip4:192.0.2.1 include:b.example -all',
        'a.example': 'v=spf1 include:a2.example -all',
        'a2.example': 'v=spf1 ip4:192.0.2.2 -all',
        'b.example': 'v=spf1 ip4:192.0.2.3 ~all',
      },
      'd.example',
    );
    expect(w.lookups).toBe(3);
    expect(byRaw('d.example', 'include:a.example')).toEqual({ running: 1, overLimit: false });
    expect(byRaw('a.example', 'include:a2.example')).toEqual({ running: 2, overLimit: false });
    expect(byRaw('d.example', 'ip4:192.0.2.1')).toEqual({ running: null, overLimit: false });
    expect(byRaw('d.example', 'include:b.example')).toEqual({ running: 3, overLimit: false });
    const total = (d: string) => m.subtree.get(w.nodes.find((n) => n.domain === d)!.id);
    expect([total('d.example'), total('a.example'), total('a2.example'), total('b.example')]).toEqual([3, 1, 0, 0]);
  });

  it('marks exactly the term that crosses the limit of 10, inside a nested include', async () => {
    const zone: Record<string, string> = {
      'big.example': 'v=spf1 include:n1.example include:n2.example -all',
      'n1.example': `v=spf1 ${Array.from({ length: 6 }, (_, i) => `include:x${i}.example`).join(' ')} -all`,
      'n2.example': `v=spf1 ${Array.from({ length: 6 }, (_, i) => `include:y${i}.example`).join(' ')} -all`,
    };
    for (let i = 0; i < 6; i++) zone[`x${i}.example`] = zone[`y${i}.example`] = 'v=spf1 ip4:192.0.2.9 -all';
    const { w, m, byRaw } = await marksOf(zone, 'big.example');
    expect(w.complete).toBe(false);
    // 1 (n1) + 6 (x0-x5) + 1 (n2) = 8, then y0 = 9, y1 = 10, y2 = 11: over.
    expect(byRaw('n2.example', 'include:y1.example')).toEqual({ running: 10, overLimit: false });
    expect(byRaw('n2.example', 'include:y2.example')).toEqual({ running: 11, overLimit: true });
    expect([...m.terms.values()].filter((x) => x.overLimit)).toHaveLength(1);
    expect(w.nodes.some((n) => n.domain === 'y2.example')).toBe(false);
    expect(w.nodes.find((n) => n.domain === 'n2.example')!.terms.find((t) => t.raw === 'include:y3.example')!.evaluated).toBe(false);
  });
});

describe('deliverability addresses', () => {
  it('round-trips every tab, an open domain and an open placement test through the hash', () => {
    for (const route of [
      { name: 'deliverability', tab: 'domains' },
      { name: 'deliverability', tab: 'domains', domain: 'example.com' },
      { name: 'deliverability', tab: 'blocklists' },
      { name: 'deliverability', tab: 'dmarc' },
      { name: 'deliverability', tab: 'placement', test: 'pt_1' },
      { name: 'deliverability', tab: 'alerts' },
    ] as const) {
      expect(parseHash(hrefOf(route))).toEqual(route);
    }
    expect(hrefOf({ name: 'deliverability', tab: 'domains', domain: 'example.com' })).toBe('#/deliverability?tab=domains&domain=example.com');
  });

  it('falls back to Domains for an unknown tab and drops parameters of other tabs', () => {
    expect(parseHash('#/deliverability')).toEqual({ name: 'deliverability', tab: 'domains' });
    expect(parseHash('#/deliverability?tab=nope')).toEqual({ name: 'deliverability', tab: 'domains' });
    expect(parseHash('#/deliverability?tab=alerts&domain=example.com&test=x')).toEqual({ name: 'deliverability', tab: 'alerts' });
  });
});
