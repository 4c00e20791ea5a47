import fs from 'node:fs';
import path from 'node:path';
import { gzipSync, strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseReportXml } from '../../electron/core/dmarc/parse';
import { unpackReport, type FileHint } from '../../electron/core/dmarc/unpack';
import { KilnError } from '../../shared/errors';

// Unpacking and parsing DMARC aggregate reports: both schemas into one shape, every container, and
// every kind of hostile or broken input refused with its own code (and the process carries on).

const fixtures = path.resolve(import.meta.dirname, '../fixtures/dmarc');
const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(fixtures, name)));
const read = (data: Uint8Array, hint: FileHint = {}) => parseReportXml(unpackReport(data, hint).xml);

function refusal(fn: () => unknown): KilnError {
  try {
    fn();
  } catch (e) {
    if (e instanceof KilnError) return e;
    throw e;
  }
  throw new Error('expected a KilnError, got none');
}
const codeOf = (fn: () => unknown) => refusal(fn).code;

/** A minimal RFC 7489 report around the given <record> elements. */
const report = (records: string, meta = '<report_id>r-1</report_id>') => `<?xml version="1.0"?>
<feedback>
  <report_metadata><org_name>Example Org</org_name><email>dmarc@example.org</email>${meta}<date_range><begin>1795132800</begin><end>1795219199</end></date_range></report_metadata>
  <policy_published><domain>example.com</domain><p>none</p></policy_published>
  ${records}
</feedback>`;
const row = (ip = '192.0.2.1', count = '1') =>
  `<record><row><source_ip>${ip}</source_ip><count>${count}</count><policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>fail</spf></policy_evaluated></row><identifiers><header_from>example.com</header_from></identifiers><auth_results><dkim><domain>example.com</domain><result>pass</result></dkim></auth_results></record>`;

describe('DMARC report parsing: both schemas, one shape', () => {
  it('normalises an RFC 7489 report: metadata, published policy, rows with several auth results each', () => {
    const r = read(fixture('rfc7489-google.xml'), { filename: 'google.com!example.com!1795132800!1795219199.xml' });
    expect(r).toMatchObject({
      schema: 'rfc7489',
      orgName: 'google.com',
      email: 'noreply-dmarc-support@google.com',
      // Long numeric ids stay text (a number would round the last digits).
      reportId: '13826409184726539815',
      begin: 1795132800,
      end: 1795219199,
      errors: [],
      generator: null,
      policy: { domain: 'example.com', adkim: 'r', aspf: 'r', p: 'quarantine', sp: 'none', np: null, pct: 100, fo: '1', testing: null, discoveryMethod: null },
    });
    expect(r.records).toHaveLength(4);
    expect(r.records[0]).toEqual({
      sourceIp: '192.0.2.10',
      count: 120,
      disposition: 'none',
      dkim: 'pass',
      spf: 'pass',
      dkimAligned: true,
      spfAligned: true,
      dmarcPass: true,
      reasons: [],
      headerFrom: 'example.com',
      envelopeFrom: 'example.com',
      envelopeTo: null,
      authDkim: [
        { domain: 'example.com', selector: 's1', result: 'pass', humanResult: null },
        { domain: 'esp.example', selector: 'k2', result: 'pass', humanResult: null },
      ],
      authSpf: [{ domain: 'example.com', scope: 'mfrom', result: 'pass', humanResult: null }],
    });
    // SPF passed for the ESP's bounce domain, not aligned with the From domain: DKIM carries DMARC.
    expect(r.records[1]).toMatchObject({ sourceIp: '192.0.2.11', count: 30, dkimAligned: true, spfAligned: false, dmarcPass: true });
    expect(r.records[2]).toMatchObject({ sourceIp: '198.51.100.7', disposition: 'quarantine', dmarcPass: false, authSpf: [{ result: 'softfail' }] });
    // IPv6 lower-cased; the five XML entities decoded; a row with no DKIM result has an empty list.
    expect(r.records[3]).toMatchObject({ sourceIp: '2001:db8::25', authDkim: [], dmarcPass: true, reasons: [{ type: 'forwarded', comment: 'list & forwarder' }] });
  });

  it('normalises an RFC 9990 report (dmarc-2.0 namespace: np, testing, discovery_method, generator, no pct)', () => {
    const r = read(fixture('rfc9990-outlook.xml'));
    expect(r).toMatchObject({
      schema: 'rfc9990',
      version: '1.0',
      orgName: 'Enterprise Outlook',
      reportId: 'a1f4c2e8d9b34f0e9c7a5b6d3e2f1a0b',
      errors: ['DNS lookup of _dmarc.example.com took a retry'],
      generator: 'Example Outlook DMARC Reporter 2.1',
      policy: { domain: 'example.com', adkim: 's', aspf: 'r', p: 'reject', sp: 'quarantine', np: 'reject', pct: null, fo: '0', testing: 'n', discoveryMethod: 'treewalk' },
    });
    expect(r.records).toHaveLength(2);
    expect(r.records[0]).toMatchObject({ disposition: 'pass', envelopeTo: 'example.org', envelopeFrom: 'example.com', dmarcPass: true });
    expect(r.records[1]).toMatchObject({
      sourceIp: '203.0.113.99',
      disposition: 'reject',
      dmarcPass: false,
      authDkim: [{ domain: 'example.com', selector: 's1', result: 'fail', humanResult: 'signature did not verify' }],
      authSpf: [{ domain: 'spoof.example', scope: 'mfrom', result: 'fail', humanResult: null }],
    });
  });

  it('reads one record and one auth result as lists of one, and namespace prefixes like plain names', () => {
    const single = read(fixture('rfc7489-single.xml'));
    expect(single.schema).toBe('rfc7489');
    expect(single.records).toEqual([
      expect.objectContaining({ sourceIp: '198.51.100.20', count: 3, envelopeFrom: null, authDkim: [expect.objectContaining({ selector: 'y1' })], authSpf: [expect.objectContaining({ scope: 'helo', result: 'neutral' })] }),
    ]);
    const prefixed = `<dmarc:feedback xmlns:dmarc="urn:ietf:params:xml:ns:dmarc-2.0">${report(row()).split('<feedback>')[1]!.replace('</feedback>', '')}</dmarc:feedback>`
      .replace(/<(\/?)(report_metadata|org_name|email|report_id|date_range|begin|end|policy_published|domain|p|record|row|source_ip|count)>/g, '<$1dmarc:$2>');
    const r = read(strToU8(prefixed));
    expect(r.schema).toBe('rfc9990');
    expect(r.records).toHaveLength(1);
    expect(read(strToU8(report(row() + row('192.0.2.2', '7')))).records.map((x) => x.count)).toEqual([1, 7]);
  });

  it('decodes by byte-order mark or declared encoding (UTF-16, windows-1252)', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(report(row()).replace('Example Org', 'Exämple Örg'), 'utf16le')]);
    expect(read(new Uint8Array(utf16)).orgName).toBe('Exämple Örg');
    const latin = Buffer.from(report(row()).replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="windows-1252"?>').replace('Example Org', 'Soci\u00e9t\u00e9'), 'latin1');
    expect(read(new Uint8Array(latin)).orgName).toBe('Société');
  });
});

describe('DMARC report containers', () => {
  const xml = fixture('rfc7489-google.xml');
  const expected = read(xml);

  it('zip, gzip, .xml.gz and plain XML all read the same report, by magic bytes whatever the name says', () => {
    expect(read(zipSync({ 'google.com!example.com!1795132800!1795219199.xml': xml }), { filename: 'report.zip', contentType: 'application/zip' })).toEqual(expected);
    expect(read(gzipSync(xml), { filename: 'report.xml.gz', contentType: 'application/gzip' })).toEqual(expected);
    expect(read(gzipSync(xml), { contentType: 'application/x-gzip' })).toEqual(expected);
    expect(read(gzipSync(xml), { filename: 'mislabelled.xml', contentType: 'text/xml' })).toEqual(expected);
    expect(read(xml, { contentType: 'text/xml' })).toEqual(expected);
    // A stored (uncompressed) entry next to macOS litter.
    expect(read(zipSync({ '__MACOSX/._r.xml': strToU8('junk'), 'r.xml': [xml, { level: 0 }] }))).toEqual(expected);
  });

  it('refuses odd archives clearly: several XML files, no XML file, encryption, ZIP that is not one', () => {
    const two = refusal(() => unpackReport(zipSync({ 'a.xml': xml, 'b.xml': xml })));
    expect(two.code).toBe('DMARC_REPORT_FORMAT');
    expect(two.message).toContain('2 XML files');
    const none = refusal(() => unpackReport(zipSync({ 'a.txt': strToU8('hi'), 'b.pdf': strToU8('%PDF') })));
    expect(none).toMatchObject({ code: 'DMARC_REPORT_FORMAT', details: { notAReport: true } });
    // Set "encrypted" (general purpose flag bit 0) in the central directory entry.
    const enc = zipSync({ 'r.xml': xml });
    const cd = Buffer.from(enc).indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    enc[cd + 8]! |= 1;
    expect(refusal(() => unpackReport(enc)).message).toContain('encrypted');
    expect(codeOf(() => unpackReport(strToU8('PK\u0003\u0004 not really a zip at all, only the magic')))).toBe('DMARC_REPORT_CORRUPT');
  });

  it('refuses damaged data: a truncated gzip, a gzip without its trailer, a zip whose entry fails its CRC', () => {
    const gz = gzipSync(xml);
    expect(codeOf(() => unpackReport(gz.subarray(0, gz.length - 200)))).toBe('DMARC_REPORT_CORRUPT');
    expect(codeOf(() => unpackReport(gz.subarray(0, gz.length - 4)))).toBe('DMARC_REPORT_CORRUPT');
    expect(codeOf(() => unpackReport(gz.subarray(0, 12)))).toBe('DMARC_REPORT_CORRUPT');
    const zip = zipSync({ 'r.xml': [xml, { level: 0 }] });
    const at = Buffer.from(zip).indexOf(Buffer.from('<report_id>'));
    zip[at + 1] = 'X'.charCodeAt(0);
    expect(refusal(() => unpackReport(zip)).message).toContain('checksum');
    expect(codeOf(() => unpackReport(zipSync({ 'r.xml': xml }).subarray(0, 100)))).toBe('DMARC_REPORT_CORRUPT');
  });

  it('refuses what is not a report file: plain text, a PDF, gzip in name only, an empty file', () => {
    expect(codeOf(() => unpackReport(strToU8('Hello, this is not a DMARC report.'), { filename: 'notes.txt' }))).toBe('DMARC_REPORT_FORMAT');
    expect(codeOf(() => unpackReport(strToU8('%PDF-1.7 ...'), { contentType: 'application/pdf' }))).toBe('DMARC_REPORT_FORMAT');
    expect(codeOf(() => unpackReport(strToU8('plain text'), { filename: 'report.xml.gz' }))).toBe('DMARC_REPORT_CORRUPT');
    expect(codeOf(() => unpackReport(new Uint8Array(0)))).toBe('DMARC_REPORT_FORMAT');
  });
});

describe('hostile reports', () => {
  it('refuses XXE before parsing: the DOCTYPE is enough, no file is ever read', () => {
    const e = refusal(() => read(fixture('malicious-xxe.xml')));
    expect(e.code).toBe('DMARC_REPORT_UNSAFE');
    expect(e.message).not.toContain('root:');
    // Gzipped and zipped it is the same refusal.
    expect(codeOf(() => read(gzipSync(fixture('malicious-xxe.xml'))))).toBe('DMARC_REPORT_UNSAFE');
    expect(codeOf(() => read(strToU8('<!doctype feedback SYSTEM "http://127.0.0.1:9/evil.dtd"><feedback/>')))).toBe('DMARC_REPORT_UNSAFE');
  });

  it('refuses entity expansion (billion laughs) without expanding anything', () => {
    expect(codeOf(() => read(fixture('malicious-billion-laughs.xml')))).toBe('DMARC_REPORT_UNSAFE');
    expect(codeOf(() => read(zipSync({ 'lol.xml': fixture('malicious-billion-laughs.xml') })))).toBe('DMARC_REPORT_UNSAFE');
    // An undeclared entity reference is left as text: nothing is looked up.
    expect(read(strToU8(report(row()).replace('Example Org', '&xxe; Org'))).orgName).toBe('&xxe; Org');
  });

  it('stops a zip bomb and a gzip bomb (highly compressible zeros) at the ratio limit', () => {
    const zeros = new Uint8Array(64 * 1024 * 1024);
    const zbomb = zipSync({ 'report.xml': zeros }, { level: 9 });
    const ze = refusal(() => unpackReport(zbomb, { filename: 'report.zip' }));
    expect(ze.code).toBe('DMARC_REPORT_BOMB');
    expect(ze.details).toMatchObject({ compressedBytes: expect.any(Number), maxRatio: 100 });
    // Stopped early: a few MiB past the cap at most, never the 64 MiB the archive claims.
    expect((ze.details as { stoppedAt: number }).stoppedAt).toBeLessThan(16 * 1024 * 1024);
    expect(codeOf(() => unpackReport(gzipSync(zeros, { level: 9 })))).toBe('DMARC_REPORT_BOMB');
  });

  it('refuses 50 MB of XML: plain at once, gzipped once 20 MiB have come out', () => {
    const rows: string[] = [];
    for (let i = 0; rows.length * 520 < 50 * 1024 * 1024; i++) rows.push(row(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, String((i * 7919) % 100_000)).padEnd(520, ' '));
    const big = strToU8(report(rows.join('\n')));
    expect(big.length).toBeGreaterThan(50 * 1024 * 1024);
    const plain = refusal(() => unpackReport(big, { filename: 'big.xml' }));
    expect(plain.code).toBe('DMARC_REPORT_TOO_LARGE');
    // Realistic rows compress far less than 100:1: the size cap, not the ratio, stops this one.
    const gz = gzipSync(big, { level: 1 });
    expect(gz.length * 100).toBeGreaterThan(20 * 1024 * 1024);
    expect(codeOf(() => unpackReport(gz, { filename: 'big.xml.gz' }))).toBe('DMARC_REPORT_TOO_LARGE');
  });

  it('refuses XML that is not well-formed, and other documents as "not a report"', () => {
    expect(codeOf(() => read(strToU8('<feedback><report_metadata></feedback>')))).toBe('DMARC_REPORT_MALFORMED');
    expect(codeOf(() => read(strToU8(report(row()).replace('</feedback>', ''))))).toBe('DMARC_REPORT_MALFORMED');
    const other = refusal(() => read(strToU8('<?xml version="1.0"?><invoice><total>12</total></invoice>')));
    expect(other).toMatchObject({ code: 'DMARC_REPORT_INVALID', details: { field: 'feedback', notAReport: true } });
  });

  it('still parses good reports after all of that', () => {
    expect(read(gzipSync(fixture('rfc9990-outlook.xml'))).records).toHaveLength(2);
  });
});

describe('bad fields name the field', () => {
  const field = (xml: string) => {
    const e = refusal(() => read(strToU8(xml)));
    expect(e.code).toBe('DMARC_REPORT_INVALID');
    return { field: (e.details as { field: string }).field, message: e.message };
  };

  it('an invalid source IP', () => {
    const r = field(report(row() + row('192.0.2.300')));
    expect(r.field).toBe('feedback.record[1].row.source_ip');
    expect(r.message).toContain('must be an IPv4 or IPv6 address (got "192.0.2.300")');
  });

  it('a negative or non-numeric count', () => {
    expect(field(report(row('192.0.2.1', '-5'))).field).toBe('feedback.record[0].row.count');
    expect(field(report(row('192.0.2.1', 'many'))).message).toContain('must be a non-negative integer');
  });

  it('missing required fields: report id, source IP, policy, header_from', () => {
    const noId = field(report(row(), ''));
    expect(noId).toEqual({ field: 'feedback.report_metadata.report_id', message: 'Invalid DMARC report: feedback.report_metadata.report_id is missing' });
    expect(field(report(row().replace('<source_ip>192.0.2.1</source_ip>', ''))).field).toBe('feedback.record[0].row.source_ip');
    expect(field(report(row()).replace('<p>none</p>', '')).field).toBe('feedback.policy_published.p');
    expect(field(report(row().replace('<header_from>example.com</header_from>', ''))).field).toBe('feedback.record[0].identifiers.header_from');
  });

  it('values outside the schema: disposition, p, a range that ends before it begins', () => {
    expect(field(report(row().replace('<disposition>none</disposition>', '<disposition>discard</disposition>'))).message).toContain('must be one of none, pass, quarantine, reject');
    expect(field(report(row()).replace('<p>none</p>', '<p>block</p>')).field).toBe('feedback.policy_published.p');
    expect(field(report(row()).replace('<end>1795219199</end>', '<end>1795000000</end>')).field).toBe('feedback.report_metadata.date_range.end');
  });
});
