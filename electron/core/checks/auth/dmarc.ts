// DMARC record syntax: RFC 7489 tags (v, p, sp, pct, adkim, aspf, rua, ruf, fo, rf, ri) and the
// RFC 9989 ones (np, psd, t; pct, rf and ri are gone there), report URIs, and identifier
// alignment. The organisational domain is mailauth's: tldts over the public suffix list shipped
// with it (ICANN and private sections), no list is fetched. Pure.
import { getDomain } from 'tldts';
import type { DmarcPolicy, ReportUri } from '../../../../shared/domain/auth-check';
import { parseTagList } from './tags';

const TLDTS_OPTS = { allowIcannDomains: true, allowPrivateDomains: true };

/** The organisational domain (`mail.shop.example.co.uk` → `example.co.uk`); the name itself when unknown. */
export function orgDomain(domain: string): string {
  const d = domain.toLowerCase().replace(/\.$/, '');
  return getDomain(d, TLDTS_OPTS) ?? d;
}

/** DMARC identifier alignment (RFC 7489 §3.1): strict = the same name, relaxed = the same organisational domain. */
export function isAligned(fromDomain: string, identifier: string, mode: 'r' | 's'): boolean {
  const a = fromDomain.toLowerCase().replace(/\.$/, '');
  const b = identifier.toLowerCase().replace(/\.$/, '');
  return mode === 's' ? a === b : orgDomain(a) === orgDomain(b);
}

export interface ParsedDmarc {
  policy: DmarcPolicy;
  rua: string[];
  ruf: string[];
  /** The record is unusable (receivers ignore it). */
  errors: string[];
  /** Valid but worth saying (unknown tags, out-of-range values that fall back to defaults). */
  notes: string[];
  /** Tags RFC 9989 removed, present here. */
  obsolete: string[];
  tags: Map<string, string>;
}

const POLICIES = ['none', 'quarantine', 'reject'];
const KNOWN = new Set(['v', 'p', 'sp', 'np', 'pct', 'adkim', 'aspf', 'rua', 'ruf', 'fo', 'rf', 'ri', 'psd', 't']);

export function parseDmarc(record: string): ParsedDmarc {
  const { tags, order, errors } = parseTagList(record);
  const notes: string[] = [];
  if (order[0] !== 'v' || tags.get('v') !== 'DMARC1') errors.unshift('the record must start with v=DMARC1');
  const uris = (t: string) => (tags.get(t) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const rua = uris('rua');
  const ruf = uris('ruf');

  const policyTag = (t: string): string | null => {
    if (!tags.has(t)) return null;
    const v = tags.get(t)!.toLowerCase();
    if (POLICIES.includes(v)) return v;
    notes.push(`${t}=${tags.get(t)} is not none, quarantine or reject`);
    return null;
  };
  let p = policyTag('p');
  if (p === null) {
    // RFC 7489 §6.6.3: without a valid p, a record with a valid rua is read as p=none.
    if (rua.some((u) => /^mailto:/i.test(u))) {
      notes.push('p= is missing or invalid: read as p=none because rua= is valid');
      p = 'none';
    } else errors.push('p= (the policy) is missing or invalid');
  }
  const mode = (t: string): 'r' | 's' => {
    const v = (tags.get(t) ?? 'r').toLowerCase();
    if (v !== 'r' && v !== 's') notes.push(`${t}=${tags.get(t)} is not r or s: read as r`);
    return v === 's' ? 's' : 'r';
  };
  const int = (t: string, max: number): number | null => {
    if (!tags.has(t)) return null;
    const v = tags.get(t)!;
    if (!/^\d+$/.test(v) || Number(v) > max) {
      notes.push(`${t}=${v} is not a number from 0 to ${max}: ignored`);
      return null;
    }
    return Number(v);
  };
  const enumTag = (t: string, allowed: string[]): string | null => {
    if (!tags.has(t)) return null;
    const v = tags.get(t)!.toLowerCase();
    if (!allowed.includes(v)) notes.push(`${t}=${tags.get(t)} is not one of ${allowed.join(', ')}`);
    return v;
  };
  const fo = tags.get('fo') ?? null;
  if (fo !== null && !fo.split(':').every((x) => ['0', '1', 'd', 's'].includes(x.trim().toLowerCase()))) notes.push(`fo=${fo} has options other than 0, 1, d and s`);
  for (const t of order) if (!KNOWN.has(t)) notes.push(`unknown tag ${t}= (ignored)`);

  const policy: DmarcPolicy = {
    p,
    sp: policyTag('sp'),
    np: policyTag('np'),
    pct: int('pct', 100),
    adkim: mode('adkim'),
    aspf: mode('aspf'),
    fo,
    rf: tags.get('rf') ?? null,
    ri: int('ri', 2 ** 32 - 1),
    psd: enumTag('psd', ['y', 'n', 'u']),
    t: enumTag('t', ['y', 'n']),
  };
  const obsolete = ['pct', 'rf', 'ri'].filter((t) => tags.has(t));
  return { policy, rua, ruf, errors, notes, obsolete, tags };
}

/** A report URI: `mailto:dmarc@example.com!10m` → address, domain, size limit. */
export function parseReportUri(uri: string, policyDomain: string): ReportUri & { error: string | null } {
  const m = /^([a-z][a-z0-9+.-]*):(.*)$/i.exec(uri);
  const base = { uri, scheme: '', address: null, domain: null, maxSize: null, external: false, authorized: null };
  if (!m) return { ...base, error: `"${uri}" is not a URI` };
  const scheme = m[1]!.toLowerCase();
  let rest = m[2]!;
  let maxSize: string | null = null;
  const bang = /!(\d+[kmgt]?)$/i.exec(rest);
  if (bang) {
    maxSize = bang[1]!;
    rest = rest.slice(0, bang.index);
  }
  if (scheme !== 'mailto') return { ...base, scheme, maxSize, error: scheme === 'https' ? null : `${scheme}: is not a report scheme receivers use (mailto:)` };
  const address = decodeURIComponent(rest).trim();
  const at = address.lastIndexOf('@');
  const domain = at > 0 ? address.slice(at + 1).toLowerCase() : null;
  if (!domain || !/^[a-z0-9.-]+\.[a-z0-9-]+$/.test(domain)) return { ...base, scheme, address, maxSize, error: `"${uri}" has no valid address` };
  return { uri, scheme, address, domain, maxSize, external: orgDomain(domain) !== orgDomain(policyDomain), authorized: null, error: null };
}
