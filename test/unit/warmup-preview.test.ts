import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, applyRampPatch, dayTarget, defaultRamp, isSendingDay, previewRamp, rampPatchSchema, rampSchema, zonedTime, type LoopOutlook } from '../../shared/warmup';

// The ramp preview draws what the planner will plan: whole days (0 on days off), through the closed
// loop's factor while a throttle lasts; and a daily max below the start volume is refused per field.

const issues = (res: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  res.error?.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) ?? [];

describe('ramp validation: daily max against the start volume', () => {
  it('refuses a max below the start, on the dailyMax field, in words', () => {
    const res = rampSchema.safeParse({ startVolume: 5, dailyMax: 3 });
    expect(res.success).toBe(false);
    expect(issues(res)).toEqual([{ path: 'dailyMax', message: 'Daily max (3) must be at least the start volume (5)' }]);
    // A patch carrying both fields is refused the same way; one carrying only one is judged after the merge.
    expect(issues(rampPatchSchema.safeParse({ startVolume: 10, dailyMax: 4 }))).toEqual([{ path: 'dailyMax', message: 'Daily max (4) must be at least the start volume (10)' }]);
    expect(rampPatchSchema.safeParse({ dailyMax: 3 }).success).toBe(true);
    expect(() => applyRampPatch(defaultRamp(), { dailyMax: 3 })).toThrow('Daily max (3) must be at least the start volume (5)');
  });

  it('accepts a max equal to or above the start', () => {
    expect(rampSchema.safeParse({ startVolume: 5, dailyMax: 5 }).success).toBe(true);
    expect(rampSchema.safeParse({ startVolume: 0, dailyMax: 1 }).success).toBe(true);
    expect(applyRampPatch(defaultRamp(), { startVolume: 30 }).startVolume).toBe(30);
  });
});

describe('ramp preview: whole days through the closed loop', () => {
  const ramp = rampSchema.parse({ startVolume: 10, dailyIncrease: 2, dailyMax: 40, variancePct: 0, days: [1, 2, 3, 4, 5] });

  it('weekend days of a weekdays-only ramp are 0, and the weekdays on either side keep climbing', () => {
    // Fri 2026-01-09 .. Tue 2026-01-13
    const rows = previewRamp(ramp, { from: '2026-01-09', days: 5 });
    expect(rows.map((r) => r.volume)).toEqual([10, 0, 0, 12, 14]);
    expect(rows.map((r) => r.sendingDay)).toEqual([0, null, null, 1, 2]);
  });

  it('applies a throttle (× 0.75, ramp frozen) to the days that start before it ends, then ramps on', () => {
    // Throttled until Wednesday 2026-01-14 10:00 UTC: Mon, Tue and Wed are planned under it.
    const loop: LoopOutlook = { state: 'throttled', factor: 0.75, frozen: true, until: Date.UTC(2026, 0, 14, 10) };
    const rows = previewRamp(ramp, { from: '2026-01-12', days: 5, progress: 4, loop });
    expect(rows.map((r) => [r.date, r.sendingDay, r.rampVolume, r.volume, r.loop])).toEqual([
      ['2026-01-12', 4, 18, 14, 'throttled'], // round(18 × 0.75) = 14 (13.5 rounds up)
      ['2026-01-13', 4, 18, 14, 'throttled'],
      ['2026-01-14', 4, 18, 14, 'throttled'],
      ['2026-01-15', 4, 18, 18, null],
      ['2026-01-16', 5, 20, 20, null],
    ]);
  });

  it('a holding loop keeps the volume but freezes the position', () => {
    const loop: LoopOutlook = { state: 'holding', factor: 1, frozen: true, until: Date.UTC(2026, 0, 13, 12) };
    const rows = previewRamp(ramp, { from: '2026-01-12', days: 3, progress: 0, loop });
    expect(rows.map((r) => [r.sendingDay, r.volume, r.loop])).toEqual([
      [0, 10, 'holding'],
      [0, 10, 'holding'],
      [0, 10, null],
    ]);
  });

  it('every row is the planner\'s own dayTarget for that day, position and loop', () => {
    const dateArb = fc.integer({ min: 0, max: 3000 }).map((n) => addDays('2020-01-01', n));
    fc.assert(
      fc.property(
        dateArb,
        fc.integer({ min: 0, max: 60 }),
        fc.option(fc.record({ factor: fc.double({ min: 0.1, max: 1, noNaN: true }), days: fc.integer({ min: 0, max: 20 }) }), { nil: undefined }),
        fc.string(),
        (from, progress, throttle, seed) => {
          const loop: LoopOutlook | null = throttle ? { state: 'throttled', factor: throttle.factor, frozen: true, until: zonedTime(addDays(from, throttle.days), '12:00', 'UTC') } : null;
          const rows = previewRamp(ramp, { from, days: 30, progress, seed, loop });
          let position = progress;
          for (const row of rows) {
            if (!isSendingDay(ramp, row.date)) {
              expect(row).toMatchObject({ sendingDay: null, volume: 0 });
              continue;
            }
            const under = loop !== null && row.date <= addDays(from, throttle!.days);
            const t = dayTarget(ramp, position, row.date, under ? loop : { factor: 1, frozen: false }, seed);
            expect(row).toMatchObject({ sendingDay: position, volume: t.target, rampVolume: t.volume, loop: under ? 'throttled' : null });
            if (t.advances) position++;
          }
        },
      ),
    );
  });
});
