import { describe, expect, it } from 'vitest';
import { formatDelta, formatDuration, formatUtcMicros, parseSecondsToUs, tickStepUs, timeTicks, utcDateOf } from './time.ts';

// 2026-11-26T06:13:22.123456Z, the start of the hmi-dev strace capture plus a fraction.
const SAMPLE_US = Date.UTC(2026, 10, 26, 6, 13, 22) * 1000 + 123_456;

describe('time display', () => {
  it('formats UTC with all six fractional digits', () => {
    expect(formatUtcMicros(SAMPLE_US)).toBe('2026-11-26T06:13:22.123456Z');
    expect(formatUtcMicros(SAMPLE_US - 123_456 + 7)).toBe('2026-11-26T06:13:22.000007Z');
  });

  it('keeps microseconds right before 1970', () => {
    expect(formatUtcMicros(-1)).toBe('1969-12-31T23:59:59.999999Z');
  });

  it('chooses a unit for durations and signs deltas', () => {
    expect(formatDuration(5)).toBe('5 µs');
    expect(formatDuration(1500)).toBe('1.5 ms');
    expect(formatDuration(2_250_000)).toBe('2.25 s');
    expect(formatDuration(null)).toBe('');
    expect(formatDelta(-3_000_000)).toBe('−3 s');
    expect(formatDelta(1200)).toBe('+1.2 ms');
  });

  it('parses offsets typed in seconds', () => {
    expect(parseSecondsToUs('-1.5')).toBe(-1_500_000);
    expect(parseSecondsToUs('+0.000250')).toBe(250);
    expect(parseSecondsToUs('1e3')).toBeNull();
    expect(parseSecondsToUs('abc')).toBeNull();
  });

  it('gives the UTC date of a modification time', () => {
    expect(utcDateOf(Date.UTC(2026, 10, 26, 23, 59))).toBe('2026-11-26');
  });
});

describe('time ticks', () => {
  it('uses round steps from microseconds to days', () => {
    expect(tickStepUs(10, 10)).toBe(1);
    expect(tickStepUs(4_000_000, 8)).toBe(500_000);
    expect(tickStepUs(256e6, 10)).toBe(30e6);
  });

  it('places UTC ticks on multiples of the step inside the range', () => {
    const from = SAMPLE_US;
    const to = SAMPLE_US + 256e6;
    const ticks = timeTicks(from, to, 10, false);
    expect(ticks.length).toBeGreaterThan(3);
    for (const tick of ticks) {
      expect(tick.us % 30e6).toBe(0);
      expect(tick.us).toBeGreaterThanOrEqual(from);
      expect(tick.us).toBeLessThanOrEqual(to);
    }
    expect(ticks[0]?.label).toBe('06:13:30');
  });

  it('labels microsecond ticks with six digits', () => {
    const ticks = timeTicks(SAMPLE_US, SAMPLE_US + 20, 10, false);
    expect(ticks[0]?.label).toBe('06:13:22.123456');
    expect(ticks[1]?.us).toBe(SAMPLE_US + 2);
  });
});
