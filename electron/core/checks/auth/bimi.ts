// BIMI: `default._bimi.<domain>` (else the organisational domain) `v=BIMI1; l=<https svg>; a=<https pem>`.
// Syntax only: the logo and the mark certificate are not fetched. A logo shows only when DMARC
// is enforced (p=quarantine or reject on all mail), so the DMARC result is an input.
import type { BimiCheck, DmarcCheck } from '../../../../shared/domain/auth-check';
import { isLookupError, type Lookup } from './dns';
import { orgDomain } from './dmarc';
import { Findings, type Found } from './findings';
import { parseTagList, recordsWithVersion } from './tags';

export function parseBimi(record: string): { location: string | null; authority: string | null; errors: string[]; notes: string[] } {
  const { tags, order, errors } = parseTagList(record);
  const notes: string[] = [];
  if (order[0] !== 'v' || tags.get('v') !== 'BIMI1') errors.unshift('the record must start with v=BIMI1');
  const location = tags.get('l') ?? null;
  const authority = tags.get('a') ?? null;
  for (const [tag, value] of [['l', location], ['a', authority]] as const) {
    if (!value) continue;
    if (!/^https:\/\/[^\s,]+$/i.test(value)) errors.push(`${tag}=${value} must be one https:// URL`);
    else if (tag === 'l' && !/\.svg(\?.*)?$/i.test(value)) notes.push(`l= does not end in .svg: the logo must be SVG Tiny PS`);
    else if (tag === 'a' && !/\.pem(\?.*)?$/i.test(value)) notes.push('a= does not end in .pem: the mark certificate is a PEM file');
  }
  if (!tags.has('l')) errors.push('l= (the logo location) is missing');
  return { location: location || null, authority: authority || null, errors, notes };
}

/** Whether a DMARC result lets a receiver show a BIMI logo; the reason when it does not. */
export function dmarcBlocksBimi(dmarc: Found<DmarcCheck>): string | null {
  const p = dmarc.policy;
  if (!p) return 'the domain has no usable DMARC record';
  const effective = dmarc.inherited ? (p.sp ?? p.p) : p.p;
  if (effective !== 'quarantine' && effective !== 'reject') return `DMARC is p=${effective ?? 'none'}; BIMI needs p=quarantine or p=reject`;
  if (p.pct !== null && p.pct < 100) return `DMARC pct=${p.pct}; BIMI needs the policy on all mail (pct=100)`;
  if (p.sp === 'none') return 'DMARC sp=none; BIMI needs subdomains enforced too';
  if (p.t === 'y') return 'DMARC t=y (testing); BIMI needs the policy enforced';
  return null;
}

async function bimiRecords(lookup: Lookup, domain: string) {
  const name = `default._bimi.${domain}`;
  const a = await lookup.txt(name);
  return { name, answer: a, records: a.ok ? recordsWithVersion(a.values, 'BIMI1') : [] };
}

export async function checkBimi(lookup: Lookup, domain: string, dmarc: Found<DmarcCheck>): Promise<Found<BimiCheck>> {
  const f = new Findings();
  const none = { recordDomain: null, location: null, authority: null, declined: false };
  let found = await bimiRecords(lookup, domain);
  const org = orgDomain(domain);
  if (!isLookupError(found.answer) && found.records.length === 0 && org !== domain) found = await bimiRecords(lookup, org);
  if (isLookupError(found.answer)) {
    f.lookup(found.name, 'TXT', found.answer);
    return { ...f.base('BIMI could not be read'), ...none };
  }
  f.record(found.name, 'TXT', found.records);
  const recordDomain = found.name.replace(/^default\._bimi\./, '');
  if (found.records.length === 0) {
    f.none();
    f.info('bimi.none', `No BIMI record at default._bimi.${domain} (optional: a brand logo in supporting inboxes)`);
    return { ...f.base('BIMI not published'), ...none };
  }
  if (found.records.length > 1) {
    f.error('bimi.multiple', `${found.name} has ${found.records.length} BIMI records`);
    return { ...f.base('Several BIMI records'), ...none, recordDomain };
  }
  const b = parseBimi(found.records[0]!);
  const declined = !b.location && !b.authority;
  if (declined) {
    f.none();
    f.info('bimi.declined', `${found.name} declines BIMI (empty l= and a=)`);
    return { ...f.base('BIMI declined'), recordDomain, location: null, authority: null, declined };
  }
  if (b.errors.length > 0) f.error('bimi.syntax', `${found.name}: ${b.errors.join('; ')}`);
  for (const n of b.notes) f.warn('bimi.format', n);
  if (!b.authority) f.warn('bimi.no_certificate', 'No a= (mark certificate, VMC or CMC): Gmail and Apple Mail show no logo without one');
  const blocked = dmarcBlocksBimi(dmarc);
  if (blocked) f.fail('bimi.dmarc_not_enforced', `BIMI is published but no logo will show: ${blocked}`);
  return { ...f.base(`BIMI logo ${b.location ?? '-'}`), recordDomain, location: b.location, authority: b.authority, declined };
}
