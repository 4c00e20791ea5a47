import { describe, expect, it } from 'vitest';
import { Limiter } from '../../electron/core/warmup/limiter';

const MIN = 60_000;

describe('send limiter (sliding windows)', () => {
  it('allows up to max per window, then names the time the oldest hit leaves it', () => {
    const l = new Limiter();
    const limits = [{ windowMs: MIN, max: 2 }];
    expect(l.nextAllowed('k', limits, 0)).toBe(0);
    l.record('k', 0);
    l.record('k', 10_000);
    expect(l.nextAllowed('k', limits, 20_000)).toBe(MIN);
    expect(l.nextAllowed('k', limits, MIN + 1)).toBe(MIN + 1);
  });

  it('applies the strictest of several windows, per key', () => {
    const l = new Limiter();
    const limits = [
      { windowMs: MIN, max: 10 },
      { windowMs: 60 * MIN, max: 3 },
    ];
    for (const t of [0, MIN, 2 * MIN]) l.record('a', t);
    expect(l.nextAllowed('a', limits, 3 * MIN)).toBe(60 * MIN);
    expect(l.nextAllowed('b', limits, 3 * MIN)).toBe(3 * MIN);
  });

  it('keeps hits recorded out of order sorted and forgets those past its horizon', () => {
    const l = new Limiter(10 * MIN);
    l.record('k', 5 * MIN);
    l.record('k', 1 * MIN);
    expect(l.nextAllowed('k', [{ windowMs: 10 * MIN, max: 1 }], 6 * MIN)).toBe(15 * MIN);
    expect(l.nextAllowed('k', [{ windowMs: 10 * MIN, max: 1 }], 30 * MIN)).toBe(30 * MIN);
  });
});
