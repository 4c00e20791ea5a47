import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateLoop, loopSettingsSchema, type LoopSignals } from '../../shared/warmup';

const HOUR = 3_600_000;
const s = loopSettingsSchema.parse({});
const now = Date.parse('2026-01-06T10:00:00Z');
const calm: LoopSignals = { now, spamAt: [], sent: 100, bounced: 0, complained: 0, manualPause: null };

describe('evaluateLoop', () => {
  it('has the documented defaults', () => {
    expect(s).toEqual({
      spamWindowHours: 48,
      throttleFactor: 0.75,
      freezeHours: 72,
      minSpam: 1,
      rateWindowDays: 7,
      minSample: 20,
      bounceRateMax: 0.05,
      complaintRateMax: 0.01,
    });
    expect(loopSettingsSchema.safeParse({ throttleFactor: 0 }).success).toBe(false);
  });

  it('warms when nothing is wrong', () => {
    expect(evaluateLoop(s, calm)).toEqual({ state: 'warming', reason: null, code: null, factor: 1, frozen: false, until: null });
  });

  it('pauses on a manual pause', () => {
    const d = evaluateLoop(s, { ...calm, manualPause: { at: now - HOUR } });
    expect(d).toMatchObject({ state: 'paused', code: 'MANUAL_PAUSE', factor: 0, frozen: true, until: null });
    expect(d.reason).toBe('Warmup was paused by hand on 2026-01-06 09:00 UTC.');
  });

  it('pauses on a complaint rate over the limit', () => {
    const d = evaluateLoop(s, { ...calm, sent: 120, complained: 3 });
    expect(d).toMatchObject({ state: 'paused', code: 'COMPLAINT_RATE', factor: 0, frozen: true });
    expect(d.reason).toBe('3 spam complaints out of 120 messages sent in the last 7 days (2.5%), above the 1% limit: warmup paused.');
    // At the limit is not over it.
    expect(evaluateLoop(s, { ...calm, sent: 100, complained: 1 }).state).toBe('warming');
  });

  it('pauses on a bounce rate over the limit', () => {
    const d = evaluateLoop(s, { ...calm, sent: 40, bounced: 3 });
    expect(d).toMatchObject({ state: 'paused', code: 'BOUNCE_RATE', factor: 0, frozen: true });
    expect(d.reason).toBe('3 bounces out of 40 messages sent in the last 7 days (7.5%), above the 5% limit: warmup paused.');
    expect(evaluateLoop(s, { ...calm, sent: 40, bounced: 2 }).state).toBe('warming');
  });

  it('needs a minimum sample before a rate counts', () => {
    expect(evaluateLoop(s, { ...calm, sent: 1, bounced: 1 }).state).toBe('warming');
    expect(evaluateLoop(s, { ...calm, sent: 19, bounced: 19, complained: 19 }).state).toBe('warming');
    expect(evaluateLoop(s, { ...calm, sent: 20, bounced: 2 }).code).toBe('BOUNCE_RATE');
    expect(evaluateLoop(s, { ...calm, sent: 0, bounced: 0 }).state).toBe('warming');
  });

  it('throttles on spam, then holds, then warms again as time passes', () => {
    const spam = Date.parse('2026-01-06T10:00:00Z');
    const at = (h: number) => evaluateLoop(s, { ...calm, now: spam + h * HOUR, spamAt: [spam] });

    const throttled = at(1);
    expect(throttled).toMatchObject({ state: 'throttled', code: 'SPAM_PLACEMENT', factor: 0.75, frozen: true, until: spam + 72 * HOUR });
    expect(throttled.reason).toBe('1 spam placement in the last 48 h: volume × 0.75, ramp frozen until 2026-01-09 10:00 UTC.');
    expect(at(47.9).state).toBe('throttled');

    const holding = at(48);
    expect(holding).toMatchObject({ state: 'holding', code: 'RAMP_FROZEN', factor: 1, frozen: true, until: spam + 72 * HOUR });
    expect(holding.reason).toBe('Last spam placement on 2026-01-06 10:00 UTC: volume unchanged, ramp frozen until 2026-01-09 10:00 UTC.');
    expect(at(71.9).state).toBe('holding');

    expect(at(72)).toEqual({ state: 'warming', reason: null, code: null, factor: 1, frozen: false, until: null });
  });

  it('counts placements in the window and freezes from the latest', () => {
    const d = evaluateLoop(s, { ...calm, spamAt: [now - 100 * HOUR, now - 30 * HOUR, now - 2 * HOUR] });
    expect(d.state).toBe('throttled');
    expect(d.until).toBe(now - 2 * HOUR + 72 * HOUR);
    expect(d.reason).toMatch(/^2 spam placements in the last 48 h: volume × 0\.75/);
  });

  it('with minSpam 2 a single placement only holds the ramp', () => {
    const two = loopSettingsSchema.parse({ minSpam: 2 });
    expect(evaluateLoop(two, { ...calm, spamAt: [now - HOUR] }).state).toBe('holding');
    expect(evaluateLoop(two, { ...calm, spamAt: [now - HOUR, now - 2 * HOUR] }).state).toBe('throttled');
  });

  it('applies the rules in priority order', () => {
    const all: LoopSignals = { now, spamAt: [now - HOUR], sent: 100, bounced: 50, complained: 50, manualPause: { at: now } };
    expect(evaluateLoop(s, all).code).toBe('MANUAL_PAUSE');
    expect(evaluateLoop(s, { ...all, manualPause: null }).code).toBe('COMPLAINT_RATE');
    expect(evaluateLoop(s, { ...all, manualPause: null, complained: 0 }).code).toBe('BOUNCE_RATE');
    expect(evaluateLoop(s, { ...all, manualPause: null, complained: 0, bounced: 0 }).code).toBe('SPAM_PLACEMENT');
    expect(evaluateLoop(s, { ...all, manualPause: null, complained: 0, bounced: 0, spamAt: [now - 50 * HOUR] }).code).toBe('RAMP_FROZEN');
  });

  it('always returns a consistent decision', () => {
    fc.assert(
      fc.property(
        fc.record({
          spamAt: fc.array(fc.integer({ min: now - 200 * HOUR, max: now }), { maxLength: 5 }),
          sent: fc.integer({ min: 0, max: 500 }),
          bounced: fc.integer({ min: 0, max: 50 }),
          complained: fc.integer({ min: 0, max: 10 }),
          manualPause: fc.option(fc.record({ at: fc.integer({ min: now - 100 * HOUR, max: now }) }), { nil: null }),
        }),
        (sig) => {
          const d = evaluateLoop(s, { now, ...sig });
          expect(d.reason === null).toBe(d.state === 'warming');
          expect(d.code === null).toBe(d.state === 'warming');
          expect(d.frozen).toBe(d.state !== 'warming');
          expect(d.factor).toBe({ warming: 1, holding: 1, throttled: s.throttleFactor, paused: 0 }[d.state]);
          if (d.until !== null) expect(d.until).toBeGreaterThan(now);
          if (sig.manualPause) expect(d.state).toBe('paused');
        },
      ),
    );
  });
});
