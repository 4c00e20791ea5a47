// The blocklist zone registry: one entry per list, with how to ask it and how to read its answers.
// Adding a list is adding an entry. Every answer is read the same way first: anything outside
// 127.0.0.0/8 is a hijacked or wildcarding resolver (an error, never a listing); then the zone's
// own table decides between a listing (with its meaning) and one of the list's error codes.
import { isIPv4, isIPv6 } from 'node:net';
import type { BlocklistCode, BlocklistErrorCode, BlocklistKind } from '../../../../shared/domain/blocklist';

export type Reading =
  | { kind: 'listed'; meaning: string; policy?: boolean }
  | { kind: 'error'; error: BlocklistErrorCode; message: string };

export interface ZoneDef {
  /** Public zone name, also the zone's identity in settings, rows and alert keys. */
  name: string;
  label: string;
  kind: BlocklistKind;
  /** Answers IPv6 queries (RFC 5782 nibble format). */
  ipv6: boolean;
  builtin: boolean;
  /** Spamhaus DQS dataset: with a key, queries go to `<query>.<key>.<dqs>.dq.spamhaus.net`. */
  dqs?: 'zen' | 'dbl';
  /**
   * A target the list always lists (RFC 5782 test point). Asked once per scan: a zone that does not
   * confirm it cannot be trusted to say "not listed" (Spamhaus answers NXDOMAIN to some refused resolvers).
   */
  testPoint?: string;
  /** How answers are read, in a sentence (settings screen). */
  codes: string;
  /** Read one answer inside 127.0.0.0/8. */
  read(answer: string): Reading;
}

const listed = (meaning: string, policy = false): Reading => ({ kind: 'listed', meaning, ...(policy ? { policy } : {}) });
const error = (code: BlocklistErrorCode, message: string): Reading => ({ kind: 'error', error: code, message });

const unexpected = (answer: string, zone: string): Reading =>
  error('UNEXPECTED_CODE', `${zone} answered ${answer}, which it does not use for listings`);

/** Spamhaus puts its error codes in 127.255.255.0/24; none of them is ever a listing. */
function spamhausError(answer: string): Reading | undefined {
  if (!answer.startsWith('127.255.255.')) return undefined;
  switch (answer) {
    case '127.255.255.252':
      return error('ZONE_NAME_ERROR', 'Spamhaus says the zone name is mistyped (127.255.255.252)');
    case '127.255.255.254':
      return error('BLOCKED_RESOLVER', 'Spamhaus refuses queries from a public/open resolver (127.255.255.254): set a DQS key or use your own resolver');
    case '127.255.255.255':
      return error('RATE_LIMITED', 'Spamhaus says this resolver sent too many queries (127.255.255.255): set a DQS key');
    default:
      return error('ZONE_ERROR', `Spamhaus answered the error code ${answer} (with DQS: check the key)`);
  }
}

type Table = Record<string, string | { meaning: string; policy: true }>;

/** A list that answers fixed codes; unknown 127.x codes are listings (RFC 5782), except 127.0.0.1. */
function tableReader(zone: string, table: Table, errors?: (answer: string) => Reading | undefined) {
  return (answer: string): Reading => {
    const e = errors?.(answer);
    if (e) return e;
    const t = table[answer];
    if (typeof t === 'string') return listed(t);
    if (t) return listed(t.meaning, true);
    // RFC 5782: 127.0.0.1 is never a listing; lists use it to flag refused or test queries.
    if (answer === '127.0.0.1') return unexpected(answer, zone);
    return listed(`unrecognised return code ${answer}`);
  };
}

/** A list whose last octet is a bitmask of sub-lists (SURBL, URIBL); `one` is what 127.0.0.1 means. */
function bitmaskReader(zone: string, bits: Record<number, string>, one: Reading) {
  return (answer: string): Reading => {
    const m = /^127\.0\.0\.(\d{1,3})$/.exec(answer);
    if (!m) return unexpected(answer, zone);
    const v = Number(m[1]);
    if (v === 1) return one;
    if (v === 0) return unexpected(answer, zone);
    const names: string[] = [];
    for (let bit = 1; bit <= 128; bit <<= 1) {
      if (v & bit) names.push(bits[bit] ?? `bit ${bit} (not documented)`);
    }
    return listed(names.join(', '));
  };
}

const PBL = 'PBL: end-user IP range that should not send direct-to-MX (normal for a home or office connection)';

export const builtinZones: readonly ZoneDef[] = [
  {
    name: 'zen.spamhaus.org',
    label: 'Spamhaus ZEN',
    kind: 'ip',
    ipv6: true,
    builtin: true,
    dqs: 'zen',
    testPoint: '127.0.0.2',
    codes: '127.0.0.2 SBL, .3 SBL CSS, .4-.7 XBL, .9 DROP, .10/.11 PBL, .30 BCL; 127.255.255.x are errors',
    read: tableReader(
      'zen.spamhaus.org',
      {
        '127.0.0.2': 'SBL: Spamhaus Block List (spam source or spam operation)',
        '127.0.0.3': 'SBL CSS: snowshoe or low-reputation sending detected automatically',
        '127.0.0.4': 'XBL: exploited host (malware, botnet, open proxy)',
        '127.0.0.5': 'XBL: exploited host',
        '127.0.0.6': 'XBL: exploited host',
        '127.0.0.7': 'XBL: exploited host',
        '127.0.0.9': 'DROP: hijacked or criminal network',
        '127.0.0.10': { meaning: `${PBL} (listed by the ISP)`, policy: true },
        '127.0.0.11': { meaning: `${PBL} (listed by Spamhaus)`, policy: true },
        '127.0.0.30': 'BCL: botnet controller',
      },
      spamhausError,
    ),
  },
  {
    name: 'dbl.spamhaus.org',
    label: 'Spamhaus DBL',
    kind: 'domain',
    ipv6: false,
    builtin: true,
    dqs: 'dbl',
    testPoint: 'dbltest.com',
    codes: '127.0.1.2 spam, .4 phish, .5 malware, .6 botnet C&C, .102-.106 abused legitimate domain; 127.0.1.255 and 127.255.255.x are errors',
    read: tableReader(
      'dbl.spamhaus.org',
      {
        '127.0.1.2': 'spam domain (low reputation)',
        '127.0.1.4': 'phishing domain',
        '127.0.1.5': 'malware domain',
        '127.0.1.6': 'botnet C&C domain',
        '127.0.1.102': 'abused legitimate domain (spam)',
        '127.0.1.103': 'abused legitimate domain (spammed redirector)',
        '127.0.1.104': 'abused legitimate domain (phishing)',
        '127.0.1.105': 'abused legitimate domain (malware)',
        '127.0.1.106': 'abused legitimate domain (botnet C&C)',
      },
      (a) => (a === '127.0.1.255' ? error('BAD_QUERY', 'Spamhaus DBL does not answer IP queries (127.0.1.255)') : spamhausError(a)),
    ),
  },
  {
    name: 'b.barracudacentral.org',
    label: 'Barracuda BRBL',
    kind: 'ip',
    ipv6: false,
    builtin: true,
    testPoint: '127.0.0.2',
    codes: '127.0.0.2 listed (Barracuda answers registered resolvers only)',
    read: tableReader('b.barracudacentral.org', { '127.0.0.2': 'listed on the Barracuda Reputation Block List' }),
  },
  {
    name: 'bl.spamcop.net',
    label: 'SpamCop',
    kind: 'ip',
    ipv6: false,
    builtin: true,
    testPoint: '127.0.0.2',
    codes: '127.0.0.2 listed',
    read: tableReader('bl.spamcop.net', { '127.0.0.2': 'listed on the SpamCop Blocking List (user spam reports)' }),
  },
  {
    name: 'bl.mailspike.net',
    label: 'Mailspike BL',
    kind: 'ip',
    ipv6: false,
    builtin: true,
    testPoint: '127.0.0.2',
    codes: '127.0.0.2 spam wave (Z), .10-.12 reputation L5-L3',
    read: tableReader('bl.mailspike.net', {
      '127.0.0.2': 'seen in a distributed spam wave (Mailspike Z)',
      '127.0.0.10': 'worst reputation (Mailspike L5)',
      '127.0.0.11': 'very bad reputation (Mailspike L4)',
      '127.0.0.12': 'bad reputation (Mailspike L3)',
    }),
  },
  {
    name: 'multi.surbl.org',
    label: 'SURBL multi',
    kind: 'domain',
    ipv6: false,
    builtin: true,
    testPoint: 'test.surbl.org',
    codes: 'bitmask of 127.0.0.x: 8 PH, 16 MW, 64 ABUSE, 128 CR; 127.0.0.1 means the resolver is blocked',
    read: bitmaskReader(
      'multi.surbl.org',
      { 8: 'PH (phishing)', 16: 'MW (malware)', 64: 'ABUSE (spam)', 128: 'CR (cracked site)' },
      error('BLOCKED_RESOLVER', 'SURBL blocks queries from this resolver (127.0.0.1): use your own resolver'),
    ),
  },
  {
    name: 'multi.uribl.com',
    label: 'URIBL multi',
    kind: 'domain',
    ipv6: false,
    builtin: true,
    testPoint: 'test.uribl.com',
    codes: 'bitmask of 127.0.0.x: 2 black, 4 grey, 8 red; 127.0.0.1 means the query was refused',
    read: bitmaskReader(
      'multi.uribl.com',
      { 2: 'black (spam domain)', 4: 'grey (bulk sender, opt-out honoured)', 8: 'red (new or privacy-protected domain in mail flow)' },
      error('REFUSED', 'URIBL refused the query (127.0.0.1): public resolver or too many queries'),
    ),
  },
];

/** A zone the user added: 127.0.0.2-127.0.0.255 are listings, anything else an error. */
export function customZone(z: { name: string; label?: string; kind: BlocklistKind; ipv6?: boolean }): ZoneDef {
  return {
    name: z.name,
    label: z.label ?? z.name,
    kind: z.kind,
    ipv6: z.kind === 'ip' && (z.ipv6 ?? false),
    builtin: false,
    codes: 'any 127.0.0.2-127.0.0.255 is a listing; 127.0.0.1 and other answers are errors',
    read(answer) {
      const m = /^127\.0\.0\.(\d{1,3})$/.exec(answer);
      return m && Number(m[1]) >= 2 ? listed(`listed (${answer})`) : unexpected(answer, z.name);
    },
  };
}

export const builtinZone = (name: string): ZoneDef | undefined => builtinZones.find((z) => z.name === name);

export type Verdict =
  | { status: 'listed'; codes: BlocklistCode[] }
  | { status: 'clear'; codes: [] }
  | { status: 'error'; codes: []; error: BlocklistErrorCode; message: string };

/** Read a zone's whole answer (A records): one error answer makes the result an error. */
export function decode(zone: ZoneDef, answers: readonly string[]): Verdict {
  const codes: BlocklistCode[] = [];
  for (const a of answers) {
    if (!isIPv4(a) || !a.startsWith('127.')) {
      return { status: 'error', codes: [], error: 'NOT_LOOPBACK', message: `${zone.name} answered ${a}, outside 127.0.0.0/8: the resolver wildcards or hijacks answers` };
    }
    const r = zone.read(a);
    if (r.kind === 'error') return { status: 'error', codes: [], error: r.error, message: r.message };
    codes.push({ code: a, meaning: r.meaning, policy: r.policy ?? false });
  }
  if (codes.length === 0) return { status: 'clear', codes: [] };
  codes.sort((x, y) => compareIp(x.code, y.code));
  return { status: 'listed', codes };
}

const compareIp = (a: string, b: string): number => {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
  return 0;
};

/** All 32 nibbles of an IPv6 address, most significant first. */
export function ipv6Nibbles(ip: string): string[] {
  let s = ip.toLowerCase();
  // An embedded IPv4 tail (::ffff:192.0.2.1) becomes two hextets.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const o = v4[1]!.split('.').map(Number);
    s = s.slice(0, -v4[1]!.length) + (((o[0]! << 8) | o[1]!).toString(16) + ':' + ((o[2]! << 8) | o[3]!).toString(16));
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => g.padStart(4, '0').split(''));
}

/** The part of the query name before the zone: reversed octets, reversed nibbles, or the domain. */
export function queryPrefix(target: string): string {
  if (isIPv4(target)) return target.split('.').reverse().join('.');
  if (isIPv6(target)) return ipv6Nibbles(target).reverse().join('.');
  return target;
}

export const DQS_SUFFIX = 'dq.spamhaus.net';

/**
 * The name to ask, and the same name as Kiln may show or store (the DQS key masked). The key is a
 * secret: only `name` carries it, and `name` is handed to the resolver and nothing else.
 */
export function queryName(zone: ZoneDef, target: string, dqsKey: string | null): { name: string; shown: string } {
  const prefix = queryPrefix(target);
  if (zone.dqs && dqsKey) {
    return { name: `${prefix}.${dqsKey}.${zone.dqs}.${DQS_SUFFIX}`, shown: `${prefix}.<dqs-key>.${zone.dqs}.${DQS_SUFFIX}` };
  }
  const name = `${prefix}.${zone.name}`;
  return { name, shown: name };
}

/** Whether a zone can be asked about a target (kind, and IPv6 support). */
export function zoneFits(zone: ZoneDef, target: string): boolean {
  if (zone.kind === 'domain') return !isIPv4(target) && !isIPv6(target);
  if (isIPv4(target)) return true;
  return isIPv6(target) && zone.ipv6;
}
