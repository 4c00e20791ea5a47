// The zone registry: query names (reversed IPv4, IPv6 nibbles, domains, Spamhaus DQS) and how each
// list's answers read (return-code tables, bitmasks, error codes that are never listings).
import { describe, expect, it } from 'vitest';
import { builtinZone, builtinZones, customZone, decode, ipv6Nibbles, queryName, zoneFits, type ZoneDef } from '../../electron/core/checks/blocklists/zones';
import { isPublicIp } from '../../electron/core/checks/blocklists/targets';

const zone = (name: string): ZoneDef => builtinZone(name)!;
const zen = zone('zen.spamhaus.org');
const dbl = zone('dbl.spamhaus.org');
const surbl = zone('multi.surbl.org');
const uribl = zone('multi.uribl.com');

describe('blocklist zone registry', () => {
  it('has the default zones, each with a kind and a test entry of that kind', () => {
    expect(builtinZones.map((z) => [z.name, z.kind])).toEqual([
      ['zen.spamhaus.org', 'ip'],
      ['dbl.spamhaus.org', 'domain'],
      ['b.barracudacentral.org', 'ip'],
      ['bl.spamcop.net', 'ip'],
      ['bl.mailspike.net', 'ip'],
      ['multi.surbl.org', 'domain'],
      ['multi.uribl.com', 'domain'],
    ]);
    for (const z of builtinZones) {
      expect(zoneFits(z, z.testPoint!)).toBe(true);
      // Each zone's own test entry reads as a listing by its table (what the scan checks for).
      expect(z.read(z.kind === 'ip' ? '127.0.0.2' : z === dbl ? '127.0.1.2' : '127.0.0.14').kind, z.name).toBe('listed');
    }
  });

  it('builds query names: reversed IPv4 octets, IPv6 nibbles, domains as they are', () => {
    expect(queryName(zen, '192.0.2.99', null)).toEqual({ name: '99.2.0.192.zen.spamhaus.org', shown: '99.2.0.192.zen.spamhaus.org' });
    expect(queryName(dbl, 'example.com', null).name).toBe('example.com.dbl.spamhaus.org');
    // RFC 5782 section 2.4: 2001:db8:1:2:3:4:567:89ab
    expect(queryName(zen, '2001:db8:1:2:3:4:567:89ab', null).name).toBe('b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.zen.spamhaus.org');
    expect(ipv6Nibbles('2001:db8::1').join('')).toBe('20010db8000000000000000000000001');
    expect(ipv6Nibbles('::ffff:192.0.2.1').join('')).toBe('00000000000000000000ffffc0000201');
  });

  it('routes Spamhaus zones through DQS with a key, and masks the key in what it shows', () => {
    const key = 'abcdefghijklmnopqrstuvwxyz';
    expect(queryName(zen, '192.0.2.1', key)).toEqual({
      name: `1.2.0.192.${key}.zen.dq.spamhaus.net`,
      shown: '1.2.0.192.<dqs-key>.zen.dq.spamhaus.net',
    });
    expect(queryName(dbl, 'example.com', key).name).toBe(`example.com.${key}.dbl.dq.spamhaus.net`);
    // Other lists ignore the key.
    expect(queryName(zone('bl.spamcop.net'), '192.0.2.1', key).name).toBe('1.2.0.192.bl.spamcop.net');
  });

  it('fits zones to targets: IP lists take IPs (IPv6 only where supported), domain lists take domains', () => {
    expect(zoneFits(zen, '2001:db8::1')).toBe(true);
    expect(zoneFits(zone('bl.spamcop.net'), '2001:db8::1')).toBe(false);
    expect(zoneFits(zen, 'example.com')).toBe(false);
    expect(zoneFits(dbl, '192.0.2.1')).toBe(false);
    expect(zoneFits(dbl, 'example.com')).toBe(true);
  });

  it('reads Spamhaus ZEN return codes, PBL as a policy listing', () => {
    expect(decode(zen, ['127.0.0.2'])).toEqual({ status: 'listed', codes: [{ code: '127.0.0.2', meaning: expect.stringMatching(/^SBL:/), policy: false }] });
    expect(decode(zen, ['127.0.0.3']).codes[0]!.meaning).toMatch(/^SBL CSS/);
    for (const x of [4, 5, 6, 7]) expect(decode(zen, [`127.0.0.${x}`]).codes[0]!.meaning).toMatch(/^XBL/);
    expect(decode(zen, ['127.0.0.9']).codes[0]!.meaning).toMatch(/^DROP/);
    const pbl = decode(zen, ['127.0.0.11', '127.0.0.10']);
    expect(pbl).toMatchObject({ status: 'listed', codes: [{ code: '127.0.0.10', policy: true }, { code: '127.0.0.11', policy: true }] });
    expect(pbl.codes[0]!.meaning).toMatch(/^PBL/);
    // Several answers at once: every meaning kept, in address order.
    expect(decode(zen, ['127.0.0.4', '127.0.0.2']).codes.map((c) => c.code)).toEqual(['127.0.0.2', '127.0.0.4']);
  });

  it('reads Spamhaus 127.255.255.x as errors, never listings', () => {
    expect(decode(zen, ['127.255.255.254'])).toMatchObject({ status: 'error', error: 'BLOCKED_RESOLVER', message: expect.stringMatching(/public\/open resolver/) });
    expect(decode(zen, ['127.255.255.255'])).toMatchObject({ status: 'error', error: 'RATE_LIMITED' });
    expect(decode(zen, ['127.255.255.252'])).toMatchObject({ status: 'error', error: 'ZONE_NAME_ERROR' });
    expect(decode(dbl, ['127.255.255.254'])).toMatchObject({ status: 'error', error: 'BLOCKED_RESOLVER' });
    expect(decode(zen, ['127.255.255.250'])).toMatchObject({ status: 'error', error: 'ZONE_ERROR' });
    // An error answer next to a listing still makes the whole answer an error.
    expect(decode(zen, ['127.0.0.2', '127.255.255.254']).status).toBe('error');
  });

  it('reads DBL codes, abused-legit codes, and its IP-query error', () => {
    expect(decode(dbl, ['127.0.1.2']).codes[0]!.meaning).toBe('spam domain (low reputation)');
    expect(decode(dbl, ['127.0.1.4']).codes[0]!.meaning).toBe('phishing domain');
    expect(decode(dbl, ['127.0.1.102']).codes[0]!.meaning).toBe('abused legitimate domain (spam)');
    expect(decode(dbl, ['127.0.1.106']).codes[0]!.meaning).toBe('abused legitimate domain (botnet C&C)');
    expect(decode(dbl, ['127.0.1.255'])).toMatchObject({ status: 'error', error: 'BAD_QUERY' });
  });

  it('decodes the SURBL and URIBL bitmasks; their 127.0.0.1 is an error', () => {
    expect(decode(surbl, ['127.0.0.8']).codes[0]!.meaning).toBe('PH (phishing)');
    expect(decode(surbl, ['127.0.0.72']).codes[0]!.meaning).toBe('PH (phishing), ABUSE (spam)');
    expect(decode(surbl, ['127.0.0.216']).codes[0]!.meaning).toBe('PH (phishing), MW (malware), ABUSE (spam), CR (cracked site)');
    expect(decode(surbl, ['127.0.0.4']).codes[0]!.meaning).toBe('bit 4 (not documented)');
    expect(decode(surbl, ['127.0.0.1'])).toMatchObject({ status: 'error', error: 'BLOCKED_RESOLVER' });
    expect(decode(uribl, ['127.0.0.2']).codes[0]!.meaning).toMatch(/^black/);
    expect(decode(uribl, ['127.0.0.14']).codes[0]!.meaning).toMatch(/^black .*, grey .*, red /);
    expect(decode(uribl, ['127.0.0.1'])).toMatchObject({ status: 'error', error: 'REFUSED' });
    expect(decode(uribl, ['127.0.1.2'])).toMatchObject({ status: 'error', error: 'UNEXPECTED_CODE' });
  });

  it('reads the single-code lists and Mailspike reputation levels', () => {
    expect(decode(zone('b.barracudacentral.org'), ['127.0.0.2']).status).toBe('listed');
    expect(decode(zone('bl.spamcop.net'), ['127.0.0.2']).status).toBe('listed');
    const ms = zone('bl.mailspike.net');
    expect(decode(ms, ['127.0.0.2']).codes[0]!.meaning).toMatch(/spam wave/);
    expect(decode(ms, ['127.0.0.10']).codes[0]!.meaning).toMatch(/L5/);
    // RFC 5782: 127.0.0.1 is never a listing; unknown 127.x codes are, with their code kept.
    expect(decode(zone('bl.spamcop.net'), ['127.0.0.1'])).toMatchObject({ status: 'error', error: 'UNEXPECTED_CODE' });
    expect(decode(zone('bl.spamcop.net'), ['127.0.0.3']).codes[0]!.meaning).toBe('unrecognised return code 127.0.0.3');
  });

  it('treats any answer outside 127.0.0.0/8 as a hijacking resolver, and no answer as clear', () => {
    for (const z of [zen, dbl, surbl, customZone({ name: 'bl.example.org', kind: 'ip' })]) {
      expect(decode(z, ['203.0.113.7'])).toMatchObject({ status: 'error', error: 'NOT_LOOPBACK' });
      expect(decode(z, ['127.0.0.2', '198.51.100.1'])).toMatchObject({ status: 'error', error: 'NOT_LOOPBACK' });
      expect(decode(z, [])).toEqual({ status: 'clear', codes: [] });
    }
  });

  it('reads custom zones with the simple rule: 127.0.0.2-255 listed, anything else an error', () => {
    const c = customZone({ name: 'bl.example.org', kind: 'ip' });
    expect(c).toMatchObject({ label: 'bl.example.org', builtin: false, ipv6: false });
    expect(decode(c, ['127.0.0.2'])).toEqual({ status: 'listed', codes: [{ code: '127.0.0.2', meaning: 'listed (127.0.0.2)', policy: false }] });
    expect(decode(c, ['127.0.0.200']).status).toBe('listed');
    expect(decode(c, ['127.0.0.1'])).toMatchObject({ status: 'error', error: 'UNEXPECTED_CODE' });
    expect(decode(c, ['127.1.0.2'])).toMatchObject({ status: 'error', error: 'UNEXPECTED_CODE' });
    expect(customZone({ name: 'dom.example.org', kind: 'domain', ipv6: true }).ipv6).toBe(false);
  });

  it('tells public addresses from those no blocklist lists', () => {
    for (const ip of ['192.0.2.1', '8.8.8.8', '2001:db8::1', '::ffff:203.0.113.5']) expect(isPublicIp(ip), ip).toBe(true);
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.1.1', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1', 'example.com']) {
      expect(isPublicIp(ip), ip).toBe(false);
    }
  });
});
