// The offset estimate from connect ↔ SYN pairs: whatever the true offset and however the SYN
// falls inside each connect call, the stated interval holds the truth.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateClock } from './clock.ts';

describe('clock offset from connect ↔ SYN pairs', () => {
  it('states an interval that holds the true offset', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -3_600_000_000, max: 3_600_000_000 }),
        fc.array(fc.record({ t: fc.integer({ min: 0, max: 500_000_000 }), dur: fc.integer({ min: 20, max: 5_000 }), at: fc.double({ min: 0, max: 1, noNaN: true }) }), { minLength: 1, maxLength: 40 }),
        (truth, calls) => {
          // The SYN leaves somewhere inside the call; the wire stamps it on the reference clock.
          const pairs = calls.map((c) => ({ anchor_ts_us: c.t, anchor_dur_us: c.dur, wire_ts_us: c.t + truth + Math.round(c.at * c.dur) }));
          const e = estimateClock(pairs);
          expect(e).not.toBeNull();
          expect(Math.abs((e?.offset_us ?? 0) - truth)).toBeLessThanOrEqual(e?.uncertainty_us ?? -1);
          expect(e?.uncertainty_us).toBeLessThanOrEqual(Math.max(...calls.map((c) => c.dur)) * 2 + 2);
        },
      ),
    );
  });

  it('narrows with more pairs and reports drift only over a long span', () => {
    const one = estimateClock([{ anchor_ts_us: 0, anchor_dur_us: 1_000, wire_ts_us: 5_000_400 }]);
    expect(one).toMatchObject({ offset_us: 4_999_900, pairs: 1, drift_ppm: null });
    // 20 ppm fast over 20 minutes.
    const long = Array.from({ length: 10 }, (_, k) => {
      const t = k * 120_000_000;
      return { anchor_ts_us: t, anchor_dur_us: 100, wire_ts_us: t + 1_000 + Math.round(t * 20e-6) + 50 };
    });
    expect(estimateClock(long)?.drift_ppm).toBeCloseTo(20, 0);
    expect(estimateClock([])).toBeNull();
  });
});
