// SSRF guard: a webhook URL is chosen by whoever holds an admin token, and Kiln POSTs to it from
// inside the user's network. Only public unicast addresses are allowed unless the operator opts in
// (KILN_WEBHOOK_ALLOW_PRIVATE=1 / webhookAllowPrivate). Names are checked through the same lookup
// the connection uses (`guardedLookup` is passed to http.request), so the address checked is the
// address connected to: no DNS-rebinding window between a check and the connect.
import dns, { type LookupAddress, type LookupOptions } from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { KilnError } from '../../../shared/errors';

const ALLOW_HINT = 'Kiln delivers webhooks to public addresses only, unless KILN_WEBHOOK_ALLOW_PRIVATE=1 is set';

function ipv4Reason(v4: ipaddr.IPv4): string | null {
  const range = v4.range();
  return range === 'unicast' ? null : range;
}

function embeddedV4(parts: number[], hi: number): ipaddr.IPv4 {
  const a = parts[hi] ?? 0;
  const b = parts[hi + 1] ?? 0;
  return new ipaddr.IPv4([a >> 8, a & 0xff, b >> 8, b & 0xff]);
}

/**
 * Why an address must not be a webhook target, or null when it is public. Anything that is not
 * plainly public (reserved, documentation, unparseable...) is refused: the guard fails closed.
 */
export function forbiddenReason(address: string): string | null {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(address);
  } catch {
    return 'not an IP address';
  }
  if (ip.kind() === 'ipv4') return ipv4Reason(ip as ipaddr.IPv4);
  const v6 = ip as ipaddr.IPv6;
  const parts = v6.parts;
  const via = (v4: ipaddr.IPv4, how: string) => {
    const r = ipv4Reason(v4);
    return r === null ? null : `${how} ${r}`;
  };
  const range = v6.range();
  switch (range) {
    case 'ipv4Mapped':
      return via(v6.toIPv4Address(), 'IPv4-mapped');
    case 'rfc6145':
      return via(embeddedV4(parts, 6), 'IPv4-translated');
    case 'rfc6052':
      // 64:ff9b::/96 is the well-known NAT64 prefix (a public IPv4 behind it is fine); 64:ff9b:1::/48 is local use.
      return parts[2] === 0 && parts[3] === 0 && parts[4] === 0 && parts[5] === 0 ? via(embeddedV4(parts, 6), 'NAT64') : 'local-use NAT64';
    case '6to4':
      return via(embeddedV4(parts, 1), '6to4');
    case 'unicast':
      // Only 2000::/3 is global unicast; the rest (e.g. IPv4-compatible ::a.b.c.d) is not routable.
      return ((parts[0] ?? 0) & 0xe000) === 0x2000 ? null : 'not global unicast';
    default:
      return range;
  }
}

function forbidden(host: string, address: string, reason: string): KilnError {
  const what = host === address ? address : `${host} (${address})`;
  return new KilnError('WEBHOOK_TARGET_FORBIDDEN', `Webhook target ${what} is ${reason}: ${ALLOW_HINT}`, { host, address, reason });
}

/** The URL's host without IPv6 brackets. `new URL` already turned decimal/octal/hex IPv4 forms into dotted quads. */
export function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/** RFC 6761: `localhost` and `*.localhost` always mean this machine, whatever a resolver says. */
const isLocalhostName = (host: string) => /(^|\.)localhost\.?$/i.test(host);

/** Throws WEBHOOK_TARGET_FORBIDDEN for an IP-literal or localhost target (no lookup needed). */
export function checkLiteralHost(url: URL): void {
  const host = hostOf(url);
  if (isLocalhostName(host)) throw forbidden(host, host, 'a loopback name');
  if (net.isIP(host)) {
    const reason = forbiddenReason(host);
    if (reason) throw forbidden(host, host, reason);
  }
}

type Lookup = typeof dns.lookup;

/** Refuse if any address of the name is forbidden: a mix of public and private answers is what a rebinding attack looks like. */
function firstForbidden(host: string, addresses: LookupAddress[]): KilnError | null {
  for (const a of addresses) {
    const reason = forbiddenReason(a.address);
    if (reason) return forbidden(host, a.address, reason);
  }
  return null;
}

/**
 * Registration-time check: IP literals and localhost names at once, other names through a lookup.
 * A name that does not resolve now is accepted (it is checked again on every delivery).
 */
export async function checkTarget(url: URL, lookup: Lookup = dns.lookup): Promise<void> {
  checkLiteralHost(url);
  const host = hostOf(url);
  if (net.isIP(host)) return;
  const addresses = await new Promise<LookupAddress[]>((resolve) => {
    lookup(host, { all: true }, (err, list) => resolve(err ? [] : (list as LookupAddress[])));
  });
  const bad = firstForbidden(host, addresses);
  if (bad) throw bad;
}

/** A `lookup` for http.request that refuses forbidden answers before any socket connects. */
export function guardedLookup(lookup: Lookup = dns.lookup): net.LookupFunction {
  return (hostname: string, options: LookupOptions, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    if (isLocalhostName(hostname)) {
      callback(forbidden(hostname, hostname, 'a loopback name') as unknown as NodeJS.ErrnoException, '', 0);
      return;
    }
    lookup(hostname, { ...options, all: true }, (err, list) => {
      if (err) return callback(err, '', 0);
      const addresses = list as LookupAddress[];
      const bad = firstForbidden(hostname, addresses);
      if (bad) return callback(bad as unknown as NodeJS.ErrnoException, '', 0);
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`No address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      callback(null, first.address, first.family);
    });
  };
}

/**
 * A webhook URL as Kiln accepts it: http(s) only, no credentials in it (they would sit in the
 * database and every listing), no fragment. Plain http only when private targets are allowed:
 * public receivers must use https, since alert payloads would otherwise cross the network readable.
 */
export function parseWebhookUrl(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new KilnError('VALIDATION_FAILED', 'The webhook URL is not a valid URL', { fields: [{ path: 'url', message: 'must be an absolute http(s) URL' }] });
  }
  const field = (message: string) => new KilnError('VALIDATION_FAILED', `The webhook URL ${message}`, { fields: [{ path: 'url', message }] });
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw field('must use https');
  if (url.username || url.password) throw field('must not contain a user name or password');
  if (!url.hostname) throw field('needs a host');
  url.hash = '';
  if (!allowPrivate) checkLiteralHost(url);
  if (url.protocol === 'http:' && !allowPrivate) {
    throw new KilnError('INSECURE_TRANSPORT', 'Webhook URLs must use https (plain http is accepted only with KILN_WEBHOOK_ALLOW_PRIVATE=1, for receivers on a trusted network)', {
      fields: [{ path: 'url', message: 'must use https' }],
    });
  }
  return url;
}
