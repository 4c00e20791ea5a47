// MX: where replies, bounces and DMARC reports to the domain go. Each exchange must resolve;
// a null MX (RFC 7505, a single "." record) says the domain takes no mail, which receivers may
// hold against mail from it; no MX at all falls back to the domain's own address (RFC 5321 §5.1).
import { isIP } from 'node:net';
import type { MxCheck } from '../../../../shared/domain/auth-check';
import { isLookupError, isVoid, type Answer, type Lookup } from './dns';
import { Findings, type Found } from './findings';

const MAX_HOSTS = 10;

async function addresses(lookup: Lookup, name: string): Promise<{ a: Answer<string>; aaaa: Answer<string>; list: string[] }> {
  const [a, aaaa] = await Promise.all([lookup.a(name), lookup.aaaa(name)]);
  return { a, aaaa, list: [...(a.ok ? a.values : []), ...(aaaa.ok ? aaaa.values : [])] };
}

export async function checkMx(lookup: Lookup, domain: string): Promise<Found<MxCheck>> {
  const f = new Findings();
  const mx = await lookup.mx(domain);
  const none = { nullMx: false, implicit: false, hosts: [] };
  if (isLookupError(mx)) {
    f.lookup(domain, 'MX', mx);
    return { ...f.base('MX could not be read'), ...none };
  }
  if (!mx.ok && mx.failure === 'nxdomain') {
    f.fail('mx.nxdomain', `${domain} does not exist in DNS (NXDOMAIN)`);
    return { ...f.base(`${domain} does not exist`), ...none };
  }
  if (!mx.ok) {
    const own = await addresses(lookup, domain);
    if (own.list.length > 0) {
      f.warn('mx.implicit', `${domain} has no MX record: mail to it goes to its own address (${own.list.join(', ')}); publish an MX`);
      return { ...f.base('No MX; implicit MX to the domain address'), nullMx: false, implicit: true, hosts: [{ exchange: domain, priority: 0, addresses: own.list }] };
    }
    if (isLookupError(own.a) && isLookupError(own.aaaa)) f.lookup(domain, 'A', own.a);
    else f.fail('mx.missing', `${domain} has no MX and no address: replies, bounces and DMARC reports to it cannot be delivered`);
    return { ...f.base('No MX record'), ...none };
  }
  const records = mx.values.map((r) => ({ exchange: r.exchange.replace(/\.$/, '').toLowerCase(), priority: r.priority }));
  f.record(domain, 'MX', records.map((r) => `${r.priority} ${r.exchange || '.'}`));
  const isNull = records.some((r) => r.exchange === '');
  if (isNull) {
    if (records.length > 1) f.error('mx.null_mixed', `${domain} mixes a null MX (".") with other MX records: invalid (RFC 7505 §3)`);
    else f.fail('mx.null', `${domain} publishes a null MX: it accepts no mail, so replies and bounces are lost, and receivers may refuse mail from it (RFC 7505 §4.2)`);
    return { ...f.base('Null MX'), nullMx: true, implicit: false, hosts: records.map((r) => ({ ...r, addresses: [] })) };
  }
  const sorted = [...records].sort((a, b) => a.priority - b.priority).slice(0, MAX_HOSTS);
  if (records.length > MAX_HOSTS) f.info('mx.many', `${records.length} MX records: the first ${MAX_HOSTS} by priority were resolved`);
  const hosts = await Promise.all(
    sorted.map(async (r) => {
      if (isIP(r.exchange)) {
        f.error('mx.ip_literal', `MX ${r.exchange} is an IP address; an MX must name a host (RFC 5321 §5.1)`);
        return { ...r, addresses: [] };
      }
      const own = await addresses(lookup, r.exchange);
      if (own.list.length === 0) {
        if (isVoid(own.a) && isVoid(own.aaaa)) f.fail('mx.host_unresolved', `MX ${r.exchange} has no A or AAAA record: mail for ${domain} cannot be delivered to it`);
        else f.lookup(r.exchange, 'A', isLookupError(own.a) ? own.a : own.aaaa);
      }
      return { ...r, addresses: own.list };
    }),
  );
  const ok = hosts.filter((h) => h.addresses.length > 0).length;
  return { ...f.base(`${records.length} MX host${records.length > 1 ? 's' : ''}, ${ok} resolving`), nullMx: false, implicit: false, hosts };
}
