// How a seed's received copy authenticates: mailauth (DKIM, SPF, DMARC) over the copy the seed's
// server stored, with the client IP, HELO and envelope sender taken from the Received header of
// the hop where the mail entered that server. All lookups go through Kiln's resolver.
import { authenticate } from 'mailauth';
import type { CopyAuth } from '../../../shared/domain/placement-test';
import type { DnsResolver } from '../checks/resolver';
import { fieldsNamed } from '../checks/auth/headers';
import { sendingIpFromReceived } from '../checks/auth/received';

const headOf = (source: Buffer): string => {
  const end = source.indexOf('\r\n\r\n');
  const alt = end < 0 ? source.indexOf('\n\n') : end;
  return source.subarray(0, alt < 0 ? Math.min(source.length, 64 * 1024) : alt).toString('latin1');
};

export async function authenticateCopy(source: Buffer, dns: DnsResolver): Promise<CopyAuth> {
  const head = headOf(source);
  // The hop where the copy entered the seed's server, whatever its address (a loopback relay too).
  const entry = sendingIpFromReceived(head, { acceptInternal: true });
  const hop = entry ? { ip: entry.ip, helo: entry.hop.from && !entry.hop.from.startsWith('[') ? entry.hop.from : null } : null;
  const returnPath = /<([^>]*)>/.exec(fieldsNamed(head, 'return-path')[0]?.value ?? '')?.[1];
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
