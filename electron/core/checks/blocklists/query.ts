// Asking one zone about one target through Kiln's resolver (deps.dns: never node:dns directly),
// and turning the DNS outcome into listed / clear / error. Resolver errors carry the query name
// in their message (a DQS key included), so only their code is ever kept.
import type { BlocklistErrorCode } from '../../../../shared/domain/blocklist';
import type { DnsResolver } from '../resolver';
import { decode, queryName, type Verdict, type ZoneDef } from './zones';

export interface Lookup {
  zone: ZoneDef;
  target: string;
  verdict: Verdict;
  /** The name asked, DQS key masked. */
  query: string;
}

const dnsErrors: Record<string, [BlocklistErrorCode, string]> = {
  ETIMEOUT: ['TIMEOUT', 'no answer within the resolver timeout'],
  ESERVFAIL: ['SERVFAIL', 'the resolver answered SERVFAIL'],
  EREFUSED: ['REFUSED', 'the resolver refused the query'],
  ECONNREFUSED: ['DNS_ERROR', 'the resolver could not be reached (connection refused)'],
  ECANCELLED: ['DNS_ERROR', 'the query was cancelled'],
};

/** A valid DNS name: at most 253 octets, labels of at most 63. */
const fitsDns = (name: string): boolean => name.length <= 253 && name.split('.').every((l) => l.length >= 1 && l.length <= 63);

export async function lookup(dns: DnsResolver, zone: ZoneDef, target: string, dqsKey: string | null): Promise<Lookup> {
  const { name, shown } = queryName(zone, target, dqsKey);
  if (!fitsDns(name)) {
    return { zone, target, query: shown, verdict: { status: 'error', codes: [], error: 'BAD_QUERY', message: 'the query name is longer than DNS allows' } };
  }
  try {
    const answers = await dns.a(name);
    return { zone, target, query: shown, verdict: decode(zone, answers) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    // NXDOMAIN (and NODATA: the name exists without an A record) is how a list says "not listed".
    if (code === 'ENOTFOUND' || code === 'ENODATA') return { zone, target, query: shown, verdict: { status: 'clear', codes: [] } };
    const [error, message] = dnsErrors[code] ?? ['DNS_ERROR', `the lookup failed (${code.replace(/[^A-Z_]/g, '') || 'unknown error'})`];
    return { zone, target, query: shown, verdict: { status: 'error', codes: [], error, message } };
  }
}

/** Run `fn` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
