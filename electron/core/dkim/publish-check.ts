// Is a Kiln key's TXT record published? Asked through the checks' resolver (deps.dns) at
// `<selector>._domainkey.<domain>`: only a record carrying the very public key Kiln signs with
// counts. A failed lookup proves nothing either way (unknown); no record is "not yet" (warning);
// another key, a revoked one or several key records would make signatures fail (bad).
import { verdictOf, type Verdict } from '../../../shared/domain/verdict';
import { createLookup, lookupProblem } from '../checks/auth/dns';
import { parseDkimKey } from '../checks/auth/dkim';
import type { DnsResolver } from '../checks/resolver';

export interface PublishCheck {
  /** The record carries Kiln's key: signing may start. */
  published: boolean;
  verdict: Verdict;
}

const short = (s: string) => (s.length > 80 ? `${s.slice(0, 77)}…` : s);

export async function checkPublished(dns: DnsResolver, name: string, publicKey: string, opts: { timeoutMs: number; now: number }): Promise<PublishCheck> {
  const answer = await createLookup(dns, { timeoutMs: opts.timeoutMs }).txt(name);
  const at = new Date(opts.now).toISOString();
  const asked = `TXT ${name}`;
  const no = (state: Verdict['state'], label: string, detail: string, answered: string): PublishCheck => ({
    published: false,
    verdict: verdictOf(state, label, detail, [{ asked, answered, at }]),
  });
  if (!answer.ok) {
    if (answer.failure === 'nxdomain' || answer.failure === 'nodata') {
      return no('warning', 'Not published', `No TXT record at ${name} yet: publish it; Kiln signs once it is seen.`, answer.failure === 'nxdomain' ? 'no such name (NXDOMAIN)' : 'no TXT record (NODATA)');
    }
    return no('unknown', 'Not confirmed', `${lookupProblem(name, 'TXT', answer).message}; Kiln keeps the key pending.`, `${answer.code}: ${answer.message}`);
  }
  const answered = answer.values.map(short).join(' | ');
  // A key record has p=; a v= other than DKIM1 is someone else's TXT at the same name.
  const keys = answer.values.filter((v) => /(^|;)\s*p\s*=/i.test(v) && !/^\s*v\s*=\s*(?!DKIM1)/i.test(v));
  if (keys.length === 0) return no('warning', 'Not published', `${name} has TXT records, but none is a DKIM key: publish the record shown.`, answered);
  if (keys.length > 1) return no('bad', 'Several keys', `${name} has ${keys.length} key records; verifiers may pick either: keep only Kiln's.`, answered);
  const p = parseDkimKey(keys[0]!).publicKey;
  if (p === '') return no('bad', 'Revoked', `${name} publishes a revoked key (empty p=): publish Kiln's key instead.`, answered);
  if (p !== publicKey) return no('bad', 'Another key', `${name} publishes another key than Kiln's: signatures would fail; publish the record shown.`, answered);
  return { published: true, verdict: verdictOf('good', 'Published', `${name} publishes Kiln's key: mail is signed.`, [{ asked, answered, at }]) };
}
