import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { TimelineEvent } from './timeline-types.ts';
import { decodeEventColumns, encodeEventColumns } from './timeline-columns.ts';

const text = fc.option(fc.constantFrom('', 'a', 'read', 'C:\\Windows\\x.dll', 'ü"\\', 'ENOENT'), { nil: null });
const eventArb: fc.Arbitrary<TimelineEvent> = fc.record({
  event_id: fc.integer({ min: 1, max: 2 ** 40 }),
  capture_id: fc.integer({ min: 1, max: 50 }),
  ts_us: fc.integer({ min: -(2 ** 52), max: 2 ** 52 }),
  dur_us: fc.option(fc.double({ min: 0, max: 1e9, noNaN: true }), { nil: null }),
  host: text,
  pid: fc.option(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { nil: null }),
  tid: fc.option(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { nil: null }),
  process: text,
  kind: fc.constantFrom('api', 'log', 'network'),
  op: fc.constantFrom('read', 'openat', ''),
  category: fc.constantFrom('file', 'network', 'other'),
  target: text,
  error: text,
});

describe('timeline events as columns', () => {
  it('decode(encode(events)) gives the same events back, in order, whatever the base time', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 60 }), fc.integer({ min: -(2 ** 52), max: 2 ** 52 }), (events, base) => {
        const columns = encodeEventColumns(events, base);
        expect(decodeEventColumns(columns)).toEqual(events);
      }),
    );
  });

  it('stores every distinct text once and is smaller as JSON than the events', () => {
    const events: TimelineEvent[] = Array.from({ length: 500 }, (_, i) => ({
      event_id: 1_000_000 + i, capture_id: 1, ts_us: 1_795_684_278_730_752 + i * 37, dur_us: 12, host: 'hmi-01', pid: 1200 + (i % 3), tid: 1200,
      process: 'scada-hmi', kind: 'api', op: i % 2 ? 'read' : 'write', category: 'file', target: `/var/log/t${i % 10}`, error: null,
    }));
    const columns = encodeEventColumns(events);
    expect(new Set(columns.strings).size).toBe(columns.strings.length);
    expect(columns.strings.length).toBe(['hmi-01', 'scada-hmi', 'api', 'read', 'write', 'file'].length + 10);
    expect(JSON.stringify(columns).length).toBeLessThan(JSON.stringify(events).length / 3);
  });
});
