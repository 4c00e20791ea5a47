// How a seed's received copy authenticates: mailauth (DKIM, SPF, DMARC) over the copy the seed's
// server stored, with the client IP, HELO and envelope sender taken from the Received header of
// the hop where the mail entered that server. All lookups go through Kiln's resolver.
import { isIP } from 'node:net';
import { authenticate } from 'mailauth';
import type { CopyAuth } from '../../../shared/domain/placement-test';
import type { DnsResolver } from '../checks/resolver';

/** Unfolded values of one header, top (newest) first. */
export function headerValues(head: string, name: string): string[] {
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const re = new RegExp(`^${name}:[ \\t]*(.*)$`, 'gim');
  return [...unfolded.matchAll(re)].map((m) => m[1]!.trim());
}

export interface EntryHop {
  ip: string;
  helo: string | null;
}

/**
 * The hop where the mail entered the receiving server: the newest Received header naming a client
 * IP in brackets before "by", skipping hand-overs inside the server (LMTP, local delivery).
 */
export function entryHop(head: string): EntryHop | null {
  for (const value of headerValues(head, 'received')) {
    if (/\bwith\s+(LMTPS?A?|local|HTTP)\b/i.test(value)) continue;
    const from = /^from\s+(.*?)\s+by\s+/is.exec(value);
    if (!from) continue;
    const ipMatch = /\[(?:IPv6:)?([0-9a-fA-F:.]+)\]/.exec(from[1]!);
    if (!ipMatch || !isIP(ipMatch[1]!)) continue;
    const helo = /^(\S+)/.exec(from[1]!)?.[1] ?? null;
    return { ip: ipMatch[1]!, helo: helo && !helo.startsWith('[') && !helo.startsWith('(') ? helo : null };
  }
  return null;
}

const headOf = (source: Buffer): string => {
  const end = source.indexOf('\r\n\r\n');
  const alt = end < 0 ? source.indexOf('\n\n') : end;
  return source.subarray(0, alt < 0 ? Math.min(source.length, 64 * 1024) : alt).toString('latin1');
};

export async function authenticateCopy(source: Buffer, dns: DnsResolver): Promise<CopyAuth> {
  const head = headOf(source);
  const hop = entryHop(head);
  const returnPath = /<([^>]*)>/.exec(headerValues(head, 'return-path')[0] ?? '')?.[1];
  const res = await authenticate(source, {
    ip: hop?.ip,
    helo: hop?.helo ?? hop?.ip,
    sender: returnPath || undefined,
    mta: 'kiln',
    resolver: dns.resolve as never,
    disableArc: true,
    // BIMI would fetch logos over HTTPS: not for a placement report.
    disableBimi: true,
  });
  const spf = res.spf || null;
  const dkim = (res.dkim?.results ?? []).find((r) => r.status?.result === 'pass') ?? res.dkim?.results?.[0];
  return {
    ip: hop?.ip ?? null,
    spf: hop ? { result: spf?.status?.result ?? 'none', detail: spf?.status?.comment ?? null } : { result: 'none', detail: 'no client IP in the Received headers' },
    dkim: dkim ? { result: dkim.status?.result ?? 'none', detail: [dkim.signingDomain && `d=${dkim.signingDomain}`, dkim.status?.comment].filter(Boolean).join(' ') || null } : { result: 'none', detail: 'no DKIM signature' },
    dmarc: res.dmarc ? { result: res.dmarc.status?.result ?? 'none', detail: res.dmarc.status?.comment ?? null } : { result: 'none', detail: null },
  };
}
