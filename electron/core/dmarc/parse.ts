// Aggregate report XML → ParsedDmarcReport. The XML is never trusted: a DOCTYPE or ENTITY declaration
// is refused before any parser sees it (no external entities, no entity expansion), the parser runs
// with entity processing off, and the resulting tree is validated field by field with zod.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { KilnError } from '../../../shared/errors';
import type { ParsedDmarcReport } from '../../../shared/domain/dmarc';
import { feedbackSchema, type RawFeedback } from './xml-schema';

export const RFC9990_NAMESPACE = 'urn:ietf:params:xml:ns:dmarc-2.0';

/** Elements that may repeat: always arrays, so one record and many records read the same. */
const ARRAYS = new Set([
  'feedback.record',
  'feedback.report_metadata.error',
  'feedback.record.row.policy_evaluated.reason',
  'feedback.record.auth_results.dkim',
  'feedback.record.auth_results.spf',
]);

const REPEATABLE = new Set([...ARRAYS].map((p) => p.slice(p.lastIndexOf('.') + 1)));

const parser = new XMLParser({
  ignoreAttributes: true,
  // `<dmarc:record>` and `<record>` read the same; the namespace itself is read from the root tag.
  removeNSPrefix: true,
  // Report ids and counts stay text: "12345678901234567890" must not become a rounded number.
  parseTagValue: false,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
  maxNestedTags: 32,
  // A path object instead of a string per tag (about a third faster on big reports); only the few
  // repeatable names pay for building their path.
  jPath: false,
  isArray: (name, path) => REPEATABLE.has(name) && ARRAYS.has(String(path)),
  // With entity processing off, only the five predefined entities and character references are decoded here.
  tagValueProcessor: (_name, value) => decodeEntities(value),
});

export function parseReportXml(bytes: Uint8Array): ParsedDmarcReport {
  const xml = decodeXml(bytes);
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) {
    throw new KilnError('DMARC_REPORT_UNSAFE', 'The report declares a DOCTYPE or entities (external entities, entity expansion): refused without parsing');
  }
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new KilnError('DMARC_REPORT_MALFORMED', `The report is not well-formed XML: ${msg} (line ${line}, column ${col})`, { line, column: col });
  }
  let tree: unknown;
  try {
    tree = parser.parse(xml);
  } catch (e) {
    throw new KilnError('DMARC_REPORT_MALFORMED', `The report is not well-formed XML: ${(e as Error).message}`);
  }
  const root = (tree as { feedback?: unknown } | null)?.feedback;
  if (root === undefined) {
    // Some other XML document: not a broken report, so mail carrying it is left alone.
    throw new KilnError('DMARC_REPORT_INVALID', 'Not a DMARC aggregate report: the root element is not <feedback>', { field: 'feedback', notAReport: true });
  }
  const parsed = feedbackSchema.safeParse(root, { reportInput: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(fieldName(issue.path), issue.message, issue.input);
  }
  return normalise(parsed.data, rootNamespace(xml));
}

function normalise(f: RawFeedback, namespace: string | null): ParsedDmarcReport {
  const m = f.report_metadata;
  const p = f.policy_published;
  const { begin, end } = m.date_range;
  if (end < begin) throw invalid('report_metadata.date_range.end', 'is before date_range.begin', String(end));
  // RFC 9990 reports carry its namespace; those that leave it out still show its new fields.
  const newFields = p.np !== undefined || p.testing !== undefined || p.discovery_method !== undefined || m.generator !== undefined;
  const schema = namespace === RFC9990_NAMESPACE || (namespace === null && newFields && p.pct === undefined) ? 'rfc9990' : 'rfc7489';
  return {
    schema,
    version: f.version ?? null,
    orgName: m.org_name,
    email: m.email ?? null,
    extraContactInfo: m.extra_contact_info ?? null,
    reportId: m.report_id,
    begin,
    end,
    errors: (m.error ?? []).filter((e): e is string => !!e),
    generator: m.generator ?? null,
    policy: {
      domain: p.domain.toLowerCase(),
      adkim: p.adkim ?? null,
      aspf: p.aspf ?? null,
      p: p.p,
      sp: p.sp ?? null,
      np: p.np ?? null,
      pct: p.pct ?? null,
      fo: p.fo ?? null,
      testing: p.testing ?? null,
      discoveryMethod: p.discovery_method ?? null,
    },
    records: (f.record ?? []).map((r) => {
      const pe = r.row.policy_evaluated;
      const dkimAligned = pe.dkim === 'pass';
      const spfAligned = pe.spf === 'pass';
      return {
        sourceIp: r.row.source_ip,
        count: r.row.count,
        disposition: pe.disposition,
        dkim: pe.dkim,
        spf: pe.spf,
        dkimAligned,
        spfAligned,
        dmarcPass: dkimAligned || spfAligned,
        reasons: (pe.reason ?? []).map((x) => ({ type: x.type, comment: x.comment ?? null })),
        headerFrom: r.identifiers.header_from.toLowerCase(),
        envelopeFrom: r.identifiers.envelope_from?.toLowerCase() ?? null,
        envelopeTo: r.identifiers.envelope_to?.toLowerCase() ?? null,
        authDkim: (r.auth_results?.dkim ?? []).flatMap((d) => (d ? [{ domain: d.domain?.toLowerCase() ?? null, selector: d.selector ?? null, result: d.result, humanResult: d.human_result ?? null }] : [])),
        authSpf: (r.auth_results?.spf ?? []).flatMap((s) => (s ? [{ domain: s.domain?.toLowerCase() ?? null, scope: s.scope?.toLowerCase() ?? null, result: s.result, humanResult: s.human_result ?? null }] : [])),
      };
    }),
  };
}

/** `record[2].row.source_ip` from zod's path. */
function fieldName(path: PropertyKey[]): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : `${out ? '.' : ''}${String(k)}`;
  return out || 'feedback';
}

function invalid(field: string, problem: string, input?: unknown): KilnError {
  const shown = typeof input === 'string' ? ` (got ${JSON.stringify(input.length > 80 ? `${input.slice(0, 80)}…` : input)})` : '';
  const name = field === 'feedback' ? field : `feedback.${field}`;
  return new KilnError('DMARC_REPORT_INVALID', `Invalid DMARC report: ${name} ${problem}${shown}`, { field: name });
}

/** The namespace the root <feedback> element declares for itself, if any. */
function rootNamespace(xml: string): string | null {
  const root = /<(?:([A-Za-z_][\w.-]*):)?feedback\b([^>]*)>/.exec(xml.slice(0, 65_536));
  if (!root) return null;
  const attr = root[1] ? `xmlns:${root[1]}` : 'xmlns';
  const m = new RegExp(`\\s${attr.replace('.', '\\.')}\\s*=\\s*["']([^"']*)["']`).exec(root[2]!);
  return m?.[1]?.trim() ?? null;
}

/** Bytes → text: a byte-order mark first, then the XML declaration's encoding, else UTF-8. */
export function decodeXml(bytes: Uint8Array): string {
  let label = 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) label = 'utf-16le';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) label = 'utf-16be';
  else if (bytes[0] === 0x3c && bytes[1] === 0x00) label = 'utf-16le';
  else if (bytes[0] === 0x00 && bytes[1] === 0x3c) label = 'utf-16be';
  else if (!(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)) {
    const head = Buffer.from(bytes.subarray(0, 256)).toString('latin1');
    const declared = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']/.exec(head)?.[1];
    if (declared) label = declared;
  }
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(label);
  } catch {
    decoder = new TextDecoder('utf-8'); // an unknown label: most such reports are UTF-8 anyway
  }
  // TextDecoder drops a leading byte-order mark itself.
  return decoder.decode(bytes);
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g, (whole, e: string) => {
    if (e[0] !== '#') return NAMED[e]!;
    const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}
