// DKIM (RFC 6376 §3.6.1, RFC 8463): the public key of each selector at
// <selector>._domainkey.<domain>, its tags, and whether the key itself is usable; and the
// selectors a domain signs with, read from DKIM-Signature headers of mail Kiln received.
import { createPublicKey } from 'node:crypto';
import type { AuthProblem, DkimCheck, DkimSelectorResult } from '../../../../shared/domain/auth-check';
import { isLookupError, lookupProblem, type Lookup } from './dns';
import { Findings, type Found } from './findings';
import { fieldsNamed } from './headers';
import { parseTagList, problem } from './tags';

export interface DkimKeyRecord {
  tags: Map<string, string>;
  version: string | null;
  keyType: string;
  hashes: string[] | null;
  /** The key, base64 with whitespace removed ('' = revoked). */
  publicKey: string | null;
  services: string[] | null;
  flags: string[];
  errors: string[];
}

export function parseDkimKey(record: string): DkimKeyRecord {
  const { tags, order, errors } = parseTagList(record);
  const version = tags.get('v') ?? null;
  if (version !== null && version !== 'DKIM1') errors.push(`v=${version}: the version must be DKIM1`);
  if (version !== null && order[0] !== 'v') errors.push('v= must be the first tag');
  const list = (t: string) => (tags.has(t) ? tags.get(t)!.split(':').map((s) => s.trim().toLowerCase()).filter(Boolean) : null);
  const p = tags.has('p') ? tags.get('p')!.replace(/\s+/g, '') : null;
  if (p === null) errors.push('p= (the public key) is missing');
  return { tags, version, keyType: (tags.get('k') ?? 'rsa').toLowerCase(), hashes: list('h'), publicKey: p, services: list('s'), flags: list('t') ?? [], errors };
}

// An Ed25519 DKIM key is the raw 32-byte key (RFC 8463 §4.2); Node wants it wrapped in SPKI.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface KeyCheck {
  ok: boolean;
  type: string | null;
  bits: number | null;
  /** SPKI (the standard) or PKCS#1 (accepted by some verifiers only). */
  format: 'spki' | 'pkcs1' | 'raw' | null;
  error: string | null;
}

/** Load the key with node:crypto: is it a real key of the declared type, and how long. */
export function validateDkimKey(keyType: string, base64: string): KeyCheck {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return { ok: false, type: null, bits: null, format: null, error: 'p= is not base64' };
  const der = Buffer.from(base64, 'base64');
  if (keyType === 'ed25519') {
    if (der.length !== 32) return { ok: false, type: 'ed25519', bits: null, format: null, error: `an Ed25519 key is 32 bytes, p= has ${der.length}` };
    try {
      createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, der]), format: 'der', type: 'spki' });
      return { ok: true, type: 'ed25519', bits: 256, format: 'raw', error: null };
    } catch (e) {
      return { ok: false, type: 'ed25519', bits: null, format: null, error: `not a valid Ed25519 key (${(e as Error).message})` };
    }
  }
  if (keyType !== 'rsa') return { ok: false, type: keyType, bits: null, format: null, error: `unknown key type k=${keyType}` };
  for (const format of ['spki', 'pkcs1'] as const) {
    try {
      const key = createPublicKey({ key: der, format: 'der', type: format });
      if (key.asymmetricKeyType !== 'rsa') return { ok: false, type: key.asymmetricKeyType ?? null, bits: null, format, error: `k=rsa but the key is ${key.asymmetricKeyType}` };
      return { ok: true, type: 'rsa', bits: key.asymmetricKeyDetails?.modulusLength ?? null, format, error: null };
    } catch {
      // try the next encoding
    }
  }
  return { ok: false, type: 'rsa', bits: null, format: null, error: 'p= is not a valid RSA public key' };
}

/** Judge one key record: problems with codes, and the status they give. */
export function judgeDkimRecord(name: string, record: string): Omit<DkimSelectorResult, 'selector' | 'source' | 'name'> {
  const f = new Findings();
  const k = parseDkimKey(record);
  let bits: number | null = null;
  let keyType: string | null = k.keyType;
  const revoked = k.publicKey === '';
  if (k.errors.length > 0) f.error('dkim.syntax', `${name}: ${k.errors.join('; ')}`);
  if (revoked) f.fail('dkim.revoked', `${name}: the key is revoked (empty p=): signatures with this selector fail`);
  else if (k.publicKey) {
    const v = validateDkimKey(k.keyType, k.publicKey);
    bits = v.bits;
    keyType = v.type ?? keyType;
    if (!v.ok) f.error('dkim.key_invalid', `${name}: ${v.error}`);
    else if (v.type === 'rsa' && bits !== null && bits < 1024) f.error('dkim.key_too_short', `${name}: a ${bits}-bit RSA key is too short (receivers reject keys under 1024 bits)`);
    else if (v.type === 'rsa' && bits !== null && bits < 2048) f.warn('dkim.key_weak', `${name}: a ${bits}-bit RSA key is weak; use 2048 bits`);
    if (v.ok && v.format === 'pkcs1') f.warn('dkim.key_pkcs1', `${name}: the key is published as PKCS#1 RSAPublicKey, not SubjectPublicKeyInfo; some receivers cannot read it`);
  }
  if (k.hashes && !k.hashes.includes('sha256')) f.warn('dkim.sha1_only', `${name}: h=${k.hashes.join(':')} does not allow sha256`);
  if (k.services && !k.services.includes('*') && !k.services.includes('email')) f.error('dkim.service', `${name}: s=${k.services.join(':')} does not allow email`);
  const testing = k.flags.includes('y');
  if (testing) f.warn('dkim.testing', `${name}: t=y (testing): receivers may treat failures as if unsigned`);
  return { status: f.status, record, keyType, bits, testing, revoked, problems: f.problems };
}

export interface SelectorInput {
  selector: string;
  source: DkimSelectorResult['source'];
  /** The key that must be published (base64 SPKI): Kiln's own signing key for the domain. */
  expectedKey?: string | null;
}

export async function checkSelector(lookup: Lookup, domain: string, s: SelectorInput): Promise<DkimSelectorResult> {
  const name = `${s.selector}._domainkey.${domain}`;
  const head = { selector: s.selector, source: s.source, name };
  const empty = { record: null, keyType: null, bits: null, testing: false, revoked: false };
  const txt = await lookup.txt(name);
  if (isLookupError(txt)) return { ...head, ...empty, status: 'error', problems: [lookupProblem(name, 'TXT', txt)] };
  const values = txt.ok ? txt.values : [];
  // A key record has p=; a v= other than DKIM1 is someone else's TXT at the same name.
  const keys = values.filter((v) => /(^|;)\s*p\s*=/i.test(v) && !/^\s*v\s*=\s*(?!DKIM1)/i.test(v));
  if (keys.length === 0 && s.source === 'pending') {
    // Kiln does not sign with this key yet: nothing fails, but there is a record to publish.
    const p = problem('dkim.pending', 'warning', `Kiln's new key is not published at ${name} yet: Kiln signs with it once the record is seen (Settings, DKIM)`);
    return { ...head, ...empty, status: 'warn', problems: [p] };
  }
  if (keys.length === 0) {
    const p: AuthProblem = problem('dkim.key_missing', 'error', `No DKIM key at ${name}: mail signed with s=${s.selector} fails DKIM`);
    return { ...head, ...empty, status: 'fail', problems: [p] };
  }
  if (keys.length > 1) {
    return { ...head, ...empty, record: keys.join(' | '), status: 'error', problems: [problem('dkim.multiple', 'error', `${name} has ${keys.length} key records; verifiers may pick either`)] };
  }
  const judged = judgeDkimRecord(name, keys[0]!);
  const published = parseDkimKey(keys[0]!).publicKey;
  if (s.expectedKey && published && published !== s.expectedKey) {
    // Kiln signs with another key than the one published: every signature fails verification.
    const p = problem('dkim.key_mismatch', 'error', `${name} publishes another key than the one Kiln signs ${domain}'s mail with: signatures fail; publish the key from GET /dkim/keys`);
    return { ...head, ...judged, status: 'fail', problems: [...judged.problems, p] };
  }
  return { ...head, ...judged };
}

export async function checkDkim(lookup: Lookup, domain: string, selectors: SelectorInput[]): Promise<Found<DkimCheck>> {
  const f = new Findings();
  if (selectors.length === 0) {
    f.none();
    f.info('dkim.no_selector', `No DKIM selector known for ${domain}: name one, or let Kiln see mail from it (DKIM-Signature s=)`);
    return { ...f.base('No DKIM selector known'), selectors: [] };
  }
  const results = await Promise.all(selectors.map((s) => checkSelector(lookup, domain, s)));
  for (const r of results) {
    if (r.record) f.record(r.name, 'TXT', [r.record]);
    for (const p of r.problems) {
      if (p.severity === 'info') f.info(p.code, p.message);
      else if (p.severity === 'warning') f.warn(p.code, p.message);
      else if (r.status === 'fail') f.fail(p.code, p.message);
      else f.error(p.code, p.message);
    }
  }
  const good = results.filter((r) => (r.status === 'pass' || r.status === 'warn') && r.record !== null).map((r) => r.selector);
  const summary = good.length > 0 ? `DKIM key${good.length > 1 ? 's' : ''} valid for ${good.join(', ')}` : 'No usable DKIM key';
  return { ...f.base(summary), selectors: results };
}

/** `d=` / `s=` pairs of the DKIM-Signature fields in a raw header block. */
export function selectorsFromHeaders(rawHeaders: string): { domain: string; selector: string }[] {
  const out: { domain: string; selector: string }[] = [];
  for (const f of fieldsNamed(rawHeaders, 'dkim-signature')) {
    const { tags } = parseTagList(f.value);
    const domain = tags.get('d')?.toLowerCase().replace(/\.$/, '');
    const selector = tags.get('s')?.toLowerCase();
    if (!domain || !selector || !/^[a-z0-9._-]{1,63}$/.test(selector) || !/^[a-z0-9.-]+$/.test(domain)) continue;
    if (!out.some((o) => o.domain === domain && o.selector === selector)) out.push({ domain, selector });
  }
  return out;
}
