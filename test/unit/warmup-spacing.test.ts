import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom, spreadTimes } from '../../shared/warmup';

const MIN = 60_000;
const gapsOf = (ts: number[]) => ts.slice(1).map((t, i) => t - ts[i]!);
const cv = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) / mean;
};

describe('spreadTimes', () => {
  it('returns n sorted integer times inside [start, end), minGap apart when that fits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }),
        fc.integer({ min: 1, max: 24 * 60 * MIN }),
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 0, max: 30 * MIN }),
        fc.integer(),
        (start, width, n, minGap, seed) => {
          const end = start + width;
          const ts = spreadTimes(start, end, n, minGap, seededRandom(seed));
          expect(ts).toEqual(spreadTimes(start, end, n, minGap, seededRandom(seed)));
          expect(ts).toHaveLength(n);
          for (const t of ts) {
            expect(Number.isInteger(t)).toBe(true);
            expect(t).toBeGreaterThanOrEqual(start);
            expect(t).toBeLessThan(end);
          }
          const gaps = gapsOf(ts);
          expect(gaps.every((g) => g >= 0)).toBe(true);
          // Feasible: every gap keeps the floor. Too tight: the floor shrinks to the window's share per send.
          const floor = n * minGap <= width ? minGap : Math.floor(width / n) - 1;
          expect(gaps.every((g) => g >= floor)).toBe(true);
        },
      ),
    );
  });

  it('handles n = 0, n = 1 and empty windows', () => {
    const r = seededRandom(1);
    expect(spreadTimes(0, 1000, 0, 10, r)).toEqual([]);
    expect(spreadTimes(1000, 1000, 3, 10, r)).toEqual([]);
    expect(spreadTimes(1000, 500, 3, 10, r)).toEqual([]);
    const [one, ...rest] = spreadTimes(1000, 2000, 1, 10_000, r);
    expect(rest).toEqual([]);
    expect(one).toBeGreaterThanOrEqual(1000);
    expect(one).toBeLessThan(2000);
    expect(spreadTimes(0, 1, 1, 0, r)).toEqual([0]);
  });

  it('is not periodic: the gaps vary (CV > 0.3 for 40 sends)', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const ts = spreadTimes(0, 10 * 60 * MIN, 40, 2 * MIN, seededRandom(seed));
        expect(cv(gapsOf(ts))).toBeGreaterThan(0.3);
      }),
    );
  });

  it('depends on the random source', () => {
    expect(spreadTimes(0, 60 * MIN, 10, MIN, seededRandom('a'))).not.toEqual(spreadTimes(0, 60 * MIN, 10, MIN, seededRandom('b')));
  });
});
