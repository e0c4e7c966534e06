// Ordering uncertainty between captures: combined clock errors, and which neighbouring chain
// steps cannot be ordered.
import { describe, expect, it } from 'vitest';
import type { ChainStep } from '../model/link.ts';
import type { StoredEvent } from '../model/event.ts';
import { markUncertainOrder, pairUncertainties, uncertainOrder } from './ordering.ts';

const errors = new Map([[1, 80], [2, 0], [3, 150]]);

describe('ordering uncertainty', () => {
  it('sums the two captures\' clock errors per pair', () => {
    expect(pairUncertainties(errors)).toEqual([
      { capture_a: 1, capture_b: 2, uncertainty_us: 80 },
      { capture_a: 1, capture_b: 3, uncertainty_us: 230 },
      { capture_a: 2, capture_b: 3, uncertainty_us: 150 },
    ]);
  });

  it('calls two events of different captures uncertain only when closer than the combined error', () => {
    expect(uncertainOrder({ capture_id: 1, ts_us: 1000 }, { capture_id: 2, ts_us: 1050 }, errors)).toEqual({ capture_id: 2, uncertainty_us: 80 });
    expect(uncertainOrder({ capture_id: 1, ts_us: 1000 }, { capture_id: 2, ts_us: 1080 }, errors)).toBeNull();
    expect(uncertainOrder({ capture_id: 1, ts_us: 1000 }, { capture_id: 1, ts_us: 1001 }, errors)).toBeNull(); // one clock
    expect(uncertainOrder({ capture_id: 1, ts_us: 1000 }, { capture_id: 9, ts_us: 1001 }, errors)).toBeNull(); // unknown clock: not asserted
  });

  it('marks each chain step against the nearest step of another capture', () => {
    const step = (event_id: number, capture_id: number, ts_us: number): ChainStep => ({
      event: { event_id, capture_id, ts_us } as StoredEvent, role: 'call', depth: 0, order_uncertain: null,
    });
    // Told in role order, not time order: the SYN (capture 2) comes after the socket's later calls.
    const marked = markUncertainOrder([step(1, 1, 100), step(5, 1, 5_000), step(2, 2, 150), step(3, 2, 10_000), step(4, 3, 10_100)], errors);
    expect(marked.map((s) => s.order_uncertain)).toEqual([
      { capture_id: 2, uncertainty_us: 80 }, // the connect and its SYN, 50 µs apart under ± 80 µs
      null,
      { capture_id: 1, uncertainty_us: 80 },
      { capture_id: 3, uncertainty_us: 150 },
      { capture_id: 2, uncertainty_us: 150 },
    ]);
  });
});
