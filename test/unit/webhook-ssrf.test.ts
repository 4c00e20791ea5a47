// The webhook SSRF guard's address classifier and its lookup: only public unicast addresses pass;
// every private, loopback, link-local, CGNAT, unique-local, multicast or reserved form is refused,
// including IPv4 hidden inside IPv6 and the decimal/octal/hex host spellings `new URL` normalises.
// Lookups here are fakes: nothing is resolved or connected to.
import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { checkLiteralHost, checkTarget, forbiddenReason, guardedLookup, parseWebhookUrl } from '../../electron/core/webhooks/ssrf';
import { codeOf } from '../helpers/core';

const refused: [string, string][] = [
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['10.0.0.1', 'private'],
  ['172.16.5.4', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['169.254.169.254', 'linkLocal'],
  ['100.64.0.1', 'carrierGradeNat'],
  ['100.127.255.255', 'carrierGradeNat'],
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['255.255.255.255', 'broadcast'],
  ['192.0.2.10', 'reserved'],
  ['240.0.0.1', 'reserved'],
  ['::1', 'loopback'],
  ['::', 'unspecified'],
  ['fe80::1', 'linkLocal'],
  ['fc00::1', 'uniqueLocal'],
  ['fd12:3456:789a::1', 'uniqueLocal'],
  ['ff02::1', 'multicast'],
  ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
  ['::ffff:7f00:1', 'IPv4-mapped loopback'],
  ['::ffff:10.1.2.3', 'IPv4-mapped private'],
  ['::ffff:169.254.169.254', 'IPv4-mapped linkLocal'],
  ['64:ff9b::a9fe:a9fe', 'NAT64 linkLocal'],
  ['2002:7f00:1::', '6to4 loopback'],
  ['2001:db8::1', 'reserved'],
  ['::7f00:1', 'not global unicast'],
  ['not-an-ip', 'not an IP address'],
];

const allowed = ['93.184.216.34', '8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'];

describe('forbiddenReason', () => {
  it.each(refused)('refuses %s (%s)', (ip, reason) => {
    expect(forbiddenReason(ip)).toBe(reason);
  });
  it.each(allowed)('allows the public address %s', (ip) => {
    expect(forbiddenReason(ip)).toBeNull();
  });
});

describe('literal hosts in URLs', () => {
  const code = (raw: string) => {
    try {
      checkLiteralHost(new URL(raw));
      return 'OK';
    } catch (e) {
      return (e as { code: string }).code;
    }
  };
  it.each([
    'http://127.0.0.1/',
    'http://2130706433/', // decimal 127.0.0.1
    'http://0x7f.1/', // hex + short form
    'http://017700000001/', // octal
    'http://0177.0.0.1/',
    'http://[::1]:8080/',
    'http://[::ffff:127.0.0.1]/',
    'http://[0:0:0:0:0:ffff:a9fe:a9fe]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://0/',
    'http://localhost:3000/',
    'http://LOCALHOST./',
    'http://api.localhost/',
  ])('refuses %s', (raw) => {
    expect(code(raw)).toBe('WEBHOOK_TARGET_FORBIDDEN');
  });
  it('lets names through to the lookup check and public literals pass', () => {
    expect(code('https://hooks.example.com/x')).toBe('OK');
    expect(code('https://93.184.216.34/x')).toBe('OK');
  });
});

describe('parseWebhookUrl', () => {
  const code = (raw: string, allowPrivate = false) => {
    try {
      parseWebhookUrl(raw, allowPrivate);
      return 'OK';
    } catch (e) {
      return (e as { code: string }).code;
    }
  };
  it('takes https, and plain http only when private targets are allowed', () => {
    expect(code('https://hooks.example.com/kiln')).toBe('OK');
    expect(code('http://hooks.example.com/kiln')).toBe('INSECURE_TRANSPORT');
    expect(code('http://hooks.example.com/kiln', true)).toBe('OK');
    expect(code('http://127.0.0.1:9/', true)).toBe('OK');
  });
  it('refuses other schemes, credentials and garbage with a coded error', () => {
    expect(code('ftp://hooks.example.com/')).toBe('VALIDATION_FAILED');
    expect(code('file:///etc/passwd')).toBe('VALIDATION_FAILED');
    expect(code('https://user:pw@hooks.example.com/')).toBe('VALIDATION_FAILED');
    expect(code('not a url')).toBe('VALIDATION_FAILED');
    expect(code('gopher://127.0.0.1:25/')).toBe('VALIDATION_FAILED');
  });
  it('refuses a private target before the scheme, so the reason is the target', () => {
    expect(code('http://10.0.0.1/')).toBe('WEBHOOK_TARGET_FORBIDDEN');
  });
});

/** A fake dns.lookup answering from a table. */
function fakeLookup(table: Record<string, string[]>) {
  const calls: string[] = [];
  const lookup = ((host: string, _opts: unknown, cb: (err: NodeJS.ErrnoException | null, list: LookupAddress[]) => void) => {
    calls.push(host);
    const list = table[host];
    if (!list) return cb(Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' }), []);
    cb(null, list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  }) as unknown as typeof import('node:dns').lookup;
  return { lookup, calls };
}

function runLookup(fn: ReturnType<typeof guardedLookup>, host: string, all: boolean) {
  return new Promise<{ err: NodeJS.ErrnoException | null; address: unknown; family?: number }>((resolve) =>
    fn(host, { all }, (err, address, family) => resolve({ err, address, family })),
  );
}

describe('guardedLookup (the connection-time check)', () => {
  const { lookup } = fakeLookup({
    'public.test': ['93.184.216.34'],
    'rebind.test': ['93.184.216.34', '127.0.0.1'],
    'metadata.test': ['169.254.169.254'],
    'v6.test': ['2606:4700:4700::1111', '::ffff:10.0.0.1'],
  });
  const guarded = guardedLookup(lookup);

  it('hands a public answer to the socket in the shape it asked for', async () => {
    expect(await runLookup(guarded, 'public.test', false)).toEqual({ err: null, address: '93.184.216.34', family: 4 });
    const all = await runLookup(guarded, 'public.test', true);
    expect(all.err).toBeNull();
    expect(all.address).toEqual([{ address: '93.184.216.34', family: 4 }]);
  });

  it('refuses a name with any forbidden answer, so no socket is opened', async () => {
    for (const host of ['rebind.test', 'metadata.test', 'v6.test']) {
      const r = await runLookup(guarded, host, false);
      expect((r.err as unknown as { code: string }).code).toBe('WEBHOOK_TARGET_FORBIDDEN');
    }
  });

  it('refuses localhost names without asking a resolver', async () => {
    const spy = fakeLookup({ localhost: ['93.184.216.34'] });
    const r = await runLookup(guardedLookup(spy.lookup), 'localhost', false);
    expect((r.err as unknown as { code: string }).code).toBe('WEBHOOK_TARGET_FORBIDDEN');
    expect(spy.calls).toEqual([]);
  });

  it('passes resolver errors through', async () => {
    const r = await runLookup(guarded, 'missing.test', false);
    expect(r.err?.code).toBe('ENOTFOUND');
  });
});

describe('checkTarget (registration)', () => {
  const { lookup } = fakeLookup({ 'internal.test': ['10.1.2.3'], 'public.test': ['93.184.216.34'] });
  it('refuses a name resolving to a private address and accepts a public one', async () => {
    expect(await codeOf(checkTarget(new URL('https://internal.test/hook'), lookup))).toBe('WEBHOOK_TARGET_FORBIDDEN');
    expect(await codeOf(checkTarget(new URL('https://public.test/hook'), lookup))).toBe('OK');
  });
  it('accepts a name that does not resolve yet (the delivery checks again)', async () => {
    expect(await codeOf(checkTarget(new URL('https://later.test/hook'), lookup))).toBe('OK');
  });
});
