import { describe, expect, it } from 'vitest';
import { healthScoreOf, type HealthInputs, type PlacementSample } from '../../electron/core/health/score';

const none: HealthInputs = { placements: [], auth: null, blocklists: null, sent: 0, bounced: 0, complained: 0, placementTest: null };
const samples = (n: number, placement: PlacementSample['placement'], over: Partial<PlacementSample> = {}): PlacementSample[] =>
  Array.from({ length: n }, () => ({ ageDays: 0, provider: 'custom', placement, ...over }));
const part = (i: HealthInputs, p: string) => healthScoreOf(i).components.find((c) => c.part === p)!;

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
      auth: { spf: 'pass', dkim: 'pass', dmarc: 'pass', ptr: 'pass' },
      blocklists: { listed: 0, policyListed: 0 },
      sent: 100,
      bounced: 0,
      complained: 0,
      placementTest: { inboxRate: 1, ageDays: 2 },
    });
    expect(all.score).toBe(100);
    expect(all.components.reduce((a, c) => a + c.weight, 0)).toBe(100);
  });

  it('weights the parts: half the warmup mail in spam with perfect everything else', () => {
    const h = healthScoreOf({ ...none, placements: [...samples(5, 'inbox'), ...samples(5, 'spam')], auth: { spf: 'pass', dkim: 'pass', dmarc: 'pass', ptr: 'pass' } });
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

  it('authentication: pass counts whole, warn half (p=none, ?all), anything else nothing', () => {
    expect(part({ ...none, auth: { spf: 'pass', dkim: 'warn', dmarc: 'fail', ptr: 'none' } }, 'authentication')).toMatchObject({ score: 45, detail: 'SPF pass, DKIM warn, DMARC fail, PTR none' });
  });

  it('blocklists: a listing costs 50, a policy listing 10', () => {
    expect(part({ ...none, blocklists: { listed: 1, policyListed: 1 } }, 'blocklists').score).toBe(40);
    expect(part({ ...none, blocklists: { listed: 3, policyListed: 0 } }, 'blocklists').score).toBe(0);
  });

  it('bounces: 5 % bounces or 0.3 % complaints take the part to zero; too few sends say nothing', () => {
    expect(part({ ...none, sent: 100, bounced: 5 }, 'bounces').score).toBe(0);
    expect(part({ ...none, sent: 1000, bounced: 10, complained: 0 }, 'bounces').score).toBe(80);
    expect(part({ ...none, sent: 1000, complained: 3 }, 'bounces').score).toBe(0);
    expect(part({ ...none, sent: 19, bounced: 19 }, 'bounces').score).toBeNull();
  });
});
