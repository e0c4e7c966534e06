import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeEventColumns, type TimelineEvent, type TimelineEventsRequest, type TimelineEventsResponse } from '../../../core/api.ts';
import { EventTileCache, eventTileLengthUs, eventTilesOf, eventsOfAnswer, eventsOfTiles } from './event-tiles.ts';

function event(event_id: number, ts_us: number, pid: number): TimelineEvent {
  return { event_id, capture_id: 1, ts_us, dur_us: null, host: 'h', pid, tid: pid, process: 'p', kind: 'api', op: 'read', category: 'file', target: null, error: null };
}
const laneOf = (e: TimelineEvent) => `api:h:${e.pid}`;

/** A fake backend over fixed events: the events of [from, to) in the lanes asked, sorted, ≤ limit. */
function fakeApi(events: TimelineEvent[]) {
  const asked: TimelineEventsRequest[] = [];
  const timelineEvents = async (r: TimelineEventsRequest): Promise<TimelineEventsResponse> => {
    asked.push(r);
    const inRange = events
      .filter((e) => e.ts_us >= r.from_us && e.ts_us < r.to_us && (!r.lane_ids || r.lane_ids.includes(laneOf(e))))
      .sort((a, b) => a.ts_us - b.ts_us || a.event_id - b.event_id);
    const answered = inRange.slice(0, r.limit);
    const truncated = inRange.length > r.limit;
    // Answers in the compact column form when asked to, as the backend does.
    return r.columns ? { events: [], truncated, columns: encodeEventColumns(answered, r.from_us) } : { events: answered, truncated };
  };
  return { api: { timelineEvents }, asked };
}

const eventsArb = fc
  .array(fc.record({ ts: fc.integer({ min: -5_000, max: 200_000 }), pid: fc.integer({ min: 1, max: 4 }) }), { maxLength: 300 })
  .map((list) => list.map((e, i) => event(i + 1, e.ts, e.pid)));
const viewArb = fc.record({ from: fc.integer({ min: -10_000, max: 200_000 }), span: fc.integer({ min: 10, max: 80_000 }) }).map(({ from, span }) => ({ from_us: from, to_us: from + span }));
const lanesArb = fc.subarray(['api:h:1', 'api:h:2', 'api:h:3', 'api:h:4'], { minLength: 1 });

describe('event tiles', () => {
  it('cuts a view into ≤ TILES_PER_VIEW + 1 aligned power-of-two tiles that cover it', () => {
    fc.assert(
      fc.property(viewArb, (view) => {
        const length = eventTileLengthUs(view);
        const tiles = eventTilesOf(view, length);
        expect(Math.log2(length) % 1).toBe(0);
        expect(tiles.length).toBeLessThanOrEqual(5);
        expect(tiles[0]!.from_us).toBeLessThanOrEqual(view.from_us);
        expect(tiles.at(-1)!.to_us).toBeGreaterThanOrEqual(view.to_us);
        tiles.forEach((tile, i) => {
          expect(tile.from_us % length === 0).toBe(true);
          expect(tile.to_us - tile.from_us).toBe(length);
          if (i > 0) expect(tile.from_us).toBe(tiles[i - 1]!.to_us);
        });
      }),
    );
  });

  it('answers any sequence of views exactly as one query of their tiles would, cached or not', async () => {
    await fc.assert(
      fc.asyncProperty(eventsArb, fc.array(fc.tuple(viewArb, lanesArb), { minLength: 1, maxLength: 8 }), async (events, views) => {
        const { api } = fakeApi(events);
        const direct = fakeApi(events);
        const cache = new EventTileCache(4);
        for (const [view, lanes] of views) {
          const got = await eventsOfTiles(api, cache, view, lanes, 1);
          const expected = await direct.api.timelineEvents({ ...got!.range, limit: 1_000_000, lane_ids: lanes });
          // Cached chunks may hold more lanes than asked: the lanes asked must match exactly.
          expect(got!.events.filter((e) => lanes.includes(laneOf(e)))).toEqual(expected.events);
          expect(got!.range.from_us).toBeLessThanOrEqual(view.from_us);
          expect(got!.range.to_us).toBeGreaterThanOrEqual(view.to_us);
        }
      }),
    );
  });

  it('asks a pan only for the tile it exposes, and a zoom into answered tiles for nothing', async () => {
    const events = Array.from({ length: 400 }, (_, i) => event(i + 1, i * 100, 1 + (i % 2)));
    const { api, asked } = fakeApi(events);
    const cache = new EventTileCache();
    const lanes = ['api:h:1', 'api:h:2'];
    await eventsOfTiles(api, cache, { from_us: 8_192, to_us: 12_288 }, lanes, 1);
    expect(asked.map((r) => [r.from_us, r.to_us])).toEqual([[8_192, 12_288]]);
    await eventsOfTiles(api, cache, { from_us: 9_000, to_us: 13_096 }, lanes, 1);
    expect(asked.map((r) => [r.from_us, r.to_us]).slice(1)).toEqual([[12_288, 13_312]]);
    await eventsOfTiles(api, cache, { from_us: 9_500, to_us: 10_500 }, ['api:h:1'], 1);
    expect(asked).toHaveLength(2);
    // Another case state (data changed): asked afresh.
    await eventsOfTiles(api, cache, { from_us: 9_500, to_us: 10_500 }, ['api:h:1'], 2);
    expect(asked).toHaveLength(3);
  });

  it('reads an answer in either form the same', () => {
    const events = [event(3, 10, 1), event(4, 10, 2), event(9, 2_000, 1)];
    expect(eventsOfAnswer({ events, truncated: false })).toEqual(events);
    expect(eventsOfAnswer({ events: [], truncated: false, columns: encodeEventColumns(events, 5) })).toEqual(events);
  });

  it('gives up (null) when a tile run holds more than the limit, and caches nothing for it', async () => {
    const events = Array.from({ length: 50 }, (_, i) => event(i + 1, i, 1));
    const { api, asked } = fakeApi(events);
    const cache = new EventTileCache();
    expect(await eventsOfTiles(api, cache, { from_us: 0, to_us: 64 }, ['api:h:1'], 1, undefined, 10)).toBeNull();
    expect(cache.size).toBe(0);
    expect(asked).toHaveLength(1);
  });
});
