// MTA-STS (RFC 8461): the `_mta-sts.<domain>` TXT record (v=STSv1; id=...) and, when a policy
// fetcher is given, the policy file (version, mode, mx, max_age) and whether it covers the MX
// hosts. Kiln does not fetch https://mta-sts.<domain>/.well-known/mta-sts.txt itself yet: the
// fetcher is injected (tests hand one in; nothing here opens a connection).
import type { MtaStsCheck } from '../../../../shared/domain/auth-check';
import { isLookupError, type Lookup } from './dns';
import { Findings, type Found } from './findings';
import { parseTagList, recordsWithVersion } from './tags';

/** Returns the policy text of a domain, or throws. */
export type MtaStsPolicyFetcher = (domain: string) => Promise<string>;

export interface MtaStsPolicy {
  version: string | null;
  mode: string | null;
  mx: string[];
  maxAge: number | null;
  errors: string[];
}

export function parseMtaStsPolicy(text: string): MtaStsPolicy {
  const p: MtaStsPolicy = { version: null, mode: null, mx: [], maxAge: null, errors: [] };
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon < 0) {
      p.errors.push(`"${line.trim()}" is not key: value`);
      continue;
    }
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'version') p.version = value;
    else if (key === 'mode') p.mode = value.toLowerCase();
    else if (key === 'mx') p.mx.push(value.toLowerCase().replace(/\.$/, ''));
    else if (key === 'max_age') p.maxAge = /^\d{1,10}$/.test(value) ? Number(value) : null;
  }
  if (p.version !== 'STSv1') p.errors.push('version must be STSv1');
  if (!p.mode || !['enforce', 'testing', 'none'].includes(p.mode)) p.errors.push('mode must be enforce, testing or none');
  if (p.maxAge === null || p.maxAge > 31_557_600) p.errors.push('max_age must be a number of seconds up to 31557600');
  if (p.mode !== 'none' && p.mx.length === 0) p.errors.push('no mx: lines');
  return p;
}

/** `mail.example.com` matches `mail.example.com` and `*.example.com` (one label only). */
export function mxMatches(pattern: string, host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (pattern.startsWith('*.')) {
    const rest = pattern.slice(2);
    const dot = h.indexOf('.');
    return dot > 0 && h.slice(dot + 1) === rest;
  }
  return pattern === h;
}

export async function checkMtaSts(lookup: Lookup, domain: string, mxHosts: string[], fetchPolicy?: MtaStsPolicyFetcher): Promise<Found<MtaStsCheck>> {
  const f = new Findings();
  const name = `_mta-sts.${domain}`;
  const txt = await lookup.txt(name);
  if (isLookupError(txt)) {
    f.lookup(name, 'TXT', txt);
    return { ...f.base('MTA-STS could not be read'), id: null, policy: null };
  }
  const records = txt.ok ? recordsWithVersion(txt.values, 'STSv1') : [];
  f.record(name, 'TXT', records);
  if (records.length === 0) {
    f.none();
    f.info('mta_sts.none', `No MTA-STS record at ${name} (optional: it makes senders require TLS to your MX)`);
    return { ...f.base('MTA-STS not published'), id: null, policy: null };
  }
  if (records.length > 1) {
    f.error('mta_sts.multiple', `${name} has ${records.length} STSv1 records: senders ignore MTA-STS (RFC 8461 §3.1)`);
    return { ...f.base('Several MTA-STS records'), id: null, policy: null };
  }
  const { tags, errors } = parseTagList(records[0]!);
  const id = tags.get('id') ?? null;
  if (errors.length > 0) f.error('mta_sts.syntax', `${name}: ${errors.join('; ')}`);
  if (!id || !/^[a-zA-Z0-9]{1,32}$/.test(id)) f.error('mta_sts.id', `${name}: id= must be 1 to 32 letters or digits`);
  if (!fetchPolicy) {
    f.info('mta_sts.policy_not_fetched', `The policy at https://mta-sts.${domain}/.well-known/mta-sts.txt was not fetched`);
    return { ...f.base(`MTA-STS id=${id ?? '?'}`), id, policy: null };
  }
  let text: string;
  try {
    text = await fetchPolicy(domain);
  } catch (e) {
    f.error('mta_sts.policy_unavailable', `The MTA-STS policy of ${domain} could not be fetched (${(e as Error).message}): senders treat MTA-STS as absent`);
    return { ...f.base('MTA-STS policy unavailable'), id, policy: null };
  }
  const p = parseMtaStsPolicy(text);
  if (p.errors.length > 0) f.error('mta_sts.policy_invalid', `The MTA-STS policy of ${domain} is invalid: ${p.errors.join('; ')}`);
  if (p.mode === 'testing') f.warn('mta_sts.testing', 'MTA-STS mode: testing: failures are reported, not enforced');
  if (p.mode === 'none') f.warn('mta_sts.mode_none', 'MTA-STS mode: none: the policy is withdrawn');
  // An invalid policy is ignored by senders: whether it would cover the MX hosts does not matter.
  const uncovered = p.errors.length > 0 ? [] : mxHosts.filter((h) => !p.mx.some((pat) => mxMatches(pat, h)));
  if (uncovered.length > 0 && p.mode === 'enforce') f.fail('mta_sts.mx_not_covered', `MX ${uncovered.join(', ')} not matched by the MTA-STS policy (mx: ${p.mx.join(', ')}): senders enforcing it will not deliver there`);
  else if (uncovered.length > 0 && p.mode === 'testing') f.warn('mta_sts.mx_not_covered', `MX ${uncovered.join(', ')} not matched by the MTA-STS policy`);
  return { ...f.base(`MTA-STS ${p.mode ?? '?'} (id=${id ?? '?'})`), id, policy: { mode: p.mode ?? '', mx: p.mx, maxAge: p.maxAge } };
}
