// SPF record syntax (RFC 7208 §4.6, §5, §6, §7): terms, qualifiers, domain-specs with macros.
// Pure: the tree walk and the lookup counting are in spf-tree.ts.
import { isIPv4, isIPv6 } from 'node:net';

export type Qualifier = '+' | '-' | '~' | '?';

export interface ParsedTerm {
  raw: string;
  kind: 'mechanism' | 'modifier';
  name: string;
  qualifier: Qualifier | null;
  /** The domain-spec, address or modifier value (null when the term has none). */
  value: string | null;
  /** Why the term is invalid (a syntax error makes the whole record a permerror). */
  error: string | null;
}

export interface ParsedSpf {
  terms: ParsedTerm[];
  /** Syntax errors, each naming the term. */
  errors: string[];
}

export const MECHANISMS = ['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists'] as const;
/** Terms that cost a DNS lookup (RFC 7208 §4.6.4); exp does not (it is read only after a fail). */
export const LOOKUP_TERMS: ReadonlySet<string> = new Set(['include', 'a', 'mx', 'ptr', 'exists', 'redirect']);

export const isSpfRecord = (txt: string): boolean => /^v=spf1( |$)/i.test(txt.trim());

const MECHANISM = /^([+\-~?]?)(all|include|a|mx|ptr|ip4|ip6|exists)(?=$|[:/])(.*)$/i;
const MODIFIER = /^([a-z][a-z0-9_.-]*)=(.*)$/i;
const MACRO = /%\{[slodiphcrtv]\d*r?[.\-+,/_=]*\}|%%|%_|%-/gi;
const DUAL_CIDR = /^(?:\/(\d{1,2}))?(?:\/\/(\d{1,3}))?$/;

/** Whether a domain-spec uses macros other than %{d} / %{o} (it then depends on the message). */
export const hasDynamicMacro = (spec: string): boolean => /%\{[slipchrtv]/i.test(spec);

/**
 * A domain-spec (RFC 7208 §7.1): macro-string ending in a top label or a macro. Returns an error
 * message or null.
 */
export function domainSpecError(spec: string): string | null {
  if (spec === '') return 'an empty domain';
  const withoutMacros = spec.replace(MACRO, 'x');
  if (withoutMacros.includes('%')) return `"${spec}" has an invalid macro`;
  if (/[^\x21-\x7e]/.test(withoutMacros)) return `"${spec}" has characters a domain cannot have`;
  const endsWithMacro = /%\{[^}]+\}$/.test(spec);
  if (endsWithMacro) return null;
  const labels = spec.replace(/\.$/, '').split('.');
  const top = labels.at(-1) ?? '';
  if (labels.length < 2) return `"${spec}" is not a fully qualified domain`;
  if (!/^(?=.*[a-z])[a-z0-9-]+$/i.test(top) || top.startsWith('-') || top.endsWith('-')) return `"${spec}" does not end in a valid top-level label`;
  if (labels.some((l) => l === '' || l.length > 63)) return `"${spec}" has an empty or too long label`;
  return null;
}

function parseMechanism(raw: string, m: RegExpExecArray): ParsedTerm {
  const qualifier = (m[1] || null) as Qualifier | null;
  const name = m[2]!.toLowerCase();
  const rest = m[3] ?? '';
  const term: ParsedTerm = { raw, kind: 'mechanism', name, qualifier, value: null, error: null };
  const fail = (why: string): ParsedTerm => ({ ...term, error: `${raw}: ${why}` });
  switch (name) {
    case 'all':
      return rest === '' ? term : fail('all takes no value');
    case 'include':
    case 'exists': {
      if (!rest.startsWith(':')) return fail(`${name} needs a domain (${name}:example.com)`);
      const spec = rest.slice(1);
      const err = domainSpecError(spec);
      return err ? fail(err) : { ...term, value: spec };
    }
    case 'ptr': {
      if (rest === '') return term;
      if (!rest.startsWith(':')) return fail('ptr takes ptr or ptr:domain');
      const err = domainSpecError(rest.slice(1));
      return err ? fail(err) : { ...term, value: rest.slice(1) };
    }
    case 'a':
    case 'mx': {
      let spec = rest;
      let cidr = '';
      const slash = rest.search(/\/(?=\d|\/)/);
      if (slash >= 0) {
        spec = rest.slice(0, slash);
        cidr = rest.slice(slash);
      }
      const c = DUAL_CIDR.exec(cidr);
      if (!c || (c[1] !== undefined && Number(c[1]) > 32) || (c[2] !== undefined && Number(c[2]) > 128)) return fail('invalid CIDR length');
      if (spec === '') return term;
      if (!spec.startsWith(':')) return fail(`${name} takes ${name}, ${name}:domain or ${name}/cidr`);
      const err = domainSpecError(spec.slice(1));
      return err ? fail(err) : { ...term, value: spec.slice(1) };
    }
    case 'ip4':
    case 'ip6': {
      if (!rest.startsWith(':')) return fail(`${name} needs an address (${name}:${name === 'ip4' ? '192.0.2.0/24' : '2001:db8::/32'})`);
      const [addr = '', len, extra] = rest.slice(1).split('/');
      const max = name === 'ip4' ? 32 : 128;
      const okAddr = name === 'ip4' ? isIPv4(addr) : isIPv6(addr);
      if (!okAddr) return fail(`"${addr}" is not an IPv${name === 'ip4' ? 4 : 6} address`);
      if (extra !== undefined || (len !== undefined && (!/^\d{1,3}$/.test(len) || Number(len) > max))) return fail('invalid CIDR length');
      return { ...term, value: rest.slice(1) };
    }
    default:
      return fail('unknown mechanism');
  }
}

/** Parse a record already known to start with v=spf1. Every term is returned, valid or not. */
export function parseSpf(record: string): ParsedSpf {
  const tokens = record.trim().split(/\s+/);
  const errors: string[] = [];
  const terms: ParsedTerm[] = [];
  const seen = new Set<string>();
  if (!/^v=spf1$/i.test(tokens[0] ?? '')) errors.push('the record does not start with v=spf1');
  for (const raw of tokens.slice(1)) {
    const mech = MECHANISM.exec(raw);
    let term: ParsedTerm;
    if (mech) term = parseMechanism(raw, mech);
    else {
      const mod = MODIFIER.exec(raw);
      if (!mod) term = { raw, kind: 'mechanism', name: raw.replace(/^[+\-~?]/, '').split(/[:/=]/)[0]!.toLowerCase(), qualifier: null, value: null, error: `${raw}: unknown mechanism` };
      else {
        const name = mod[1]!.toLowerCase();
        const value = mod[2]!;
        term = { raw, kind: 'modifier', name, qualifier: null, value, error: null };
        if (name === 'redirect' || name === 'exp') {
          const err = domainSpecError(value);
          if (err) term.error = `${raw}: ${err}`;
          else if (seen.has(name)) term.error = `${raw}: ${name}= may appear only once`;
          seen.add(name);
        } else if (/%(?!\{[slodiphcrtv]\d*r?[.\-+,/_=]*\}|%|_|-)/i.test(value)) {
          term.error = `${raw}: invalid macro`;
        }
      }
    }
    if (term.error) errors.push(term.error);
    terms.push(term);
  }
  return { terms, errors };
}

/**
 * Expand the macros a static check can know: %{d} (the current domain), %{o} and %{h} (the domain
 * being checked, as MAIL FROM / HELO). Returns null when the spec needs the message (%{i}, %{s}...).
 */
export function expandStatic(spec: string, current: string, root: string): string | null {
  if (hasDynamicMacro(spec)) return null;
  const out = spec.replace(MACRO, (m) => {
    const lower = m.toLowerCase();
    if (lower === '%%') return '%';
    if (lower === '%_') return ' ';
    if (lower === '%-') return '%20';
    const letter = lower[2];
    const value = letter === 'd' ? current : root;
    // Transformers (digits, r, delimiters) on d/o/h: keep the right-most labels, optionally reversed.
    const t = /^%\{[doh](\d*)(r?)([.\-+,/_=]*)\}$/.exec(lower);
    if (!t) return value;
    const delims = t[3] ? new RegExp(`[${t[3].replace(/[-\\\]]/g, '\\$&')}]`) : /\./;
    let parts = value.split(delims);
    if (t[2]) parts = parts.reverse();
    if (t[1]) parts = parts.slice(-Number(t[1]));
    return parts.join('.');
  });
  return out.replace(/\.$/, '').toLowerCase();
}
