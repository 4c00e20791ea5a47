import { describe, expect, it } from 'vitest';
import { resultVerdict, targetVerdict } from '../../electron/core/checks/blocklists/verdict';
import type { BlocklistResult } from '../../shared/domain/blocklist';

const at = '2026-12-04T09:00:00.000Z';
const row = (zone: string, status: BlocklistResult['status'], over: Partial<BlocklistResult> = {}): Omit<BlocklistResult, 'verdict'> => ({
  zone, label: zone, status, codes: [], error: status === 'error' ? { code: 'TIMEOUT', message: 'no answer within the resolver timeout' } : null,
  query: `2.0.0.192.${zone}`, checkedAt: at, changedAt: at, listedSince: null, ...over,
});
const pbl = { code: '127.0.0.10', meaning: 'PBL', policy: true };
const sbl = { code: '127.0.0.2', meaning: 'SBL', policy: false };

describe('blocklist verdicts', () => {
  it('one answer: listed is bad, a policy listing a warning, NXDOMAIN good, no answer unknown, each with what was asked', () => {
    expect(resultVerdict(row('zen', 'listed', { codes: [sbl, pbl] }))).toMatchObject({ state: 'bad', label: 'Listed' });
    expect(resultVerdict(row('zen', 'listed', { codes: [pbl] }))).toMatchObject({ state: 'warning', label: 'Policy listing' });
    expect(resultVerdict(row('zen', 'clear'))).toMatchObject({ state: 'good', evidence: [{ asked: 'A 2.0.0.192.zen', answered: 'no A record (NXDOMAIN or NODATA): not listed', at }] });
    expect(resultVerdict(row('zen', 'error'))).toMatchObject({
      state: 'unknown',
      label: 'No verdict',
      evidence: [{ asked: 'A 2.0.0.192.zen', answered: 'no verdict: TIMEOUT, no answer within the resolver timeout', at }],
    });
  });

  it('a target is good only when every list answered; a listing is bad whatever the others said', () => {
    expect(targetVerdict([row('a', 'clear'), row('b', 'clear')])).toMatchObject({ state: 'good', label: 'Not listed' });
    expect(targetVerdict([row('a', 'error'), row('b', 'error')])).toMatchObject({ state: 'unknown', label: 'No verdict' });
    expect(targetVerdict([row('a', 'clear'), row('b', 'error'), row('c', 'error')])).toMatchObject({
      state: 'unknown',
      label: '1 of 3 answered',
      detail: 'Not listed on the 1 list that answered; 2 lists gave no answer, so it may be listed there.',
    });
    expect(targetVerdict([row('a', 'listed', { codes: [sbl] }), row('b', 'error')])).toMatchObject({ state: 'bad', label: 'Listed on 1' });
    expect(targetVerdict([row('a', 'listed', { codes: [pbl] }), row('b', 'clear')])).toMatchObject({ state: 'warning', label: 'Policy listing' });
    expect(targetVerdict([])).toMatchObject({ state: 'unknown' });
    expect(targetVerdict([row('a', 'clear'), row('b', 'error')]).evidence).toHaveLength(2);
  });
});
