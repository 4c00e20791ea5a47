// The one DNS resolver every deliverability check uses (mailauth included): node:dns with the
// servers Kiln is configured with (KILN_DNS_SERVERS / the `dnsServers` core option), else the
// system's. Checks must never call node:dns directly, so a configured resolver is never bypassed.
import { Resolver } from 'node:dns/promises';

export interface ResolverOptions {
  /** `host` or `host:port` entries; empty or absent: the system's resolvers. */
  servers?: string[];
  /** Per-query timeout in ms (default 3000) and tries (default 2). */
  timeoutMs?: number;
  tries?: number;
}

export type RrType = 'A' | 'AAAA' | 'MX' | 'TXT' | 'PTR' | 'CNAME' | 'NS';

/** Answers that mean "no such record" rather than "the lookup failed". */
export const NO_RECORD_CODES: ReadonlySet<string> = new Set(['ENOTFOUND', 'ENODATA']);

export interface DnsResolver {
  /** `dns.promises.resolve` semantics: the shape mailauth's `resolver` option expects. */
  resolve(name: string, rrtype: RrType): Promise<unknown[]>;
  txt(name: string): Promise<string[][]>;
  a(name: string): Promise<string[]>;
  aaaa(name: string): Promise<string[]>;
  mx(name: string): Promise<Array<{ exchange: string; priority: number }>>;
  ptr(ip: string): Promise<string[]>;
  /** The servers in use ('system' when none were configured). */
  readonly servers: readonly string[];
}

export function createResolver(o: ResolverOptions = {}): DnsResolver {
  const r = new Resolver({ timeout: o.timeoutMs ?? 3_000, tries: o.tries ?? 2 });
  const servers = (o.servers ?? []).map((s) => s.trim()).filter(Boolean);
  if (servers.length > 0) r.setServers(servers);
  return {
    servers: servers.length > 0 ? servers : ['system'],
    resolve: (name, rrtype) => r.resolve(name, rrtype) as Promise<unknown[]>,
    txt: (name) => r.resolveTxt(name),
    a: (name) => r.resolve4(name),
    aaaa: (name) => r.resolve6(name),
    mx: (name) => r.resolveMx(name),
    ptr: (ip) => r.reverse(ip),
  };
}

/** "1.1.1.1, 127.0.0.1:5353" -> list; validated so a typo fails at start, not at the first check. */
export function parseDnsServers(value: string | undefined): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  const ok = /^(\[[0-9a-f:]+\](:\d{1,5})?|[0-9a-f:]+|\d{1,3}(\.\d{1,3}){3}(:\d{1,5})?)$/i;
  const bad = list.filter((s) => !ok.test(s));
  if (bad.length > 0) throw new Error(`DNS servers must be IP addresses (optionally :port), got ${bad.join(', ')}`);
  return list;
}
