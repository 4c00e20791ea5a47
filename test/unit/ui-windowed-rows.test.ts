import { describe, expect, it } from 'vitest';
import { windowOf } from '../../renderer/src/features/mailboxes/useWindowedRows';

describe('windowOf (the Mailboxes table draws only rows near the viewport)', () => {
  it('draws every row of a short table with no spacers', () => {
    expect(windowOf(5, 40, 200, 800)).toEqual({ start: 0, end: 5, before: 0, after: 0 });
  });

  it('draws the first screen plus overscan at the top of a long table', () => {
    const w = windowOf(1000, 40, 150, 800);
    expect(w.start).toBe(0);
    expect(w.end).toBe(20 + 15);
    expect(w.before).toBe(0);
    expect(w.after).toBe((1000 - 35) * 40);
  });

  it('keeps the scroll height true in the middle: spacers plus drawn rows equal the whole table', () => {
    const w = windowOf(1000, 40, -20_000, 800);
    expect(w.start).toBe(500 - 15);
    expect(w.end).toBe(500 + 20 + 15);
    expect(w.before + (w.end - w.start) * 40 + w.after).toBe(1000 * 40);
  });

  it('ends at the last row when scrolled past the end, and handles an empty table', () => {
    const w = windowOf(1000, 40, -100_000, 800);
    expect(w.end).toBe(1000);
    expect(w.after).toBe(0);
    expect(w.start).toBeLessThan(w.end + 1);
    expect(windowOf(0, 40, 0, 800)).toEqual({ start: 0, end: 0, before: 0, after: 0 });
  });
});
