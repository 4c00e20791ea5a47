// Blocklist answers as verdicts. One list's answer: listed is bad (a policy listing such as the
// PBL only a warning), NXDOMAIN is good, no answer is unknown. A target on all its lists: bad or
// warning as soon as one list lists it; good only when every list answered "not listed"; else
// unknown, saying how many lists answered, since a list that did not answer may list it.
import type { BlocklistResult } from '../../../../shared/domain/blocklist';
import { verdictOf, type Evidence, type Verdict } from '../../../../shared/domain/verdict';

type ResultFacts = Omit<BlocklistResult, 'verdict'>;

const policyOnly = (r: Pick<ResultFacts, 'codes'>): boolean => r.codes.length > 0 && r.codes.every((c) => c.policy);

function evidenceOf(r: ResultFacts): Evidence {
  const answered =
    r.status === 'listed'
      ? r.codes.map((c) => `${c.code} (${c.meaning})`).join(', ')
      : r.status === 'clear'
        ? 'no A record (NXDOMAIN or NODATA): not listed'
        : `no verdict: ${r.error?.code ?? 'DNS_ERROR'}, ${r.error?.message ?? 'no answer'}`;
  return { asked: `A ${r.query}`, answered, at: r.checkedAt };
}

export function resultVerdict(r: ResultFacts): Verdict {
  const ev = [evidenceOf(r)];
  if (r.status === 'clear') return verdictOf('good', 'Not listed', `${r.label} answered that it does not list this.`, ev);
  if (r.status === 'error') return verdictOf('unknown', 'No verdict', `${r.label} gave no usable answer: ${r.error?.message ?? 'no answer'}.`, ev);
  if (policyOnly(r)) return verdictOf('warning', 'Policy listing', `${r.label} lists it by policy (the address should not send direct-to-MX), not for its reputation.`, ev);
  return verdictOf('bad', 'Listed', `${r.label} lists it: ${r.codes.map((c) => c.meaning).join('; ')}.`, ev);
}

const lists = (n: number) => `${n} list${n === 1 ? '' : 's'}`;

export function targetVerdict(results: readonly ResultFacts[]): Verdict {
  const ev = results.map(evidenceOf);
  if (results.length === 0) return verdictOf('unknown', 'Not scanned', 'No list has been asked about it yet.', ev);
  const listed = results.filter((r) => r.status === 'listed');
  const answered = results.filter((r) => r.status !== 'error').length;
  const silent = results.length - answered;
  const gap = silent > 0 ? ` ${lists(silent)} gave no answer, so it may be listed there.` : '';
  const bad = listed.filter((r) => !policyOnly(r));
  if (bad.length > 0) return verdictOf('bad', `Listed on ${bad.length}`, `Listed on ${bad.map((r) => r.label).join(', ')}.${gap}`, ev);
  if (listed.length > 0) return verdictOf('warning', 'Policy listing', `Only policy listings (${listed.map((r) => r.label).join(', ')}): the address should not send direct-to-MX.${gap}`, ev);
  if (silent === 0) return verdictOf('good', 'Not listed', `All ${lists(results.length)} answered: not listed on any.`, ev);
  if (answered === 0) return verdictOf('unknown', 'No verdict', `None of the ${lists(results.length)} answered: whether it is listed is unknown.`, ev);
  return verdictOf('unknown', `${answered} of ${results.length} answered`, `Not listed on the ${lists(answered)} that answered;${gap}`, ev);
}
