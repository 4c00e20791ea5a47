// SMTP TLS reporting (RFC 8460): `_smtp._tls.<domain>` TXT `v=TLSRPTv1; rua=mailto:...,https://...`.
import type { TlsRptCheck } from '../../../../shared/domain/auth-check';
import { isLookupError, type Lookup } from './dns';
import { Findings, type Found } from './findings';
import { parseTagList, recordsWithVersion } from './tags';

export function parseTlsRpt(record: string): { rua: string[]; errors: string[] } {
  const { tags, order, errors } = parseTagList(record);
  if (order[0] !== 'v' || tags.get('v') !== 'TLSRPTv1') errors.unshift('the record must start with v=TLSRPTv1');
  const rua = (tags.get('rua') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (rua.length === 0) errors.push('rua= (where reports go) is missing');
  for (const u of rua) {
    if (/^mailto:[^@\s]+@[a-z0-9.-]+\.[a-z0-9-]+$/i.test(u) || /^https:\/\/[^\s]+$/i.test(u)) continue;
    errors.push(`rua ${u} is not a mailto: or https: URI`);
  }
  return { rua, errors };
}

export async function checkTlsRpt(lookup: Lookup, domain: string, hasMtaSts: boolean): Promise<Found<TlsRptCheck>> {
  const f = new Findings();
  const name = `_smtp._tls.${domain}`;
  const txt = await lookup.txt(name);
  if (isLookupError(txt)) {
    f.lookup(name, 'TXT', txt);
    return { ...f.base('TLS-RPT could not be read'), rua: [] };
  }
  const records = txt.ok ? recordsWithVersion(txt.values, 'TLSRPTv1') : [];
  f.record(name, 'TXT', records);
  if (records.length === 0) {
    f.none();
    f.info('tls_rpt.none', `No TLS-RPT record at ${name}${hasMtaSts ? ': with MTA-STS published, TLS failures towards your MX go unreported' : ' (optional)'}`);
    return { ...f.base('TLS-RPT not published'), rua: [] };
  }
  if (records.length > 1) {
    f.error('tls_rpt.multiple', `${name} has ${records.length} TLSRPTv1 records: senders ignore them (RFC 8460 §3)`);
    return { ...f.base('Several TLS-RPT records'), rua: [] };
  }
  const r = parseTlsRpt(records[0]!);
  if (r.errors.length > 0) f.error('tls_rpt.syntax', `${name}: ${r.errors.join('; ')}`);
  return { ...f.base(`TLS reports to ${r.rua.join(', ')}`), rua: r.rua };
}
