// PTR and forward-confirmed reverse DNS of the sending IP: the IP's PTR name must resolve back
// (A for IPv4, AAAA for IPv6) to the same IP. Gmail and Yahoo require it of bulk senders.
import { isIP } from 'node:net';
import type { PtrCheck } from '../../../../shared/domain/auth-check';
import { isLookupError, type Lookup } from './dns';
import { Findings, type Found } from './findings';
import { isInternalIp } from './received';
import { orgDomain } from './dmarc';

const MAX_NAMES = 5;

/** A PTR name that looks assigned by an access provider (embeds the IP, dynamic/dsl/pool words). */
export function looksGeneric(name: string, ip: string): boolean {
  const dashed = ip.replace(/[.:]/g, '-');
  const reversed = ip.split('.').reverse().join('-');
  return name.includes(dashed) || (isIP(ip) === 4 && name.includes(reversed)) || /(^|[.-])(dyn|dynamic|dhcp|dsl|adsl|pool|cable|ppp|dialup|broadband|customer|static-ip)([.-]|\d|$)/i.test(name);
}

const normalizeIp = (ip: string): string => (isIP(ip) === 6 ? ip.toLowerCase() : ip);

function sameIp(a: string, b: string): boolean {
  if (isIP(a) !== isIP(b)) return false;
  if (isIP(a) === 4) return a === b;
  // Compare IPv6 by value: expand both to 8 groups.
  const expand = (x: string) => {
    const [head = '', tail = ''] = x.toLowerCase().split('::');
    const h = head ? head.split(':') : [];
    const t = x.includes('::') ? (tail ? tail.split(':') : []) : [];
    const fill = Array(8 - h.length - t.length).fill('0');
    return [...h, ...(x.includes('::') ? fill : []), ...t].map((g) => g.replace(/^0+(?=.)/, '')).join(':');
  };
  return expand(a) === expand(b);
}

export async function checkPtr(lookup: Lookup, ip: string | null, domain: string): Promise<Found<PtrCheck>> {
  const f = new Findings();
  const empty = { ip, names: [], forward: [], confirmed: null };
  if (!ip) {
    f.none();
    f.info('ptr.no_ip', 'No sending IP known: give one, or let Kiln see mail from this domain (Received headers)');
    return { ...f.base('No sending IP to check'), ...empty };
  }
  if (isIP(ip) === 0) {
    f.error('ptr.bad_ip', `"${ip}" is not an IP address`);
    return { ...f.base('Not an IP address'), ...empty };
  }
  if (isInternalIp(ip)) f.warn('ptr.internal_ip', `${ip} is a private or loopback address: receivers on the internet never see it`);
  const ptr = await lookup.ptr(ip);
  if (isLookupError(ptr)) {
    f.lookup(ip, 'PTR', ptr);
    return { ...f.base('PTR could not be read'), ...empty };
  }
  if (!ptr.ok) {
    f.fail('ptr.missing', `${ip} has no PTR record: receivers (Gmail, Yahoo) reject or distrust mail from IPs without reverse DNS`);
    return { ...f.base('No PTR record'), ...empty };
  }
  const names = [...new Set(ptr.values.map((n) => n.replace(/\.$/, '').toLowerCase()))];
  f.record(ip, 'PTR', names);
  if (names.length > 1) f.info('ptr.several', `${ip} has ${names.length} PTR names; receivers may use any one`);
  const family = isIP(ip) === 4 ? 'A' : 'AAAA';
  const forward = await Promise.all(
    names.slice(0, MAX_NAMES).map(async (name) => {
      const a = family === 'A' ? await lookup.a(name) : await lookup.aaaa(name);
      if (isLookupError(a)) f.lookup(name, family, a);
      return { name, addresses: a.ok ? a.values.map(normalizeIp) : [] };
    }),
  );
  for (const fw of forward) f.record(fw.name, family, fw.addresses);
  const confirmed = forward.find((fw) => fw.addresses.some((x) => sameIp(x, ip)))?.name ?? null;
  if (!confirmed) {
    const seen = forward.map((fw) => `${fw.name} → ${fw.addresses.length > 0 ? fw.addresses.join(', ') : 'no address'}`).join('; ');
    f.fail('ptr.fcrdns_mismatch', `Reverse DNS of ${ip} is not forward-confirmed: ${seen} (does not include ${ip})`);
  } else {
    if (looksGeneric(confirmed, ip)) f.warn('ptr.generic', `${confirmed} looks like an access provider's generic name; use a name of your own mail server`);
    if (orgDomain(confirmed) !== orgDomain(domain)) {
      f.info('ptr.other_domain', `${confirmed} is not under ${domain} (fine for a shared or provider's server)`);
    }
  }
  return { ...f.base(confirmed ? `${ip} ↔ ${confirmed}` : `${ip} → ${names.join(', ')} (not confirmed)`), ip, names, forward, confirmed };
}
