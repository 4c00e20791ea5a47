import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  baseVolume,
  countSendingDays,
  dayVolume,
  defaultRamp,
  fromDayNumber,
  hashSeed,
  isoWeekday,
  isSendingDay,
  isValidTimeZone,
  localDate,
  localTime,
  previewRamp,
  rampPatchSchema,
  rampPresets,
  rampSchema,
  seededRandom,
  windowOf,
  zonedTime,
  type Curve,
  type Ramp,
} from '../../shared/warmup';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

// 2000-01-01 .. 2099-12-31 as day numbers.
const dateArb = fc.integer({ min: 10_957, max: 47_481 }).map(fromDayNumber);
const curveArb: fc.Arbitrary<Curve> = fc.oneof(
  fc.constant({ kind: 'linear' as const }),
  fc.record({
    kind: fc.constant('waypoints' as const),
    points: fc.array(fc.record({ day: fc.integer({ min: 0, max: 3650 }), volume: fc.integer({ min: 0, max: 1000 }) }), { minLength: 1, maxLength: 10 }),
  }),
  fc
    .tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }))
    .map(([a, b]) => ({ kind: 'band' as const, min: Math.min(a, b), max: Math.max(a, b) })),
);
const rampArb = (curve: fc.Arbitrary<Curve> = fc.constant({ kind: 'linear' })): fc.Arbitrary<Ramp> =>
  fc
    .record({
      startVolume: fc.integer({ min: 0, max: 1000 }),
      dailyIncrease: fc.integer({ min: 0, max: 200 }),
      dailyMax: fc.integer({ min: 1, max: 1000 }),
      variancePct: fc.integer({ min: 0, max: 50 }),
      days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
      curve,
    })
    // A max below the start is refused by the schema; such pairs become max = start.
    .map((r) => rampSchema.parse({ ...r, dailyMax: Math.max(r.dailyMax, r.startVolume) }));
const dayArb = fc.integer({ min: 0, max: 2000 });

describe('random', () => {
  it('hashSeed is FNV-1a over the parts joined with NUL', () => {
    expect(hashSeed('')).toBe(0x811c9dc5);
    expect(hashSeed('a')).toBe(0xe40c292c);
    expect(hashSeed('foobar')).toBe(0xbf9cf968);
    expect(hashSeed('a', 'b')).toBe(hashSeed('a\u0000b'));
    expect(hashSeed('a', 'bc')).not.toBe(hashSeed('ab', 'c'));
  });

  it('seededRandom is deterministic and in [0, 1)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.string()), (seed) => {
        const a = seededRandom(seed);
        const b = seededRandom(seed);
        for (let i = 0; i < 20; i++) {
          const x = a();
          expect(x).toBe(b());
          expect(x >= 0 && x < 1).toBe(true);
        }
      }),
    );
  });
});

describe('calendar', () => {
  it('does pure date math', () => {
    expect(isoWeekday('2026-01-05')).toBe(1); // a Monday
    expect(isoWeekday('2026-01-11')).toBe(7);
    expect(isoWeekday('1969-12-31')).toBe(3);
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });

  it('addDays agrees with Date and isoWeekday cycles', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: -1000, max: 1000 }), (d, n) => {
        expect(addDays(d, n)).toBe(new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10));
        expect(isoWeekday(addDays(d, 7 * Math.trunc(n / 7)))).toBe(isoWeekday(d));
        expect(isoWeekday(d)).toBe(new Date(`${d}T00:00:00Z`).getUTCDay() || 7);
      }),
    );
  });

  it('localDate / zonedTime round-trip for any instant (the second of two repeated hours maps back to the first)', () => {
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney'];
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2025-01-01'), max: Date.parse('2028-01-01') }), fc.constantFrom(...zones), (ms, tz) => {
        const d = localDate(ms, tz);
        const hhmm = localTime(ms, tz);
        const t = zonedTime(d, hhmm, tz);
        expect(localDate(t, tz)).toBe(d);
        expect(localTime(t, tz)).toBe(hhmm);
        expect([0, HOUR]).toContain(Math.floor(ms / 60_000) * 60_000 - t);
      }),
    );
  });

  const changes = [
    // zone, day, time skipped in spring / repeated in autumn, instants
    { tz: 'Europe/Berlin', spring: '2026-03-29', gap: '02:30', gapAt: '2026-03-29T01:00:00.000Z', autumn: '2026-10-25', dup: '02:30', dupAt: '2026-10-25T00:30:00.000Z' },
    { tz: 'America/New_York', spring: '2026-03-08', gap: '02:30', gapAt: '2026-03-08T07:00:00.000Z', autumn: '2026-11-01', dup: '01:30', dupAt: '2026-11-01T05:30:00.000Z' },
  ];

  it.each(changes)('handles the DST changes in $tz', ({ tz, spring, gap, gapAt, autumn, dup, dupAt }) => {
    // A skipped time opens when the clocks resume; a repeated one is its first occurrence.
    expect(iso(zonedTime(spring, gap, tz))).toBe(gapAt);
    expect(localTime(zonedTime(spring, gap, tz), tz)).toBe('03:00');
    expect(iso(zonedTime(autumn, dup, tz))).toBe(dupAt);

    for (const d of [spring, autumn]) {
      for (let m = 0; m < 24 * 60; m += 15) {
        const hhmm = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        const t = zonedTime(d, hhmm, tz);
        expect(localDate(t, tz)).toBe(d);
        const inGap = d === spring && hhmm >= '02:00' && hhmm < '03:00';
        expect(localTime(t, tz)).toBe(inGap ? '03:00' : hhmm);
      }
    }

    // The default 08:00–18:00 window does not cross the change: still 10 h.
    const r = defaultRamp(tz);
    for (const d of [spring, autumn]) {
      const w = windowOf(r, d);
      expect(w.start).toBeLessThan(w.end);
      expect(w.end - w.start).toBe(10 * HOUR);
    }
    // 01:00–05:00 crosses it: an hour short in spring, an hour long in autumn.
    const night = { ...r, window: { start: '01:00', end: '05:00' } };
    expect(windowOf(night, spring).end - windowOf(night, spring).start).toBe(3 * HOUR);
    expect(windowOf(night, autumn).end - windowOf(night, autumn).start).toBe(5 * HOUR);
    // Ordinary days are not affected.
    expect(windowOf(night, addDays(spring, 1)).end - windowOf(night, addDays(spring, 1)).start).toBe(4 * HOUR);
  });

  it('places the window in the mailbox zone', () => {
    const w = windowOf(defaultRamp('America/New_York'), '2026-01-15');
    expect(iso(w.start)).toBe('2026-01-15T13:00:00.000Z');
    expect(iso(w.end)).toBe('2026-01-15T23:00:00.000Z');
    expect(iso(windowOf(defaultRamp('Asia/Kolkata'), '2026-07-01').start)).toBe('2026-07-01T02:30:00.000Z');
  });
});

describe('ramp: schema', () => {
  it('fills the defaults', () => {
    expect(rampSchema.parse({})).toEqual({
      startVolume: 5,
      dailyIncrease: 1,
      dailyMax: 30,
      curve: { kind: 'linear' },
      variancePct: 10,
      days: [1, 2, 3, 4, 5],
      window: { start: '08:00', end: '18:00' },
      timeZone: 'UTC',
      replyPct: 30,
      openPct: 90,
      importantPct: 20,
      rescuePct: 100,
    });
    expect(defaultRamp('Europe/Berlin').timeZone).toBe('Europe/Berlin');
    expect(() => defaultRamp('Mars/Olympus')).toThrow();
  });

  it('parses the presets', () => {
    for (const p of Object.values(rampPresets)) expect(rampSchema.parse(p)).toEqual(p);
    const triple = (r: Ramp) => [r.startVolume, r.dailyIncrease, r.dailyMax];
    expect(triple(rampPresets.gentle)).toEqual([2, 2, 20]);
    expect(triple(rampPresets.standard)).toEqual([5, 1, 30]);
    expect(triple(rampPresets.aggressive)).toEqual([7, 2, 40]);
    expect(rampPresets.aggressive.days).toEqual([1, 2, 3, 4, 5]);
  });

  const messages = (input: unknown) => {
    const res = rampSchema.safeParse(input);
    expect(res.success).toBe(false);
    return res.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('rejects bad input with readable messages', () => {
    expect(messages({ window: { start: '18:00', end: '08:00' } })).toEqual(['window.end: the send window must start before it ends (same day)']);
    expect(messages({ window: { start: '09:00', end: '09:00' } })).toHaveLength(1);
    expect(messages({ window: { start: '8:00', end: '18:00' } })[0]).toMatch(/^window\.start: must be a time as HH:MM/);
    expect(messages({ timeZone: 'Mars/Olympus' })).toEqual(['timeZone: unknown time zone "Mars/Olympus": use an IANA name such as Europe/Berlin']);
    expect(messages({ curve: { kind: 'band', min: 20, max: 10 } })).toEqual(['curve.max: the band minimum must not exceed its maximum']);
    expect(messages({ days: [] })).toEqual(['days: choose at least one sending weekday']);
    expect(messages({ days: [1, 1] })).toEqual(['days: each weekday may appear only once']);
    expect(messages({ days: [0] })).toHaveLength(1);
    expect(messages({ curve: { kind: 'waypoints', points: [] } })).toEqual(['curve.points: a waypoint curve needs at least one point']);
    expect(messages({ dailyMax: 0 })).toHaveLength(1);
  });

  it('the patch schema applies no defaults', () => {
    expect(rampPatchSchema.parse({})).toEqual({});
    expect(rampPatchSchema.parse({ dailyMax: 50 })).toEqual({ dailyMax: 50 });
    expect(rampPatchSchema.safeParse({ timeZone: 'Mars/Olympus' }).success).toBe(false);
  });
});

describe('ramp: volumes', () => {
  it('linear is min(start + increase × day, max), monotone and capped', () => {
    fc.assert(
      fc.property(rampArb(), dayArb, (r, n) => {
        const v = baseVolume(r, n);
        expect(v).toBe(Math.min(r.startVolume + r.dailyIncrease * n, r.dailyMax));
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(r.dailyMax);
        expect(baseVolume(r, n + 1)).toBeGreaterThanOrEqual(v);
      }),
    );
    expect([0, 1, 2, 25, 26, 100].map((n) => baseVolume(defaultRamp(), n))).toEqual([5, 6, 7, 30, 30, 30]);
  });

  it('waypoints interpolate between points and stay flat outside them', () => {
    const r = rampSchema.parse({
      dailyMax: 100,
      // Out of order on purpose.
      curve: { kind: 'waypoints', points: [{ day: 30, volume: 10 }, { day: 5, volume: 5 }, { day: 15, volume: 25 }, { day: 20, volume: 25 }] },
    });
    const at = (n: number) => baseVolume(r, n);
    expect([0, 5, 10, 15, 17, 20, 25, 30, 400].map(at)).toEqual([5, 5, 15, 25, 25, 25, 18, 10, 10]);
    expect(baseVolume({ ...r, dailyMax: 12 }, 15)).toBe(12);

    fc.assert(
      fc.property(rampArb(curveArb.filter((c) => c.kind === 'waypoints')), dayArb, (ramp, n) => {
        if (ramp.curve.kind !== 'waypoints') return;
        const pts = [...ramp.curve.points].sort((a, b) => a.day - b.day);
        const before = pts.filter((p) => p.day <= n).at(-1) ?? pts[0]!;
        const after = pts.find((p) => p.day >= n) ?? pts.at(-1)!;
        const v = baseVolume(ramp, n);
        const exact = pts.find((p) => p.day === n);
        if (exact && pts.filter((p) => p.day === n).length === 1) expect(v).toBe(Math.min(exact.volume, ramp.dailyMax));
        expect(v).toBeGreaterThanOrEqual(Math.min(before.volume, after.volume, ramp.dailyMax));
        expect(v).toBeLessThanOrEqual(Math.min(Math.max(before.volume, after.volume), ramp.dailyMax));
      }),
    );
  });

  it('band ramps up linearly, then draws inside [min, max]', () => {
    const r = rampSchema.parse({ startVolume: 2, dailyIncrease: 3, dailyMax: 50, curve: { kind: 'band', min: 20, max: 30 } });
    expect([0, 1, 5].map((n) => dayVolume({ ...r, variancePct: 0 }, n, 'mb', '2026-01-05'))).toEqual([2, 5, 17]);
    const draws = new Set(Array.from({ length: 60 }, (_, i) => dayVolume(r, 6 + i, 'mb', addDays('2026-01-05', i))));
    expect([...draws].every((v) => v >= 20 && v <= 30)).toBe(true);
    expect(draws.size).toBeGreaterThan(5);

    fc.assert(
      fc.property(rampArb(curveArb.filter((c) => c.kind === 'band')), dayArb, fc.string(), dateArb, (ramp, n, seed, date) => {
        if (ramp.curve.kind !== 'band') return;
        const v = dayVolume(ramp, n, seed, date);
        expect(Number.isInteger(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(ramp.dailyMax);
        if (ramp.startVolume + ramp.dailyIncrease * n >= ramp.curve.min) {
          expect(v).toBeGreaterThanOrEqual(Math.min(ramp.curve.min, ramp.dailyMax));
          expect(v).toBeLessThanOrEqual(Math.min(ramp.curve.max, ramp.dailyMax));
        }
      }),
    );
  });

  it('dayVolume is deterministic, within ±variancePct of the base, and capped', () => {
    fc.assert(
      fc.property(rampArb(curveArb.filter((c) => c.kind !== 'band')), dayArb, fc.string(), dateArb, (r, n, seed, date) => {
        const v = dayVolume(r, n, seed, date);
        expect(dayVolume(r, n, seed, date)).toBe(v);
        const base = baseVolume(r, n);
        expect(Number.isInteger(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(r.dailyMax);
        expect(Math.abs(v - base)).toBeLessThanOrEqual((base * r.variancePct) / 100 + 1);
        if (r.variancePct === 0) expect(v).toBe(base);
      }),
    );
  });

  it('different mailboxes vary on different days', () => {
    const r = rampSchema.parse({ startVolume: 30, dailyMax: 100 });
    fc.assert(
      fc.property(fc.string(), fc.string(), dateArb, (a, b, from) => {
        fc.pre(a !== b);
        const dates = Array.from({ length: 60 }, (_, i) => addDays(from, i));
        expect(dates.some((d) => dayVolume(r, 0, a, d) !== dayVolume(r, 0, b, d))).toBe(true);
      }),
    );
  });

  it('raising dailyMax does not restart the ramp', () => {
    fc.assert(
      fc.property(rampArb(curveArb), fc.integer({ min: 1, max: 1000 }), dayArb, fc.string(), dateArb, (r, extra, n, seed, date) => {
        const raised = { ...r, dailyMax: Math.min(1000, r.dailyMax + extra) };
        // Days the old cap did not touch keep their volume; a day whose base sat at the cap may grow.
        if (baseVolume(r, n) < r.dailyMax) {
          expect(baseVolume(raised, n)).toBe(baseVolume(r, n));
          if (dayVolume(r, n, seed, date) < r.dailyMax) expect(dayVolume(raised, n, seed, date)).toBe(dayVolume(r, n, seed, date));
        }
      }),
    );
  });
});

describe('ramp: sending days', () => {
  it('counts sending days like a brute-force walk', () => {
    fc.assert(
      fc.property(rampArb(), dateArb, fc.integer({ min: -10, max: 400 }), (r, from, span) => {
        const to = addDays(from, span);
        let brute = 0;
        for (let i = 0; i < span; i++) if (r.days.includes(isoWeekday(addDays(from, i)))) brute++;
        expect(countSendingDays(r, from, to)).toBe(brute);
      }),
    );
    const r = defaultRamp();
    expect(isSendingDay(r, '2026-01-09')).toBe(true); // Friday
    expect(isSendingDay(r, '2026-01-10')).toBe(false);
    expect(countSendingDays(r, '2026-01-05', '2026-01-12')).toBe(5);
    expect(countSendingDays(r, '2026-01-09', '2026-01-13')).toBe(2); // Fri, Mon
    // DST weeks have seven calendar days like any other.
    expect(countSendingDays(defaultRamp('Europe/Berlin'), '2026-03-23', '2026-04-06')).toBe(10);
  });

  it('previews off days as zero and counts progress in sending days only', () => {
    const rows = previewRamp(defaultRamp(), { from: '2026-01-09', days: 4 });
    expect(rows).toEqual([
      { date: '2026-01-09', sendingDay: 0, volume: 5, base: 5, rampVolume: 5, loop: null },
      { date: '2026-01-10', sendingDay: null, volume: 0, base: 0, rampVolume: 0, loop: null },
      { date: '2026-01-11', sendingDay: null, volume: 0, base: 0, rampVolume: 0, loop: null },
      { date: '2026-01-12', sendingDay: 1, volume: 6, base: 6, rampVolume: 6, loop: null },
    ]);
  });

  it('pause / resume keeps progress: a preview from progress k starts at baseVolume(k)', () => {
    fc.assert(
      fc.property(rampArb(curveArb), dateArb, fc.integer({ min: 0, max: 500 }), fc.option(fc.string(), { nil: undefined }), (r, from, k, seed) => {
        const rows = previewRamp(r, { from, days: 21, progress: k, ...(seed === undefined ? {} : { seed }) });
        expect(rows).toHaveLength(21);
        const sending = rows.filter((row) => row.sendingDay !== null);
        expect(sending.length).toBe(countSendingDays(r, from, addDays(from, 21)));
        sending.forEach((row, i) => {
          expect(row.sendingDay).toBe(k + i);
          expect(row.base).toBe(baseVolume(r, k + i));
          expect(row.volume).toBe(seed === undefined ? row.base : dayVolume(r, k + i, seed, row.date));
        });
        expect(rows.filter((row) => row.sendingDay === null).every((row) => row.volume === 0)).toBe(true);
      }),
    );
  });
});
