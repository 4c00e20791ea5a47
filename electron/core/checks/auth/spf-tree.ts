// The SPF tree: the domain's record and every record it reaches through include/redirect,
// walked depth-first in evaluation order, counting what RFC 7208 §4.6.4 limits:
// - DNS lookups: 1 per include, a, mx, ptr, exists and redirect (the root TXT query is free,
//   exp is not counted: it is read only after a fail). Limit 10.
// - void lookups: a lookup answered NXDOMAIN or NODATA (an a mechanism is void only when A and
//   AAAA both are; an include or redirect to a name without TXT counts too). Limit 2.
// - per mx, the exchanges whose addresses an evaluator looks up ("MX→A", at most 10 per mx); these
//   are counted on the term (addressLookups), not in the 10, as the RFC says. ptr's address
//   lookups depend on the client IP and are not counted.
// A static walk cannot know which term would match, so it assumes none does (the worst case, as
// receivers must budget for it). Once a limit is crossed the walk stops descending, keeps what it
// walked and lists the remaining terms as not evaluated.
import type { SpfNode, SpfTerm } from '../../../../shared/domain/auth-check';
import { isLookupError, isVoid, type Lookup } from './dns';
import { expandStatic, isSpfRecord, parseSpf, type ParsedTerm } from './spf';

export const SPF_LOOKUP_LIMIT = 10;
export const SPF_VOID_LIMIT = 2;
const MX_ADDRESS_LIMIT = 10;

export interface SpfFault {
  code: string;
  message: string;
  /** error: permerror/temperror; warning: risky but valid. */
  severity: 'error' | 'warning' | 'info';
}

export interface SpfWalk {
  /** The root record (null: none or several). */
  record: string | null;
  /** TXT values at the root that look like SPF (for "several records"). */
  rootRecords: string[];
  rootTxt: string[];
  nodes: SpfNode[];
  lookups: number;
  voidLookups: number;
  complete: boolean;
  faults: SpfFault[];
  /** The root had no SPF record (status fail, not error). */
  missing: boolean;
}

export async function walkSpf(lookup: Lookup, domain: string): Promise<SpfWalk> {
  const w: SpfWalk = { record: null, rootRecords: [], rootTxt: [], nodes: [], lookups: 0, voidLookups: 0, complete: true, faults: [], missing: false };
  let stopped = false;
  // Nodes whose result is the domain's result (the root and redirects from it): ?all inside an
  // include only makes the include not match, so it is harmless there.
  const effective = new Set<number>();
  const fault = (f: SpfFault) => w.faults.push(f);

  const countLookup = (t: SpfTerm): boolean => {
    w.lookups++;
    t.lookups++;
    if (w.lookups > SPF_LOOKUP_LIMIT) {
      stopped = true;
      w.complete = false;
      t.note = `lookup ${w.lookups}: over the limit of ${SPF_LOOKUP_LIMIT}, not followed`;
      fault({ code: 'spf.too_many_lookups', severity: 'error', message: `SPF needs more than ${SPF_LOOKUP_LIMIT} DNS lookups (stopped at ${w.lookups}, at ${t.raw}): receivers return permerror` });
      return false;
    }
    return true;
  };
  const countVoid = (t: SpfTerm): void => {
    w.voidLookups++;
    t.voidLookups++;
    if (w.voidLookups > SPF_VOID_LIMIT) {
      stopped = true;
      w.complete = false;
      fault({ code: 'spf.too_many_void_lookups', severity: 'error', message: `SPF has more than ${SPF_VOID_LIMIT} void lookups (names without records; the ${w.voidLookups}th at ${t.raw}): receivers return permerror` });
    }
  };

  const toTerm = (p: ParsedTerm): SpfTerm => ({
    raw: p.raw,
    kind: p.kind,
    name: p.name,
    qualifier: p.kind === 'mechanism' ? (p.qualifier ?? '+') : null,
    value: p.value,
    lookups: 0,
    voidLookups: 0,
    addressLookups: 0,
    child: null,
    evaluated: !stopped,
    note: p.error,
  });

  async function visit(name: string, parent: number | null, via: 'include' | 'redirect' | null, from: SpfTerm | null, path: string[]): Promise<number> {
    const node: SpfNode = { id: w.nodes.length, parent, via, domain: name, record: null, terms: [], error: null };
    w.nodes.push(node);
    if (parent === null || (via === 'redirect' && effective.has(parent))) effective.add(node.id);
    const txt = await lookup.txt(name);
    if (isLookupError(txt)) {
      node.error = { code: `dns.${txt.ok ? 'error' : txt.failure}`, message: `The TXT lookup of ${name} failed (${txt.ok ? '' : txt.code}): temperror` };
      fault({ code: node.error.code, severity: 'error', message: node.error.message });
      return node.id;
    }
    const values = txt.ok ? txt.values : [];
    const spf = values.filter(isSpfRecord);
    if (parent === null) {
      w.rootTxt = values;
      w.rootRecords = spf;
    }
    if (spf.length === 0) {
      if (from && isVoid(txt)) countVoid(from);
      node.error = parent === null ? { code: 'spf.missing', message: `${name} publishes no SPF record` } : { code: `spf.${via}_missing`, message: `${from?.raw} leads to ${name}, which publishes no SPF record: permerror` };
      if (parent === null) w.missing = true;
      else fault({ code: node.error.code, severity: 'error', message: node.error.message });
      return node.id;
    }
    if (spf.length > 1) {
      node.error = { code: 'spf.multiple', message: `${name} publishes ${spf.length} SPF records (one is allowed): permerror` };
      fault({ code: 'spf.multiple', severity: 'error', message: node.error.message });
      return node.id;
    }
    const record = spf[0]!.trim();
    node.record = record;
    if (parent === null) w.record = record;
    const parsed = parseSpf(record);
    node.terms = parsed.terms.map(toTerm);
    if (parsed.errors.length > 0) {
      node.error = { code: 'spf.syntax', message: `Syntax error in the SPF record of ${name}: ${parsed.errors.join('; ')}` };
      fault({ code: 'spf.syntax', severity: 'error', message: node.error.message });
      for (const t of node.terms) t.evaluated = false;
      return node.id;
    }
    const hasAll = node.terms.some((t) => t.name === 'all');
    // Mechanisms left to right, then redirect (RFC 7208 §6.1: only when no mechanism matched).
    const ordered = [...node.terms.filter((t) => t.kind === 'mechanism'), ...node.terms.filter((t) => t.kind === 'modifier')];
    for (const t of ordered) {
      if (stopped) {
        t.evaluated = false;
        continue;
      }
      t.evaluated = true;
      await term(t, node, hasAll, path);
    }
    return node.id;
  }

  async function term(t: SpfTerm, node: SpfNode, hasAll: boolean, path: string[]): Promise<void> {
    const target = t.value === null ? node.domain : expandStatic(t.value, node.domain, domain);
    switch (t.name) {
      case 'all':
        if (t.qualifier === '+') fault({ code: 'spf.pass_all', severity: 'warning', message: `${node.domain}: +all lets every server on the internet send as this domain` });
        if (t.qualifier === '?' && effective.has(node.id)) fault({ code: 'spf.neutral_all', severity: 'warning', message: `${node.domain}: ?all makes SPF neutral for every other server (no protection)` });
        return;
      case 'ip4':
      case 'ip6':
        return;
      case 'ptr':
        if (!countLookup(t)) return;
        t.note = 'ptr is deprecated (RFC 7208 §5.5): slow, unreliable, and some receivers ignore it';
        fault({ code: 'spf.ptr', severity: 'warning', message: `${node.domain}: the ptr mechanism is deprecated; list the addresses with ip4/ip6 instead` });
        return;
      case 'exp':
        t.note = 'read only after a fail: not counted';
        return;
      case 'redirect':
        if (hasAll) {
          t.note = 'ignored: the record has an all mechanism (RFC 7208 §6.1)';
          return;
        }
        return follow(t, node, 'redirect', target, path);
      case 'include':
        return follow(t, node, 'include', target, path);
      case 'a':
      case 'exists': {
        if (!countLookup(t)) return;
        if (target === null) {
          t.note = 'the domain depends on the message (macros): counted, not resolved';
          return;
        }
        const [a, aaaa] = await Promise.all([lookup.a(target), t.name === 'a' ? lookup.aaaa(target) : lookup.a(target)]);
        if (isLookupError(a) && isLookupError(aaaa)) {
          fault({ code: `dns.${a.ok ? 'error' : a.failure}`, severity: 'error', message: `The address lookup of ${target} (${t.raw}) failed: temperror` });
          t.note = 'lookup failed';
        } else if (isVoid(a) && isVoid(aaaa)) {
          t.note = `${target} has no address (void lookup)`;
          countVoid(t);
        }
        return;
      }
      case 'mx': {
        if (!countLookup(t)) return;
        if (target === null) {
          t.note = 'the domain depends on the message (macros): counted, not resolved';
          return;
        }
        const mx = await lookup.mx(target);
        if (isVoid(mx)) {
          t.note = `${target} has no MX (void lookup)`;
          countVoid(t);
        } else if (!mx.ok) {
          fault({ code: `dns.${mx.failure}`, severity: 'error', message: `The MX lookup of ${target} (${t.raw}) failed: temperror` });
        } else {
          t.addressLookups = mx.values.length;
          if (mx.values.length > MX_ADDRESS_LIMIT) {
            t.note = `${mx.values.length} exchanges: more than ${MX_ADDRESS_LIMIT} address lookups`;
            fault({ code: 'spf.mx_too_many', severity: 'error', message: `${t.raw} at ${node.domain} has ${mx.values.length} MX hosts; an mx mechanism may look up at most ${MX_ADDRESS_LIMIT}: permerror` });
          }
        }
        return;
      }
      default:
        t.note = 'unknown modifier: ignored';
    }
  }

  async function follow(t: SpfTerm, node: SpfNode, via: 'include' | 'redirect', target: string | null, path: string[]): Promise<void> {
    if (!countLookup(t)) return;
    if (target === null) {
      t.note = 'the domain depends on the message (macros): counted, not followed';
      return;
    }
    if (path.includes(target)) {
      t.note = `loop: ${[...path, target].join(' → ')}`;
      fault({ code: 'spf.loop', severity: 'error', message: `SPF loop: ${[...path, target].join(' → ')}: permerror` });
      return;
    }
    t.child = await visit(target, node.id, via, t, [...path, target]);
  }

  await visit(domain, null, null, null, [domain]);
  return w;
}
