// The sending IP of a message, from the Received headers its receiving side wrote.
//
// Rule: Received fields are prepended, so the first from the top were written by the receiving
// side (the mailbox Kiln reads). Walk them top-down and take the first `from` clause that carries
// an IP address that is not internal: private (10/8, 172.16/12, 192.168/16), loopback, link-local,
// CGNAT (100.64/10), unique-local IPv6 (fc00::/7), unspecified. Hops without a from-address
// ("by x with LMTP", local delivery) and hops over LMTP/local/HTTP(S) are skipped as the receiver's
// internal steps. That address is the server which handed the message to the receiving side: the
// sending mailbox's outbound server. Limits: a receiver whose internal hops use public addresses
// (some large providers) would yield an internal hop; the IP is a hint for the PTR/SPF checks.
import { BlockList, isIP } from 'node:net';
// @ts-expect-error mailauth ships no types for this module; its shape is declared below.
import { parseReceived as untypedParseReceived } from 'mailauth/lib/parse-received.js';
import { fieldsNamed } from './headers';

interface ReceivedPart {
  value: string;
  comment?: string;
}
export interface ParsedReceived {
  from?: ReceivedPart;
  by?: ReceivedPart;
  with?: ReceivedPart;
  id?: ReceivedPart;
  for?: ReceivedPart;
  timestamp?: string;
  full: string;
}
const parseReceived = untypedParseReceived as (header: string) => ParsedReceived | false;

const internal = new BlockList();
for (const [net, len] of [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['127.0.0.0', 8], ['169.254.0.0', 16], ['100.64.0.0', 10], ['0.0.0.0', 8]] as const) {
  internal.addSubnet(net, len, 'ipv4');
}
for (const [net, len] of [['fc00::', 7], ['fe80::', 10], ['::1', 128], ['::', 128]] as const) internal.addSubnet(net, len, 'ipv6');

/** Loopback, private, link-local, CGNAT or unique-local: an address inside someone's network. */
export function isInternalIp(ip: string): boolean {
  const v = isIP(ip);
  if (v === 0) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return internal.check(mapped[1]!, 'ipv4');
  return internal.check(ip, v === 4 ? 'ipv4' : 'ipv6');
}

/** The connecting IP a Received `from` clause records: `host ([192.0.2.1])`, `[IPv6:2001:db8::1]`, `(192.0.2.1)`. */
export function fromClauseIp(part: ReceivedPart | undefined): string | null {
  if (!part) return null;
  for (const text of [part.comment ?? '', part.value]) {
    for (const m of text.matchAll(/\[(?:ipv6:)?([0-9a-f:.]+)\]/gi)) {
      const ip = m[1]!.replace(/^::ffff:(?=\d+\.)/i, '');
      if (isIP(ip)) return ip;
    }
  }
  const bare = (part.comment ?? '').trim().split(/[\s,;]+/).find((t) => isIP(t.replace(/\.$/, '')) !== 0);
  return bare ? bare.replace(/\.$/, '') : null;
}

export interface ReceivedHop {
  index: number;
  from: string | null;
  ip: string | null;
  by: string | null;
  with: string | null;
}

/** Every Received field, top (newest) first, with its from-host, IP, by-host and protocol. */
export function receivedHops(rawHeaders: string): ReceivedHop[] {
  return fieldsNamed(rawHeaders, 'received').map((f, index) => {
    const p = parseReceived(f.line);
    if (!p) return { index, from: null, ip: null, by: null, with: null };
    return { index, from: p.from?.value || null, ip: fromClauseIp(p.from), by: p.by?.value || null, with: p.with?.value || null };
  });
}

const INTERNAL_PROTOCOL = /^(lmtp|local|http|https|mapi)\b/i;

/**
 * The sending IP by the rule above, with the hop it came from; null when no hop qualifies.
 * `acceptInternal`: take the hop where the mail entered the receiving server even from an
 * internal address (a relay on a private network, a test hub on loopback).
 */
export function sendingIpFromReceived(rawHeaders: string, opts: { acceptInternal?: boolean } = {}): { ip: string; hop: ReceivedHop } | null {
  for (const hop of receivedHops(rawHeaders)) {
    if (!hop.ip || (!opts.acceptInternal && isInternalIp(hop.ip))) continue;
    if (hop.with && INTERNAL_PROTOCOL.test(hop.with)) continue;
    return { ip: hop.ip, hop };
  }
  return null;
}
