// The SPF check: the walked tree (spf-tree.ts) turned into a status with coded problems, and,
// when a sending IP is known, mailauth's verdict for that IP through the same configured resolver.
import { spf as mailauthSpf } from 'mailauth/lib/spf/index.js';
import type { SpfCheck } from '../../../../shared/domain/auth-check';
import type { Lookup } from './dns';
import { Findings, type Found } from './findings';
import { SPF_LOOKUP_LIMIT, SPF_VOID_LIMIT, walkSpf } from './spf-tree';

async function evaluate(lookup: Lookup, domain: string, ip: string, timeoutMs: number): Promise<NonNullable<SpfCheck['evaluation']>> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('SPF evaluation timed out'), { code: 'ETIMEOUT' })), timeoutMs);
    timer.unref?.();
  });
  try {
    // mta is only used in the comment mailauth writes; never let it read os.hostname() into reports.
    const r = await Promise.race([mailauthSpf({ sender: `postmaster@${domain}`, ip, helo: domain, mta: 'kiln', resolver: lookup.resolve as never }), deadline]);
    const lookups = (r as { lookups?: { count?: number } }).lookups?.count ?? null;
    return { ip, result: r.status.result, comment: r.status.comment ?? null, lookups };
  } catch (e) {
    return { ip, result: 'temperror', comment: (e as Error).message, lookups: null };
  } finally {
    clearTimeout(timer);
  }
}

export async function checkSpf(lookup: Lookup, domain: string, ip: string | null, opts: { timeoutMs: number }): Promise<Found<SpfCheck>> {
  const f = new Findings();
  const w = await walkSpf(lookup, domain);
  f.record(domain, 'TXT', w.rootRecords);
  if (w.missing) f.fail('spf.missing', `${domain} publishes no SPF record: receivers cannot tell which servers may send for it`);
  for (const x of w.faults) {
    if (x.severity === 'error') f.error(x.code, x.message);
    else if (x.severity === 'warning') f.warn(x.code, x.message);
    else f.info(x.code, x.message);
  }
  const root = w.nodes[0];
  if (w.record && root && !root.error && !root.terms.some((t) => t.name === 'all' || t.name === 'redirect')) {
    f.warn('spf.no_all', `The SPF record of ${domain} ends without an all mechanism: other servers get a neutral result (add -all or ~all)`);
  }
  if (w.complete && w.lookups >= SPF_LOOKUP_LIMIT - 1 && w.lookups <= SPF_LOOKUP_LIMIT) {
    f.info('spf.near_limit', `${w.lookups} of ${SPF_LOOKUP_LIMIT} DNS lookups used: one more include will break SPF`);
  }

  let evaluation: SpfCheck['evaluation'] = null;
  if (ip && w.record) {
    evaluation = await evaluate(lookup, domain, ip, opts.timeoutMs);
    const r = evaluation.result;
    if (r === 'fail' || r === 'softfail') f.fail('spf.ip_not_permitted', `The SPF record of ${domain} does not permit ${ip} (${r}): mail sent from it fails SPF`);
    else if (r === 'neutral' || r === 'none') f.warn('spf.ip_neutral', `The SPF record of ${domain} says nothing definite about ${ip} (${r})`);
    else if (r === 'temperror') f.error('spf.ip_temperror', `Evaluating ${ip} against the SPF of ${domain} failed: ${evaluation.comment ?? 'temperror'}`);
    else if (r === 'permerror') f.error('spf.ip_permerror', `Evaluating ${ip} against the SPF of ${domain} gives permerror: ${evaluation.comment ?? ''}`.trim());
  }

  const counts = `${w.lookups}/${SPF_LOOKUP_LIMIT} DNS lookups, ${w.voidLookups}/${SPF_VOID_LIMIT} void`;
  const summary = w.record ? `SPF published (${counts})${evaluation ? `; ${evaluation.ip}: ${evaluation.result}` : ''}` : `No SPF record at ${domain}`;
  return {
    ...f.base(summary),
    record: w.record,
    lookups: w.lookups,
    voidLookups: w.voidLookups,
    limits: { lookups: SPF_LOOKUP_LIMIT, voidLookups: SPF_VOID_LIMIT },
    complete: w.complete,
    tree: w.nodes,
    evaluation,
  };
}
