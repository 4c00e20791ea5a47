// DNS answers for the checks, read through `deps.dns` only (never node:dns directly), as values
// rather than exceptions: "no record" is an answer a check reasons about, a timeout is not. One
// Lookup lives for one domain check, so a name asked twice (DMARC for BIMI, MX for MTA-STS) is
// asked once, and every query has a deadline so a silent server cannot hang a check.
import type { DnsResolver } from '../resolver';
import type { AuthProblem } from '../../../../shared/domain/auth-check';

export type DnsFailure = 'nxdomain' | 'nodata' | 'timeout' | 'servfail' | 'refused' | 'error';

export type Answer<T> = { ok: true; values: T[] } | { ok: false; failure: DnsFailure; code: string; message: string };

export interface MxAnswer {
  exchange: string;
  priority: number;
}

export interface Lookup {
  /** TXT records, each record's character-strings joined (RFC 7208 §3.3, RFC 6376 §3.6.2.2). */
  txt(name: string): Promise<Answer<string>>;
  a(name: string): Promise<Answer<string>>;
  aaaa(name: string): Promise<Answer<string>>;
  mx(name: string): Promise<Answer<MxAnswer>>;
  ptr(ip: string): Promise<Answer<string>>;
  /** For mailauth's `resolver` option: the configured resolver itself. */
  readonly resolve: DnsResolver['resolve'];
  /** Every question answered so far (or given up on), in the order the answers came: the checks' evidence. */
  readonly answered: AskedName[];
}

export interface AskedName {
  name: string;
  type: string;
  answer: Answer<unknown>;
}

function failureOf(code: string | undefined): DnsFailure {
  switch (code) {
    case 'ENOTFOUND':
      return 'nxdomain';
    case 'ENODATA':
      return 'nodata';
    case 'ETIMEOUT':
    case 'ECONNREFUSED':
      return 'timeout';
    case 'ESERVFAIL':
      return 'servfail';
    case 'EREFUSED':
      return 'refused';
    default:
      return 'error';
  }
}

/** No such record (NXDOMAIN or NODATA): a "void lookup" in SPF's terms. */
export const isVoid = <T>(a: Answer<T>): boolean => !a.ok && (a.failure === 'nxdomain' || a.failure === 'nodata');
/** The lookup failed (timeout, SERVFAIL, refused): nothing can be concluded about the record. */
export const isLookupError = <T>(a: Answer<T>): boolean => !a.ok && !isVoid(a);

/** A coded problem for a failed lookup; codes: dns.timeout, dns.servfail, dns.refused, dns.error. */
export function lookupProblem(name: string, type: string, a: Answer<unknown>): AuthProblem {
  const failure = a.ok ? 'error' : a.failure;
  const what = failure === 'timeout' ? 'timed out' : failure === 'servfail' ? 'failed (SERVFAIL)' : failure === 'refused' ? 'was refused' : 'failed';
  return { code: `dns.${failure}`, severity: 'error', message: `The ${type} lookup of ${name} ${what}: the record could not be checked` };
}

export function createLookup(dns: DnsResolver, opts: { timeoutMs: number }): Lookup {
  const cache = new Map<string, Promise<Answer<unknown>>>();
  const answered: AskedName[] = [];

  function ask<T>(key: string, run: () => Promise<T[]>): Promise<Answer<T>> {
    const hit = cache.get(key);
    if (hit) return hit as Promise<Answer<T>>;
    const p = new Promise<Answer<T>>((resolve) => {
      // The resolver has its own timeout and tries; this deadline is the checks' guarantee.
      const timer = setTimeout(() => resolve({ ok: false, failure: 'timeout', code: 'ETIMEOUT', message: `no answer within ${opts.timeoutMs} ms` }), opts.timeoutMs);
      timer.unref?.();
      run().then(
        (values) => {
          clearTimeout(timer);
          // An answer without records of the type (e.g. only a CNAME) is NODATA.
          resolve(values.length > 0 ? { ok: true, values } : { ok: false, failure: 'nodata', code: 'ENODATA', message: 'no records' });
        },
        (err: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          resolve({ ok: false, failure: failureOf(err?.code), code: err?.code ?? 'EUNKNOWN', message: err?.message ?? String(err) });
        },
      );
    });
    cache.set(key, p as Promise<Answer<unknown>>);
    const [name, type] = key.split(' ') as [string, string];
    void p.then((answer) => answered.push({ name, type, answer }));
    return p;
  }

  return {
    answered,
    resolve: dns.resolve,
    txt: (name) => ask(`${name} TXT`, async () => (await dns.txt(name)).map((chunks) => chunks.join(''))),
    a: (name) => ask(`${name} A`, () => dns.a(name)),
    aaaa: (name) => ask(`${name} AAAA`, () => dns.aaaa(name)),
    mx: (name) => ask(`${name} MX`, () => dns.mx(name)),
    ptr: (ip) => ask(`${ip} PTR`, () => dns.ptr(ip)),
  };
}
