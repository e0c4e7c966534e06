import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { BucketRequest, BucketResponse } from '../../../core/api.ts';
import { DensityTileCache, TILE_BUCKETS, levelWidthUs, mergeTiles, tilesOf } from './density-tiles.ts';
import { densityOf } from './useTimelineData.ts';

/** A fake backend over fixed events: counts per bucket of the request's width, range [from, to). */
function fakeApi(events: { lane: string; ts: number }[]) {
  const asked: BucketRequest[] = [];
  const buckets = async (r: BucketRequest): Promise<BucketResponse> => {
    asked.push(r);
    let width = 1;
    while (width < r.bucket_us) width *= 2;
    const lanes = [...new Set(events.map((e) => e.lane))]
      .filter((id) => !r.lane_ids || r.lane_ids.includes(id))
      .sort()
      .map((lane_id) => {
        const counts = new Map<number, number>();
        for (const e of events) {
          if (e.lane !== lane_id || e.ts < r.from_us || e.ts >= r.to_us) continue;
          const start = Math.floor(e.ts / width) * width;
          counts.set(start, (counts.get(start) ?? 0) + 1);
        }
        const starts = [...counts.keys()].sort((a, b) => a - b);
        return { lane_id, starts, counts: starts.map((s) => counts.get(s) ?? 0), failed: starts.map(() => 0), categories: starts.map(() => 'file') };
      })
      .filter((lane) => lane.starts.length > 0);
    return { bucket_us: width, lanes };
  };
  return { api: { buckets }, asked };
}

describe('density tiles', () => {
  it('choose the power-of-two width at or above the µs per pixel', () => {
    expect(levelWidthUs({ from_us: 0, to_us: 1_000 }, 1_000)).toBe(1);
    expect(levelWidthUs({ from_us: 0, to_us: 3_000 }, 1_000)).toBe(4);
    expect(levelWidthUs({ from_us: 0, to_us: 4_000 }, 1_000)).toBe(4);
    expect(levelWidthUs({ from_us: 0, to_us: 4_001 }, 1_000)).toBe(4);
    expect(levelWidthUs({ from_us: 0, to_us: 5_000 }, 1_000)).toBe(8);
  });

  it('cover the view with aligned tiles, also before 1970', () => {
    const length = 4 * TILE_BUCKETS;
    const tiles = tilesOf({ from_us: -length - 1, to_us: length + 1 }, 4);
    expect(tiles.map((t) => t.index)).toEqual([-2, -1, 0, 1]);
    expect(tiles[0]).toMatchObject({ from_us: -2 * length, to_us: -length });
    expect(tilesOf({ from_us: 0, to_us: length }, 4).map((t) => t.index)).toEqual([0]);
  });

  it('answer any view exactly as one request for its tiles would, asking only for tiles not seen', async () => {
    const eventArb = fc.record({ lane: fc.constantFrom('api:h:1', 'api:h:2', 'src:1:log'), ts: fc.integer({ min: -50_000, max: 200_000 }) });
    const viewArb = fc.tuple(fc.integer({ min: -60_000, max: 200_000 }), fc.integer({ min: 10, max: 120_000 })).map(([from, span]) => ({ from_us: from, to_us: from + span }));
    await fc.assert(
      fc.asyncProperty(fc.array(eventArb, { maxLength: 300 }), fc.array(viewArb, { minLength: 1, maxLength: 6 }), fc.constantFrom(100, 640), async (events, views, widthPx) => {
        const { api, asked } = fakeApi(events);
        const cache = new DensityTileCache();
        const seen = new Set<string>();
        for (const [n, view] of views.entries()) {
          const laneIds = ['api:h:1', 'src:1:log'];
          const before = asked.length;
          // The first view asks for all its tiles in one request (as on opening a case).
          const together = n === 0;
          const answer = await densityOf(api, cache, view, widthPx, laneIds, 1, together);
          const width = levelWidthUs(view, widthPx);
          const tiles = tilesOf(view, width);
          const expected = await fakeApi(events).api.buckets({ from_us: tiles[0]!.from_us, to_us: tiles.at(-1)!.to_us, bucket_us: width, lane_ids: laneIds });
          expect(answer).toEqual(expected);
          const fresh = tiles.filter((t) => !seen.has(`${width}:${t.index}`));
          expect(asked.length - before).toBe(together && fresh.length > 1 ? 1 : fresh.length);
          for (const t of tiles) seen.add(`${width}:${t.index}`);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('ask again for a tile when the data changed or it lacks a lane, and evict the least recently used', () => {
    const cache = new DensityTileCache(2);
    const [a, b, c] = tilesOf({ from_us: 0, to_us: 3 * TILE_BUCKETS }, 1);
    const answer: BucketResponse = { bucket_us: 1, lanes: [] };
    cache.put(a!, ['x', 'y'], 1, answer);
    expect(cache.get(a!, ['y'], 1)).toBe(answer);
    expect(cache.get(a!, ['z'], 1)).toBeUndefined();
    expect(cache.get(a!, ['x'], 2)).toBeUndefined();
    cache.put(a!, ['x'], 2, answer);
    cache.put(b!, ['x'], 2, answer);
    cache.get(a!, ['x'], 2);
    cache.put(c!, ['x'], 2, answer);
    expect(cache.size).toBe(2);
    expect(cache.get(b!, ['x'], 2)).toBeUndefined();
    expect(cache.get(a!, ['x'], 2)).toBe(answer);
  });

  it('merge only the wanted lanes, in time order', () => {
    const tile = (start: number, lanes: string[]): BucketResponse => ({
      bucket_us: 1,
      lanes: lanes.map((lane_id) => ({ lane_id, starts: [start], counts: [1], failed: [0], categories: ['file'] })),
    });
    const merged = mergeTiles(1, [tile(0, ['b', 'a']), tile(5, ['a'])], ['a']);
    expect(merged).toEqual({ bucket_us: 1, lanes: [{ lane_id: 'a', starts: [0, 5], counts: [1, 1], failed: [0, 0], categories: ['file', 'file'] }] });
  });
});
