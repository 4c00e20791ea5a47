// An authoritative DNS server for tests (dns2, UDP + TCP on one 127.0.0.1 port). Kiln's resolver is
// pointed at it, so checks never query the machine's resolver or the internet. Addresses in the
// zone data (192.0.2.x, 203.0.113.x) are only answers: nothing ever connects to them.
import dns2 from 'dns2';

const { Packet } = dns2;

export type RecordType = 'A' | 'AAAA' | 'MX' | 'TXT' | 'PTR' | 'CNAME' | 'NS';

export type ZoneRecord =
  | { type: 'A' | 'AAAA' | 'PTR' | 'CNAME' | 'NS'; value: string }
  | { type: 'MX'; value: { exchange: string; priority: number } }
  /** A TXT value longer than 255 octets is split into character-strings, as DNS requires. */
  | { type: 'TXT'; value: string | string[] };

/** Owner name (no trailing dot, any case) -> records. A name with no records answers NODATA for every type. */
export type Zones = Record<string, ZoneRecord[]>;

export interface TestDnsServer {
  port: number;
  /** `127.0.0.1:<port>`, as Kiln's `dnsServers` option / KILN_DNS_SERVERS takes it. */
  server: string;
  /** Every question asked, in order (`name TYPE`), to prove what was (not) queried. */
  queries: string[];
  /** Replace a name's records (undefined removes the name: NXDOMAIN). */
  set(name: string, records: ZoneRecord[] | undefined): void;
  /** Names that get no answer at all (a resolver timeout). */
  silent: Set<string>;
  /** Zones whose every name (the zone and all below it) gets no answer: a list that never answers. */
  silentUnder: Set<string>;
  close(): Promise<void>;
}

const typeName = (t: number): string => Object.entries(Packet.TYPE).find(([, v]) => v === t)?.[0] ?? String(t);
const norm = (name: string): string => name.toLowerCase().replace(/\.$/, '');

function split255(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += 255) out.push(s.slice(i, i + 255));
  return out.length ? out : [''];
}

function answer(name: string, r: ZoneRecord): Record<string, unknown> {
  const base = { name, class: Packet.CLASS.IN, ttl: 60, type: Packet.TYPE[r.type] };
  switch (r.type) {
    case 'A':
    case 'AAAA':
      return { ...base, address: r.value };
    case 'MX':
      return { ...base, exchange: r.value.exchange, priority: r.value.priority };
    case 'TXT':
      return { ...base, data: Array.isArray(r.value) ? r.value : split255(r.value) };
    default:
      return { ...base, domain: r.value };
  }
}

export async function startDnsServer(initial: Zones): Promise<TestDnsServer> {
  const zones = new Map<string, ZoneRecord[]>(Object.entries(initial).map(([k, v]) => [norm(k), v]));
  const queries: string[] = [];
  const silent = new Set<string>();
  const silentUnder = new Set<string>();
  const muted = (name: string) => silent.has(name) || [...silentUnder].some((z) => name === z || name.endsWith(`.${z}`));
  const server = dns2.createServer({
    udp: true,
    tcp: true,
    handle(request, send) {
      const response = Packet.createResponseFromRequest(request);
      response.header.aa = 1;
      response.header.ra = 0;
      const [q] = request.questions;
      if (!q) return send(response);
      const name = norm(q.name);
      queries.push(`${name} ${typeName(q.type)}`);
      if (muted(name)) return undefined;
      const records = zones.get(name);
      if (!records) {
        response.header.rcode = 3; // NXDOMAIN
        return send(response);
      }
      const cname = records.find((r) => r.type === 'CNAME');
      const matching = cname && q.type !== Packet.TYPE.CNAME ? [cname] : records.filter((r) => Packet.TYPE[r.type] === q.type);
      for (const r of matching) response.answers.push(answer(q.name, r) as never);
      return send(response);
    },
  });
  server.on('requestError', () => undefined);
  // UDP and TCP must share the port (resolvers retry a truncated answer over TCP on the same one).
  for (let attempt = 0; ; attempt++) {
    const probe = await new Promise<number>((resolve, reject) => {
      const s = dns2.createUDPServer({});
      s.once('error', reject);
      s.bind(0, '127.0.0.1', () => {
        const p = s.address().port;
        s.close(() => resolve(p));
      });
    });
    try {
      await server.listen({ udp: { port: probe, address: '127.0.0.1' }, tcp: { port: probe, address: '127.0.0.1' } });
      return {
        port: probe,
        server: `127.0.0.1:${probe}`,
        queries,
        silent,
        silentUnder,
        set(name, records) {
          if (records) zones.set(norm(name), records);
          else zones.delete(norm(name));
        },
        close: () => server.close(),
      };
    } catch (e) {
      if (attempt >= 5) throw e;
    }
  }
}
