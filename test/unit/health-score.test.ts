import { describe, expect, it } from 'vitest';
import { healthScoreOf, type AuthResult, type HealthInputs, type PlacementSample } from '../../electron/core/health/score';

const r = (status: AuthResult['status'], state: AuthResult['state']): AuthResult => ({ status, state });
const allPass = { spf: r('pass', 'good'), dkim: r('pass', 'good'), dmarc: r('pass', 'good'), ptr: r('pass', 'good') };
const none: HealthInputs = { placements: [], auth: null, blocklists: null, sent: 0, bounced: 0, complained: 0, placementTest: null };
const samples = (n: number, placement: PlacementSample['placement'], over: Partial<PlacementSample> = {}): PlacementSample[] =>
  Array.from({ length: n }, () => ({ ageDays: 0, provider: 'custom', placement, ...over }));
const part = (i: HealthInputs, p: string) => healthScoreOf(i).components.find((c) => c.part === p)!;
/** A scan's answers about the mailbox: `asked` queries, all answered unless said. */
const scan = (o: Partial<NonNullable<HealthInputs['blocklists']>> = {}): HealthInputs['blocklists'] => ({
  listed: 0, policyListed: 0, asked: 8, answered: o.asked ?? 8, checkedAt: Date.UTC(2026, 11, 4, 9), errors: [], ...o,
});

describe('health score', () => {
  it('is null with nothing measured, and every part says why it is empty', () => {
    const h = healthScoreOf(none);
    expect(h.score).toBeNull();
    expect(h.components.map((c) => [c.part, c.score])).toEqual([
      ['placement', null],
      ['authentication', null],
      ['blocklists', null],
      ['bounces', null],
      ['placementTest', null],
    ]);
    expect(h.components.every((c) => c.detail.length > 0)).toBe(true);
  });

  it('is 100 when everything measured is perfect, and leaves unmeasured parts out of the total', () => {
    expect(healthScoreOf({ ...none, placements: samples(10, 'inbox') }).score).toBe(100);
    const all = healthScoreOf({
      placements: samples(10, 'inbox'),
      auth: allPass,
      blocklists: scan(),
      sent: 100,
      bounced: 0,
      complained: 0,
      placementTest: { inboxRate: 1, ageDays: 2 },
    });
    expect(all.score).toBe(100);
    expect(all.components.reduce((a, c) => a + c.weight, 0)).toBe(100);
  });

  it('weights the parts: half the warmup mail in spam with perfect everything else', () => {
    const h = healthScoreOf({ ...none, placements: [...samples(5, 'inbox'), ...samples(5, 'spam')], auth: allPass });
    // placement 50 × 45 + authentication 100 × 20, over 65.
    expect(h.score).toBe(Math.round((50 * 45 + 100 * 20) / 65));
  });

  it('counts recent days and Gmail/Microsoft more, and a promotions tab as half', () => {
    const oldSpamNewInbox = part({ ...none, placements: [...samples(5, 'spam', { ageDays: 10 }), ...samples(5, 'inbox', { ageDays: 0 })] }, 'placement');
    const oldInboxNewSpam = part({ ...none, placements: [...samples(5, 'inbox', { ageDays: 10 }), ...samples(5, 'spam', { ageDays: 0 })] }, 'placement');
    expect(oldSpamNewInbox.score!).toBeGreaterThan(80);
    expect(oldInboxNewSpam.score!).toBeLessThan(20);
    const gmailSpam = part({ ...none, placements: [...samples(5, 'spam', { provider: 'gmail' }), ...samples(5, 'inbox', { provider: 'custom' })] }, 'placement');
    expect(gmailSpam.score).toBe(Math.round((5 * 1) / (5 * 2 + 5 * 1) * 100));
    expect(part({ ...none, placements: samples(6, 'other') }, 'placement').score).toBe(50);
    expect(part({ ...none, placements: samples(4, 'inbox') }, 'placement').score).toBeNull();
  });

  it('authentication: pass counts whole, warn half (p=none, ?all), a failure nothing', () => {
    const auth = { spf: r('pass', 'good'), dkim: r('warn', 'warning'), dmarc: r('fail', 'bad'), ptr: r('pass', 'good') };
    expect(part({ ...none, auth }, 'authentication')).toMatchObject({ score: 55, detail: 'SPF pass, DKIM warn, DMARC fail, PTR pass' });
  });

  it('authentication: a check without an answer (lookup timed out, no sending IP) is left out, never scored as a failure or a pass', () => {
    const auth = { spf: r('pass', 'good'), dkim: r('error', 'unknown'), dmarc: r('error', 'unknown'), ptr: r('none', 'unknown') };
    expect(part({ ...none, auth }, 'authentication')).toMatchObject({ score: 100, verdict: { state: 'good' }, detail: expect.stringContaining('DKIM, DMARC, PTR not counted') });
    const nothing = { spf: r('error', 'unknown'), dkim: r('error', 'unknown'), dmarc: r('error', 'unknown'), ptr: r('none', 'unknown') };
    expect(part({ ...none, auth: nothing }, 'authentication')).toMatchObject({ score: null, verdict: { state: 'unknown' } });
    expect(healthScoreOf({ ...none, auth: nothing }).score).toBeNull();
  });

  it('blocklists: a listing costs 50, a policy listing 10', () => {
    expect(part({ ...none, blocklists: scan({ listed: 1, policyListed: 1 }) }, 'blocklists').score).toBe(40);
    expect(part({ ...none, blocklists: scan({ listed: 3 }) }, 'blocklists').score).toBe(0);
    expect(part({ ...none, blocklists: scan() }, 'blocklists')).toMatchObject({ score: 100, detail: 'Not listed: every list answered all 8 queries', verdict: { state: 'good' } });
  });

  it('blocklists: no answer is no verdict, left out of the score (not 100 "Not listed")', () => {
    const silent = { ...none, blocklists: scan({ answered: 0, errors: ['TIMEOUT'] }) };
    const h = healthScoreOf(silent);
    expect(h.score).toBeNull();
    expect(part(silent, 'blocklists')).toMatchObject({
      score: null,
      detail: 'No list answered any of the 8 queries (TIMEOUT): whether it is listed is unknown',
      verdict: { state: 'unknown', evidence: [{ asked: '8 blocklist queries about the domain and the sending IPs', answered: '0 answered, 0 listed (TIMEOUT)', at: '2026-12-04T09:00:00.000Z' }] },
    });
    // With placements measured, the unanswered part weighs nothing: the score is the placements'.
    expect(healthScoreOf({ ...silent, placements: samples(10, 'spam') }).score).toBe(0);
  });

  it('blocklists: some lists answered says how many; clean answers alone are no clean bill, a listing is', () => {
    const partial = part({ ...none, blocklists: scan({ answered: 5, errors: ['UNVERIFIED'] }) }, 'blocklists');
    expect(partial).toMatchObject({ score: null, detail: 'Not listed where lists answered (5 of 8 queries); 3 of 8 queries got no answer (UNVERIFIED): left out until every list answers' });
    expect(partial.verdict.state).toBe('unknown');
    const listed = part({ ...none, blocklists: scan({ answered: 5, listed: 1, errors: ['TIMEOUT'] }) }, 'blocklists');
    expect(listed).toMatchObject({ score: 50, detail: '1 listing; 3 of 8 queries got no answer (TIMEOUT)', verdict: { state: 'bad' } });
    expect(part({ ...none, blocklists: scan({ asked: 0 }) }, 'blocklists')).toMatchObject({ score: null, verdict: { state: 'unknown' } });
  });

  it('every part carries a verdict: unknown without a score, else good ≥ 80, warning ≥ 60, bad below', () => {
    expect(healthScoreOf(none).components.map((c) => c.verdict.state)).toEqual(['unknown', 'unknown', 'unknown', 'unknown', 'unknown']);
    const at = (inboxRate: number) => part({ ...none, placementTest: { inboxRate, ageDays: 1 } }, 'placementTest').verdict;
    expect(at(0.8)).toMatchObject({ state: 'good', label: 'Good' });
    expect(at(0.79).state).toBe('warning');
    expect(at(0.6)).toMatchObject({ state: 'warning', label: 'Fair' });
    expect(at(0.59)).toMatchObject({ state: 'bad', label: 'Poor' });
    expect(at(0.5).detail).toBe('50 % inbox, yesterday');
  });

  it('bounces: 5 % bounces or 0.3 % complaints take the part to zero; too few sends say nothing', () => {
    expect(part({ ...none, sent: 100, bounced: 5 }, 'bounces').score).toBe(0);
    expect(part({ ...none, sent: 1000, bounced: 10, complained: 0 }, 'bounces').score).toBe(80);
    expect(part({ ...none, sent: 1000, complained: 3 }, 'bounces').score).toBe(0);
    expect(part({ ...none, sent: 19, bounced: 19 }, 'bounces').score).toBeNull();
  });
});
