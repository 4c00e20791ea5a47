import { describe, expect, it } from 'vitest';
import { startOfDayInZone } from '../../electron/core/util/time';

describe('startOfDayInZone', () => {
  it('finds local midnight in zones on both sides of UTC', () => {
    const t = Date.parse('2026-11-23T10:30:00Z');
    expect(new Date(startOfDayInZone(t, 'UTC')).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(new Date(startOfDayInZone(t, 'Europe/Paris')).toISOString()).toBe('2026-11-22T23:00:00.000Z');
    expect(new Date(startOfDayInZone(t, 'America/New_York')).toISOString()).toBe('2026-11-23T05:00:00.000Z');
    expect(new Date(startOfDayInZone(Date.parse('2026-11-23T02:00:00Z'), 'America/Los_Angeles')).toISOString()).toBe('2026-11-22T08:00:00.000Z');
  });

  it('handles days that contain a DST change', () => {
    // Europe/Paris springs forward on 2026-03-29 at 02:00 local: midnight is still +01:00.
    expect(new Date(startOfDayInZone(Date.parse('2026-03-29T15:00:00Z'), 'Europe/Paris')).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    // ... and falls back on 2026-10-25: midnight is +02:00.
    expect(new Date(startOfDayInZone(Date.parse('2026-10-25T15:00:00Z'), 'Europe/Paris')).toISOString()).toBe('2026-10-24T22:00:00.000Z');
  });
});
