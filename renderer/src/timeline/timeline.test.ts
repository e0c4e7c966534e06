import { describe, expect, it } from 'vitest';
import type { Lane, StoredEvent } from '../../../core/api.ts';
import { groupEventsByLane, nearestEvent } from './draw.ts';
import { laneIndexer, orderLanes } from './lanes.ts';
import { covers, eventsWithin, type Answered } from './useTimelineData.ts';
import { MIN_SPAN_US, bucketWidthUs, caseView, clampView, panBy, revealTime, spanOf, zoomAt } from './view.ts';

const BOUNDS = { from_us: 1_000_000_000, to_us: 1_256_000_000 };

function lane(partial: Partial<Lane> & Pick<Lane, 'lane_id' | 'group' | 'kind'>): Lane {
  return { host: null, label: partial.lane_id, pid: null, process: null, capture_id: null, count: 1, first_us: 0, last_us: 0, ...partial };
}

function event(partial: Partial<StoredEvent>): StoredEvent {
  return {
    event_id: 1,
    capture_id: 1,
    ts_us: 0,
    ts_raw_us: 0,
    dur_us: null,
    host: null,
    pid: null,
    tid: null,
    ppid: null,
    process: null,
    kind: 'api',
    op: 'read',
    category: 'file',
    target: null,
    args: null,
    ret: null,
    error: null,
    source_line: 1,
    fields: null,
    level: null,
    ...partial,
  };
}

describe('timeline view math', () => {
  it('frames the case with a margin', () => {
    const view = caseView(BOUNDS.from_us, BOUNDS.to_us);
    expect(view && view.from_us).toBeLessThan(BOUNDS.from_us);
    expect(view && view.to_us).toBeGreaterThan(BOUNDS.to_us);
    expect(caseView(null, null)).toBeNull();
  });

  it('zooms about the pointer and stops at 10 µs', () => {
    const anchor = BOUNDS.from_us + 64_000_000;
    const zoomed = zoomAt(BOUNDS, anchor, 0.5, BOUNDS);
    expect(spanOf(zoomed)).toBe(128_000_000);
    // The anchor keeps its relative position (a quarter of the way across).
    expect((anchor - zoomed.from_us) / spanOf(zoomed)).toBeCloseTo(0.25, 6);
    let deep = zoomed;
    for (let i = 0; i < 60; i++) deep = zoomAt(deep, anchor, 0.5, BOUNDS);
    expect(spanOf(deep)).toBe(MIN_SPAN_US);
    expect(deep.from_us).toBeLessThanOrEqual(anchor);
    expect(deep.to_us).toBeGreaterThanOrEqual(anchor);
  });

  it('never pans or zooms out beyond the case', () => {
    expect(panBy({ from_us: BOUNDS.from_us, to_us: BOUNDS.from_us + 1000 }, -5000, BOUNDS).from_us).toBe(BOUNDS.from_us);
    expect(zoomAt(BOUNDS, BOUNDS.from_us, 8, BOUNDS)).toEqual(BOUNDS);
    expect(clampView({ from_us: BOUNDS.to_us, to_us: BOUNDS.to_us + 100 }, BOUNDS).to_us).toBe(BOUNDS.to_us);
  });

  it('centres an event outside the view and leaves one inside alone', () => {
    const view = { from_us: BOUNDS.from_us, to_us: BOUNDS.from_us + 1000 };
    expect(revealTime(view, BOUNDS.from_us + 500, BOUNDS)).toBe(view);
    const moved = revealTime(view, BOUNDS.from_us + 100_000, BOUNDS);
    expect(moved).toEqual({ from_us: BOUNDS.from_us + 99_500, to_us: BOUNDS.from_us + 100_500 });
  });

  it('asks for about one bucket per pixel', () => {
    expect(bucketWidthUs(BOUNDS, 1000)).toBe(256_000);
    expect(bucketWidthUs({ from_us: 0, to_us: 10 }, 1000)).toBe(1);
  });
});

describe('lanes', () => {
  const lanes = [
    lane({ lane_id: 'src:2:log', group: 'source', kind: 'log', capture_id: 2 }),
    lane({ lane_id: 'api:hmi:300', group: 'api', kind: 'api', host: 'hmi', pid: 300 }),
    lane({ lane_id: 'src:3:alarm', group: 'source', kind: 'alarm', capture_id: 3 }),
    lane({ lane_id: 'api:hmi:20', group: 'api', kind: 'api', host: 'hmi', pid: 20 }),
    lane({ lane_id: 'api:eng:5', group: 'api', kind: 'api', host: 'eng', pid: 5 }),
  ];

  it('puts API lanes first, grouped by host then pid, then the other sources', () => {
    expect(orderLanes(lanes).map((l) => l.lane_id)).toEqual(['src:3:alarm', 'src:2:log', 'api:eng:5', 'api:hmi:20', 'api:hmi:300']);
  });

  it('maps events to their lane from host/pid or capture/kind', () => {
    const ordered = orderLanes(lanes);
    const indexOf = laneIndexer(ordered);
    expect(indexOf(event({ kind: 'api', host: 'hmi', pid: 300 }))).toBe(4);
    expect(indexOf(event({ kind: 'log', capture_id: 2 }))).toBe(1);
    expect(indexOf(event({ kind: 'api', host: 'other', pid: 1 }))).toBe(-1);
  });
});

describe('hit testing', () => {
  const sorted = groupEventsByLane(
    [event({ event_id: 3, ts_us: 300 }), event({ event_id: 1, ts_us: 100, dur_us: 50 }), event({ event_id: 2, ts_us: 200 })],
    1,
    () => 0,
  )[0]?.events ?? [];

  it('sorts a lane by time', () => {
    expect(sorted.map((e) => e.event_id)).toEqual([1, 2, 3]);
  });

  it('finds the event under the pointer, including inside a long call', () => {
    expect(nearestEvent(sorted, 198, 5)?.event_id).toBe(2);
    expect(nearestEvent(sorted, 140, 5)?.event_id).toBe(1);
    expect(nearestEvent(sorted, 250, 5)).toBeNull();
  });
});

describe('visible lane window', () => {
  it('covers the lanes in view plus a margin, in steps, within the lane count', async () => {
    const { visibleLaneRange, LANE_MARGIN, LANE_STEP } = await import('./lanes.ts');
    expect(visibleLaneRange(0, 440, 22, 204)).toEqual({ first: 0, last: Math.ceil((20 + LANE_MARGIN) / LANE_STEP) * LANE_STEP });
    const scrolled = visibleLaneRange(100 * 22 + 5, 440, 22, 204);
    expect(scrolled.first).toBeLessThanOrEqual(100 - LANE_MARGIN);
    expect(scrolled.last).toBeGreaterThanOrEqual(121 + LANE_MARGIN);
    expect(scrolled.first % LANE_STEP).toBe(0);
    expect(visibleLaneRange(200 * 22, 440, 22, 204).last).toBe(204);
    expect(visibleLaneRange(0, 440, 22, 3)).toEqual({ first: 0, last: 3 });
    // A small scroll keeps the same window (no new request).
    expect(visibleLaneRange(49 * 22 + 1, 440, 22, 204)).toEqual(visibleLaneRange(49 * 22 + 20, 440, 22, 204));
  });
});

describe('asking only when the last answer does not cover the view', () => {
  const view = { from_us: 1_000, to_us: 2_000 };
  const buckets: Answered = {
    data: {
      mode: 'buckets',
      view,
      response: { bucket_us: 100, lanes: [{ lane_id: 'a', starts: [1_000, 1_500, 1_900], counts: [5, 7, 11], failed: [0, 0, 0], categories: ['file', 'file', 'file'] }] },
    },
    lanes: new Set(['a', 'b']),
    dataVersion: 3,
  };

  it('covers a view inside the answered one, for the same lanes or fewer and the same data', () => {
    expect(covers(buckets, { from_us: 1_200, to_us: 1_800 }, ['a'], 3)).toBe(true);
    expect(covers(buckets, view, ['a', 'b'], 3)).toBe(true);
    expect(covers(buckets, { from_us: 900, to_us: 1_800 }, ['a'], 3)).toBe(false);
    expect(covers(buckets, { from_us: 1_200, to_us: 2_001 }, ['a'], 3)).toBe(false);
    expect(covers(buckets, { from_us: 1_200, to_us: 1_800 }, ['a', 'c'], 3)).toBe(false);
    expect(covers(buckets, { from_us: 1_200, to_us: 1_800 }, ['a'], 4)).toBe(false);
  });

  it('bounds the events in a view from above by the buckets it touches', () => {
    expect(eventsWithin(buckets.data, view)).toBe(23);
    expect(eventsWithin(buckets.data, { from_us: 1_550, to_us: 1_950 })).toBe(18);
    expect(eventsWithin(buckets.data, { from_us: 1_600, to_us: 1_900 })).toBe(0);
    expect(eventsWithin({ mode: 'events', view, events: [event({})] }, view)).toBe(Number.POSITIVE_INFINITY);
  });
});
