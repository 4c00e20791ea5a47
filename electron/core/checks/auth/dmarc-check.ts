// The DMARC check: the record at _dmarc.<domain> (else at the organisational domain), its policy
// and reporting addresses (external ones must be authorised by the receiving domain), and whether
// the identifiers the domain's mail carries align with it.
import type { DmarcCheck, ReportUri } from '../../../../shared/domain/auth-check';
import { isLookupError, type Lookup } from './dns';
import { Findings, type Found } from './findings';
import { isAligned, orgDomain, parseDmarc, parseReportUri } from './dmarc';
import { recordsWithVersion } from './tags';

/** The identifiers mail from the domain carries; `authenticated` null when not known. */
export interface AlignmentInput {
  spf: { domain: string; authenticated: boolean | null } | null;
  dkim: { domain: string; authenticated: boolean | null }[];
}

const empty = { recordDomain: null, inherited: false, record: null, policy: null, rua: [], ruf: [], alignment: null };

async function dmarcRecords(lookup: Lookup, domain: string) {
  const a = await lookup.txt(`_dmarc.${domain}`);
  return { answer: a, records: a.ok ? recordsWithVersion(a.values, 'DMARC1') : [] };
}

function identifierText(kind: 'SPF' | 'DKIM', from: string, id: { domain: string; aligned: boolean; authenticated: boolean | null }, mode: 'r' | 's'): string {
  const label = kind === 'SPF' ? `SPF (envelope domain ${id.domain})` : `DKIM (d=${id.domain})`;
  if (id.aligned && id.authenticated === false) return `${label} is aligned but does not authenticate`;
  if (id.aligned) return `${label} is aligned`;
  const tag = kind === 'SPF' ? 'aspf' : 'adkim';
  return mode === 's' ? `${label} is not exactly ${from} (${tag}=s)` : `${label} is outside ${orgDomain(from)} (${tag}=r)`;
}

export async function checkDmarc(lookup: Lookup, domain: string, alignment: AlignmentInput | null): Promise<Found<DmarcCheck>> {
  const f = new Findings();
  let recordDomain = domain;
  let found = await dmarcRecords(lookup, domain);
  if (isLookupError(found.answer)) {
    f.lookup(`_dmarc.${domain}`, 'TXT', found.answer);
    return { ...f.base('DMARC could not be read'), ...empty };
  }
  const org = orgDomain(domain);
  if (found.records.length === 0 && org !== domain) {
    const up = await dmarcRecords(lookup, org);
    if (isLookupError(up.answer)) {
      f.lookup(`_dmarc.${org}`, 'TXT', up.answer);
      return { ...f.base('DMARC could not be read'), ...empty };
    }
    if (up.records.length > 0) {
      found = up;
      recordDomain = org;
    }
  }
  const inherited = recordDomain !== domain;
  if (found.records.length === 0) {
    const where = org !== domain ? `_dmarc.${domain} or _dmarc.${org}` : `_dmarc.${domain}`;
    f.fail('dmarc.missing', `No DMARC record at ${where}: receivers apply no policy, and bulk senders without DMARC are rejected by Gmail, Yahoo and Microsoft`);
    return { ...f.base('No DMARC record'), ...empty };
  }
  f.record(`_dmarc.${recordDomain}`, 'TXT', found.records);
  if (found.records.length > 1) {
    f.error('dmarc.multiple', `_dmarc.${recordDomain} has ${found.records.length} DMARC records: receivers ignore them all (RFC 7489 §6.6.3)`);
    return { ...f.base('Several DMARC records'), ...empty, recordDomain, inherited };
  }
  const record = found.records[0]!;
  const d = parseDmarc(record);
  const pol = d.policy;
  if (d.errors.length > 0) f.error('dmarc.syntax', `The DMARC record of ${recordDomain} is invalid: ${d.errors.join('; ')}`);
  for (const n of d.notes) f.info('dmarc.note', n);
  for (const t of d.obsolete) f.info('dmarc.obsolete_tag', `${t}= is RFC 7489 only: RFC 9989 drops it${t === 'pct' ? ' (use t=y to test a policy)' : ''}`);

  // A subdomain without its own record gets the organisational record's sp= (else p=).
  const effective = inherited ? (pol.sp ?? pol.p) : pol.p;
  if (inherited) f.info('dmarc.inherited', `${domain} has no DMARC record of its own: the record of ${recordDomain} applies (${pol.sp ? 'sp' : 'p'}=${effective})`);
  if (effective === 'none') f.warn('dmarc.policy_none', `DMARC policy p=none: monitoring only; receivers do not act on failing mail (and BIMI needs quarantine or reject)`);
  if (pol.pct !== null && pol.pct < 100) f.warn('dmarc.pct', `pct=${pol.pct}: the policy applies to ${pol.pct}% of failing mail only`);
  if (pol.t === 'y') f.warn('dmarc.testing', 't=y (RFC 9989 testing mode): receivers apply a weaker policy than p=');
  if (pol.psd === 'y') f.info('dmarc.psd', `psd=y: ${recordDomain} declares itself a public suffix domain (RFC 9989)`);
  if (pol.np) f.info('dmarc.np', `np=${pol.np}: the policy for non-existent subdomains (RFC 9989)`);

  const reportUris = async (list: string[], tag: 'rua' | 'ruf'): Promise<ReportUri[]> =>
    Promise.all(
      list.map(async (raw) => {
        const { error, ...u } = parseReportUri(raw, recordDomain);
        if (error) f.warn(`dmarc.${tag}_invalid`, `${tag}=${raw}: ${error}`);
        if (!u.external || !u.domain) return u;
        // RFC 7489 §7.1: the report receiver's consent, <policy-domain>._report._dmarc.<its domain>.
        const name = `${recordDomain}._report._dmarc.${u.domain}`;
        const a = await lookup.txt(name);
        if (isLookupError(a)) {
          f.info(`dmarc.${tag}_unverified`, `Could not check that ${u.domain} accepts ${tag} reports for ${recordDomain} (${name})`);
          return u;
        }
        const authorized = a.ok && recordsWithVersion(a.values, 'DMARC1').length > 0;
        if (!authorized) f.warn(`dmarc.${tag}_unauthorized`, `${tag} reports go to ${u.domain}, which does not accept them for ${recordDomain} (no v=DMARC1 at ${name}): receivers will not send them`);
        return { ...u, authorized };
      }),
    );
  const rua = await reportUris(d.rua, 'rua');
  const ruf = await reportUris(d.ruf, 'ruf');
  if (rua.length === 0) f.warn('dmarc.no_rua', 'No rua= address: you get no aggregate reports, so failures go unseen');

  let aligned: DmarcCheck['alignment'] = null;
  if (alignment) {
    const spf = alignment.spf ? { ...alignment.spf, aligned: isAligned(domain, alignment.spf.domain, pol.aspf) } : null;
    const dkim = alignment.dkim.map((k) => ({ ...k, aligned: isAligned(domain, k.domain, pol.adkim) }));
    const ok = [spf, ...dkim].some((i) => i !== null && i.aligned && i.authenticated !== false);
    aligned = { from: domain, spf, dkim, aligned: ok };
    if (!ok && d.errors.length === 0) {
      const parts = [spf ? identifierText('SPF', domain, spf, pol.aspf) : 'no SPF identifier is known', ...dkim.map((k) => identifierText('DKIM', domain, k, pol.adkim))];
      if (dkim.length === 0) parts.push('no DKIM signature domain is known');
      const outcome = effective === 'reject' ? 'receivers will reject its mail' : effective === 'quarantine' ? 'receivers will put its mail in spam' : 'its mail fails DMARC';
      f.fail('dmarc.misaligned', `DMARC p=${effective} and mail from ${domain} is misaligned: ${parts.join('; ')}: ${outcome}`);
    }
  }
  const summary = `DMARC p=${pol.p ?? '?'}${inherited ? ` (inherited from ${recordDomain})` : ''}, adkim=${pol.adkim}, aspf=${pol.aspf}, ${rua.length} rua`;
  return { ...f.base(summary), recordDomain, inherited, record, policy: pol, rua, ruf, alignment: aligned };
}
