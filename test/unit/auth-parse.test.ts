// The pure parsers of the DNS authentication checks: SPF terms and macros, DMARC tags (RFC 7489
// and RFC 9989) and report URIs, alignment, DKIM key records and keys, DKIM-Signature selectors,
// Received headers, MTA-STS / TLS-RPT / BIMI syntax, and the alert transition rule.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expandStatic, parseSpf } from '../../electron/core/checks/auth/spf';
import { isAligned, orgDomain, parseDmarc, parseReportUri } from '../../electron/core/checks/auth/dmarc';
import { judgeDkimRecord, parseDkimKey, selectorsFromHeaders, validateDkimKey } from '../../electron/core/checks/auth/dkim';
import { fromClauseIp, isInternalIp, receivedHops, sendingIpFromReceived } from '../../electron/core/checks/auth/received';
import { parseTagList } from '../../electron/core/checks/auth/tags';
import { mxMatches, parseMtaStsPolicy } from '../../electron/core/checks/auth/mta-sts';
import { parseTlsRpt } from '../../electron/core/checks/auth/tls-rpt';
import { dmarcBlocksBimi, parseBimi } from '../../electron/core/checks/auth/bimi';
import { looksGeneric } from '../../electron/core/checks/auth/ptr';
import { transitions } from '../../electron/core/checks/auth/alerts';
import { normalizeDomain, worstStatus, type CheckStatusMap, type DmarcCheck } from '../../shared/domain/auth-check';

const rsa = (bits: number, type: 'spki' | 'pkcs1' = 'spki') => generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ type, format: 'der' }).toString('base64');

describe('SPF terms', () => {
  it('parses mechanisms with qualifiers, values and CIDR lengths, and modifiers', () => {
    const { terms, errors } = parseSpf('v=spf1 ip4:192.0.2.0/24 -ip6:2001:db8::/32 a ~a:mail.example.com/28//64 mx/24 ?ptr include:_spf.example.com exists:%{i}._ip.example.com redirect=_spf.example.net exp=explain.%{d} custom=anything -all');
    expect(errors).toEqual([]);
    expect(terms.map((t) => [t.kind, t.qualifier, t.name, t.value])).toEqual([
      ['mechanism', null, 'ip4', '192.0.2.0/24'],
      ['mechanism', '-', 'ip6', '2001:db8::/32'],
      ['mechanism', null, 'a', null],
      ['mechanism', '~', 'a', 'mail.example.com'],
      ['mechanism', null, 'mx', null],
      ['mechanism', '?', 'ptr', null],
      ['mechanism', null, 'include', '_spf.example.com'],
      ['mechanism', null, 'exists', '%{i}._ip.example.com'],
      ['modifier', null, 'redirect', '_spf.example.net'],
      ['modifier', null, 'exp', 'explain.%{d}'],
      ['modifier', null, 'custom', 'anything'],
      ['mechanism', '-', 'all', null],
    ]);
  });

  it('names every syntax error with its term', () => {
    const { errors } = parseSpf('v=spf1 ip4:192.0.2.300 ip4:192.0.2.0/33 ip6:nope incude:x.example include all:x a:host.example/40 redirect=a.example redirect=b.example include:%{z}.example -all');
    expect(errors).toEqual([
      'ip4:192.0.2.300: "192.0.2.300" is not an IPv4 address',
      'ip4:192.0.2.0/33: invalid CIDR length',
      'ip6:nope: "nope" is not an IPv6 address',
      'incude:x.example: unknown mechanism',
      'include: include needs a domain (include:example.com)',
      'all:x: all takes no value',
      'a:host.example/40: invalid CIDR length',
      'redirect=b.example: redirect= may appear only once',
      'include:%{z}.example: "%{z}.example" has an invalid macro',
    ]);
  });

  it('rejects domains that are not fully qualified and records without v=spf1', () => {
    expect(parseSpf('v=spf1 include:localhost -all').errors).toEqual(['include:localhost: "localhost" is not a fully qualified domain']);
    expect(parseSpf('v=spf1 include:example.123 -all').errors[0]).toContain('does not end in a valid top-level label');
    expect(parseSpf('v=spf2 -all').errors).toContain('the record does not start with v=spf1');
  });

  it('expands the macros a static check can know, and refuses the ones that need the message', () => {
    expect(expandStatic('%{d}', 'sub.example.com', 'example.com')).toBe('sub.example.com');
    expect(expandStatic('_spf.%{o}', 'x.example', 'Example.COM')).toBe('_spf.example.com');
    expect(expandStatic('%{d2}', 'a.b.example.com', 'x')).toBe('example.com');
    expect(expandStatic('%{dr}', 'a.example.com', 'x')).toBe('com.example.a');
    expect(expandStatic('%{i}._ip.example.com', 'example.com', 'example.com')).toBeNull();
    expect(expandStatic('%{s}.example.com', 'example.com', 'example.com')).toBeNull();
  });
});

describe('tag lists', () => {
  it('trims, lower-cases names, tolerates a trailing ;, and reports duplicates and bad pairs', () => {
    const t = parseTagList(' v=DKIM1 ; K=rsa;p=AB CD;; ');
    expect([...t.tags]).toEqual([['v', 'DKIM1'], ['k', 'rsa'], ['p', 'AB CD']]);
    expect(t.errors).toEqual([]);
    expect(parseTagList('v=DMARC1; p=none; p=reject; broken').errors).toEqual(['tag p= appears twice', '"broken" is not a tag=value pair']);
  });
});

describe('DMARC tags', () => {
  it('reads RFC 7489 tags with their defaults', () => {
    const d = parseDmarc('v=DMARC1; p=quarantine; sp=reject; pct=25; adkim=s; rua=mailto:a@example.com, mailto:b@reports.example!10m; ruf=mailto:f@example.com; fo=1:d; rf=afrf; ri=3600');
    expect(d.errors).toEqual([]);
    expect(d.policy).toEqual({ p: 'quarantine', sp: 'reject', np: null, pct: 25, adkim: 's', aspf: 'r', fo: '1:d', rf: 'afrf', ri: 3600, psd: null, t: null });
    expect(d.rua).toEqual(['mailto:a@example.com', 'mailto:b@reports.example!10m']);
    expect(d.ruf).toEqual(['mailto:f@example.com']);
    expect(d.obsolete).toEqual(['pct', 'rf', 'ri']);
  });

  it('reads RFC 9989 tags (np, psd, t)', () => {
    const d = parseDmarc('v=DMARC1; p=reject; np=quarantine; psd=y; t=y');
    expect(d.policy).toMatchObject({ p: 'reject', np: 'quarantine', psd: 'y', t: 'y' });
    expect(d.obsolete).toEqual([]);
    expect(d.errors).toEqual([]);
  });

  it('invalid records: v not first, no policy; a missing p with a rua reads as p=none', () => {
    expect(parseDmarc('p=reject; v=DMARC1').errors).toContain('the record must start with v=DMARC1');
    expect(parseDmarc('v=DMARC1; adkim=s').errors).toEqual(['p= (the policy) is missing or invalid']);
    const lenient = parseDmarc('v=DMARC1; p=block; rua=mailto:d@example.com');
    expect(lenient.errors).toEqual([]);
    expect(lenient.policy.p).toBe('none');
    expect(lenient.notes).toEqual(['p=block is not none, quarantine or reject', 'p= is missing or invalid: read as p=none because rua= is valid']);
    const odd = parseDmarc('v=DMARC1; p=none; adkim=x; pct=150; t=maybe; zz=1');
    expect(odd.policy).toMatchObject({ adkim: 'r', pct: null });
    expect(odd.notes).toEqual(expect.arrayContaining(['adkim=x is not r or s: read as r', 'pct=150 is not a number from 0 to 100: ignored', 't=maybe is not one of y, n', 'unknown tag zz= (ignored)']));
  });

  it('parses report URIs: address, size limit, external destination', () => {
    expect(parseReportUri('mailto:agg@reports.example!10m', 'example.com')).toMatchObject({ scheme: 'mailto', address: 'agg@reports.example', domain: 'reports.example', maxSize: '10m', external: true, error: null });
    expect(parseReportUri('mailto:d@mail.example.com', 'example.com')).toMatchObject({ external: false, error: null });
    expect(parseReportUri('https://r.example/dmarc', 'example.com')).toMatchObject({ scheme: 'https', error: null });
    expect(parseReportUri('ftp://x', 'example.com').error).toContain('not a report scheme');
    expect(parseReportUri('mailto:nobody', 'example.com').error).toContain('no valid address');
  });

  it('aligns strictly (same name) or relaxed (same organisational domain, public suffix list)', () => {
    expect(orgDomain('mail.shop.example.co.uk')).toBe('example.co.uk');
    expect(orgDomain('news.misaligned.test')).toBe('misaligned.test');
    expect(isAligned('news.example.com', 'example.com', 'r')).toBe(true);
    expect(isAligned('news.example.com', 'example.com', 's')).toBe(false);
    expect(isAligned('Example.com', 'example.com.', 's')).toBe(true);
    expect(isAligned('a.example.co.uk', 'b.other.co.uk', 'r')).toBe(false);
    // Private-section suffixes count: two GitHub Pages sites are different organisations.
    expect(isAligned('alice.github.io', 'bob.github.io', 'r')).toBe(false);
  });
});

describe('DKIM keys', () => {
  it('parses the key record tags', () => {
    const k = parseDkimKey('v=DKIM1; k=rsa; h=sha1:sha256; s=email; t=y:s; n=note; p=MIIB IjAN');
    expect(k).toMatchObject({ version: 'DKIM1', keyType: 'rsa', hashes: ['sha1', 'sha256'], services: ['email'], flags: ['y', 's'], publicKey: 'MIIBIjAN', errors: [] });
    expect(parseDkimKey('k=rsa; v=DKIM1; p=x').errors).toContain('v= must be the first tag');
    expect(parseDkimKey('v=DKIM1; k=rsa').errors).toContain('p= (the public key) is missing');
  });

  it('validates keys with node:crypto: RSA sizes, Ed25519, PKCS#1, garbage', () => {
    expect(validateDkimKey('rsa', rsa(2048))).toMatchObject({ ok: true, type: 'rsa', bits: 2048, format: 'spki' });
    expect(validateDkimKey('rsa', rsa(1024, 'pkcs1'))).toMatchObject({ ok: true, bits: 1024, format: 'pkcs1' });
    const ed = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }).subarray(12).toString('base64');
    expect(validateDkimKey('ed25519', ed)).toMatchObject({ ok: true, type: 'ed25519', bits: 256 });
    expect(validateDkimKey('ed25519', rsa(1024)).ok).toBe(false);
    expect(validateDkimKey('rsa', 'bm90IGEga2V5').error).toBe('p= is not a valid RSA public key');
    expect(validateDkimKey('rsa', 'not base64!').error).toBe('p= is not base64');
    expect(validateDkimKey('dsa', rsa(1024)).error).toBe('unknown key type k=dsa');
  });

  it('judges a record: < 1024 bits error, < 2048 warning, revoked fail, testing warning', () => {
    const name = 's._domainkey.example.com';
    expect(judgeDkimRecord(name, `v=DKIM1; p=${rsa(2048)}`)).toMatchObject({ status: 'pass', bits: 2048, problems: [] });
    const weak = judgeDkimRecord(name, `v=DKIM1; p=${rsa(1024)}`);
    expect([weak.status, weak.problems.map((p) => p.code)]).toEqual(['warn', ['dkim.key_weak']]);
    const tiny = judgeDkimRecord(name, `v=DKIM1; p=${rsa(512)}`);
    expect([tiny.status, tiny.problems.map((p) => p.code)]).toEqual(['error', ['dkim.key_too_short']]);
    expect(judgeDkimRecord(name, 'v=DKIM1; k=rsa; p=')).toMatchObject({ status: 'fail', revoked: true });
    const testing = judgeDkimRecord(name, `v=DKIM1; t=y; h=sha1; p=${rsa(2048)}`);
    expect(testing.testing).toBe(true);
    expect(testing.problems.map((p) => p.code)).toEqual(['dkim.sha1_only', 'dkim.testing']);
    expect(judgeDkimRecord(name, `v=DKIM1; s=other; p=${rsa(2048)}`).problems.map((p) => p.code)).toEqual(['dkim.service']);
  });

  it('finds selectors in DKIM-Signature headers (folded, several, deduplicated)', () => {
    const headers = [
      'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=Example.com;',
      '\ts=Sel2026; h=from:to; bh=abc; b=def',
      'DKIM-Signature: v=1; a=ed25519-sha256; d=esp.example; s=ed1; b=x',
      'dkim-signature: v=1; d=example.com; s=sel2026; b=y',
      'DKIM-Signature: v=1; d=bad domain; s=x; b=z',
      'Subject: hi',
      '',
      'DKIM-Signature: in the body, ignored; d=body.example; s=no',
    ].join('\r\n');
    expect(selectorsFromHeaders(headers)).toEqual([
      { domain: 'example.com', selector: 'sel2026' },
      { domain: 'esp.example', selector: 'ed1' },
    ]);
  });
});

describe('Received headers', () => {
  it('reads the from-clause IP in the usual formats', () => {
    expect(fromClauseIp({ value: 'mail.example.com', comment: 'mail.example.com [192.0.2.1]' })).toBe('192.0.2.1');
    expect(fromClauseIp({ value: '[192.0.2.2]', comment: '' })).toBe('192.0.2.2');
    expect(fromClauseIp({ value: 'host', comment: 'unknown [IPv6:2001:db8::1]' })).toBe('2001:db8::1');
    expect(fromClauseIp({ value: 'x', comment: '[192.0.2.3] helo=x.example' })).toBe('192.0.2.3');
    expect(fromClauseIp({ value: 'x', comment: '2001:db8::7' })).toBe('2001:db8::7');
    expect(fromClauseIp({ value: 'x', comment: 'no address here' })).toBeNull();
  });

  it('takes the first external hop from the top, skipping internal hops and LMTP', () => {
    const headers = [
      'Received: from mx.receiver.example (localhost [127.0.0.1]) by imap.receiver.example (Dovecot) with LMTP id 1; Mon, 23 Nov 2026 10:00:00 +0000',
      'Received: from filter.receiver.example (filter.receiver.example [10.1.2.3]) by mx.receiver.example with ESMTP id 2; Mon, 23 Nov 2026 10:00:00 +0000',
      'Received: from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41])',
      '        by mx.receiver.example with SMTPS id 3;',
      '        Mon, 23 Nov 2026 10:00:00 +0000',
      'Received: by 2002:a05:6a10:1234 with SMTP id 4; Mon, 23 Nov 2026 09:59:59 +0000',
      'Received: from laptop ([192.168.1.20]) by mail-sor-f41.google.com with ESMTPSA id 5; Mon, 23 Nov 2026 09:59:58 +0000',
      'Subject: x',
    ].join('\r\n');
    const hops = receivedHops(headers);
    expect(hops.map((h) => h.ip)).toEqual(['127.0.0.1', '10.1.2.3', '209.85.220.41', null, '192.168.1.20']);
    expect(hops[2]).toMatchObject({ from: 'mail-sor-f41.google.com', by: 'mx.receiver.example', with: 'SMTPS' });
    expect(sendingIpFromReceived(headers)).toMatchObject({ ip: '209.85.220.41', hop: { index: 2 } });
  });

  it('Exim and IPv6 formats; nothing external gives null', () => {
    const exim = 'Received: from mail.example.org ([2001:db8::25] helo=mail.example.org)\r\n\tby mx.example.net with esmtps (Exim 4.96) id 1; Mon, 23 Nov 2026 10:00:00 +0000';
    expect(sendingIpFromReceived(exim)?.ip).toBe('2001:db8::25');
    expect(sendingIpFromReceived('Received: from a (a [10.0.0.1]) by b with SMTP; x\r\nReceived: from c (c [127.0.0.1]) by d with ESMTP; y')).toBeNull();
    expect(sendingIpFromReceived('Subject: no received headers')).toBeNull();
  });

  it('classifies internal addresses', () => {
    for (const ip of ['10.0.0.1', '172.20.1.1', '192.168.0.1', '127.0.0.1', '169.254.1.1', '100.64.0.1', 'fd00::1', 'fe80::1', '::1', '::ffff:10.0.0.1']) expect([ip, isInternalIp(ip)]).toEqual([ip, true]);
    for (const ip of ['192.0.2.1', '8.8.8.8', '2001:db8::1', '172.32.0.1']) expect([ip, isInternalIp(ip)]).toEqual([ip, false]);
  });
});

describe('MTA-STS, TLS-RPT, BIMI, PTR names', () => {
  it('parses an MTA-STS policy and matches MX patterns', () => {
    const p = parseMtaStsPolicy('version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n');
    expect(p).toEqual({ version: 'STSv1', mode: 'enforce', mx: ['mail.example.com', '*.example.net'], maxAge: 604800, errors: [] });
    expect(parseMtaStsPolicy('version: STSv2\nmode: sometimes').errors).toEqual(['version must be STSv1', 'mode must be enforce, testing or none', 'max_age must be a number of seconds up to 31557600', 'no mx: lines']);
    expect(mxMatches('*.example.net', 'mx1.example.net')).toBe(true);
    expect(mxMatches('*.example.net', 'a.b.example.net')).toBe(false);
    expect(mxMatches('mail.example.com', 'MAIL.example.com.')).toBe(true);
  });

  it('parses TLS-RPT records', () => {
    expect(parseTlsRpt('v=TLSRPTv1; rua=mailto:tls@example.com,https://r.example/tls')).toEqual({ rua: ['mailto:tls@example.com', 'https://r.example/tls'], errors: [] });
    expect(parseTlsRpt('v=TLSRPTv1').errors).toEqual(['rua= (where reports go) is missing']);
    expect(parseTlsRpt('v=TLSRPTv1; rua=ftp://x').errors).toEqual(['rua ftp://x is not a mailto: or https: URI']);
  });

  it('parses BIMI records and knows when DMARC blocks the logo', () => {
    expect(parseBimi('v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem')).toEqual({ location: 'https://example.com/logo.svg', authority: 'https://example.com/vmc.pem', errors: [], notes: [] });
    expect(parseBimi('v=BIMI1; l=http://example.com/logo.png').errors).toEqual(['l=http://example.com/logo.png must be one https:// URL']);
    expect(parseBimi('v=BIMI1; l=https://example.com/logo.png').notes[0]).toContain('SVG');
    expect(parseBimi('v=BIMI1; l=; a=')).toMatchObject({ location: null, authority: null, errors: [] });
    const dmarc = (policy: Partial<NonNullable<DmarcCheck['policy']>>, inherited = false) =>
      ({ inherited, policy: { p: 'reject', sp: null, np: null, pct: null, adkim: 'r', aspf: 'r', fo: null, rf: null, ri: null, psd: null, t: null, ...policy } }) as DmarcCheck;
    expect(dmarcBlocksBimi(dmarc({}))).toBeNull();
    expect(dmarcBlocksBimi(dmarc({ p: 'none' }))).toContain('p=quarantine or p=reject');
    expect(dmarcBlocksBimi(dmarc({ pct: 50 }))).toContain('pct=100');
    expect(dmarcBlocksBimi(dmarc({ t: 'y' }))).toContain('t=y');
    expect(dmarcBlocksBimi(dmarc({ sp: 'none' }, true))).toContain('p=none');
  });

  it('spots generic PTR names', () => {
    expect(looksGeneric('192-0-2-10.dsl.isp.example', '192.0.2.10')).toBe(true);
    expect(looksGeneric('10.2.0.192.in-addr.example', '192.0.2.10')).toBe(false);
    expect(looksGeneric('host-10-2-0-192.pool.isp.example', '192.0.2.10')).toBe(true);
    expect(looksGeneric('mail.example.com', '192.0.2.10')).toBe(false);
  });
});

describe('statuses and alert transitions', () => {
  const all = (s: CheckStatusMap[keyof CheckStatusMap]): CheckStatusMap => ({ spf: s, dkim: s, dmarc: s, mx: s, ptr: s, mtaSts: s, tlsRpt: s, bimi: s });

  it('the worst status wins; none only when nothing was checked', () => {
    expect(worstStatus(['pass', 'none', 'warn'])).toBe('warn');
    expect(worstStatus(['fail', 'error', 'pass'])).toBe('error');
    expect(worstStatus(['none', 'none'])).toBe('none');
  });

  it('first check silent; raise only from pass/warn to fail/error; resolve when no longer failing', () => {
    expect(transitions(null, all('fail'))).toEqual({ raise: [], resolve: [] });
    const t = transitions({ ...all('pass'), dkim: 'none', dmarc: 'warn', mx: 'fail' }, { ...all('pass'), spf: 'error', dkim: 'fail', dmarc: 'fail', mx: 'fail' });
    expect(t.raise).toEqual(['spf', 'dmarc']);
    expect(t.resolve).toEqual(['ptr', 'mtaSts', 'tlsRpt', 'bimi']);
  });

  it('normalises domains', () => {
    expect(normalizeDomain(' Mail.Example.COM. ')).toBe('mail.example.com');
    expect(normalizeDomain('xn--bcher-kva.example')).toBe('xn--bcher-kva.example');
    for (const bad of ['localhost', 'exa mple.com', '-a.example', 'a..example', 'example.123', 'bücher.example', 'x'.repeat(64) + '.example']) expect([bad, normalizeDomain(bad)]).toEqual([bad, null]);
  });
});
