// Density tiles: the zoomed-out timeline asks for event counts in fixed tiles instead of for
// the exact view. A tile is TILE_BUCKETS buckets of one power-of-two width, aligned to a
// multiple of its own length, so the same time range at the same zoom level is always the same
// tile. A pan then asks only for the tiles it newly exposes, zooming back out finds the tiles
// it saw on the way in, and the tiles of one view are asked for side by side (the backend
// answers them on several connections). Tiles are kept in a small LRU cache.
import type { BucketResponse, LaneBuckets } from '../../../core/api.ts';
import { bucketWidthUs, type TimeView } from './view.ts';

/**
 * Buckets per tile. A view holds 0.5–1 bucket per pixel, so ~1,500 px show 2–4 tiles; a pan of a
 * few hundred pixels needs at most one new tile.
 */
export const TILE_BUCKETS = 512;

/** Tiles kept. A tile of 512 buckets × ~25 lanes is ≤ ~0.4 MB: at most ~25 MB in all. */
export const TILE_CACHE_SIZE = 64;

/** The bucket width of a view: the smallest power of two ≥ its µs per pixel (the backend's rule). */
export function levelWidthUs(view: TimeView, widthPx: number): number {
  const perPixel = bucketWidthUs(view, widthPx);
  let width = 1;
  while (width < perPixel) width *= 2;
  return width;
}

export interface TileRange {
  bucket_us: number;
  index: number;
  from_us: number;
  to_us: number;
}

/** The tiles of width `bucket_us` that overlap `view` (half-open), in time order. */
export function tilesOf(view: TimeView, bucket_us: number): TileRange[] {
  const length = bucket_us * TILE_BUCKETS;
  const first = Math.floor(view.from_us / length);
  const last = Math.ceil(view.to_us / length) - 1;
  const tiles: TileRange[] = [];
  for (let index = first; index <= Math.max(first, last); index++) {
    tiles.push({ bucket_us, index, from_us: index * length, to_us: (index + 1) * length });
  }
  return tiles;
}

interface CachedTile {
  /** The lanes asked for: a tile answers any request for some of them. */
  lanes: ReadonlySet<string>;
  response: BucketResponse;
}

/** Answered tiles of one case state (`dataVersion`): changing data empties the cache. */
export class DensityTileCache {
  private readonly tiles = new Map<string, CachedTile>();
  private version: number | null = null;

  constructor(private readonly capacity = TILE_CACHE_SIZE) {}

  private static key(tile: TileRange): string {
    return `${tile.bucket_us}:${tile.index}`;
  }

  private sync(dataVersion: number): void {
    if (this.version === dataVersion) return;
    this.tiles.clear();
    this.version = dataVersion;
  }

  /** The tile's answer if it holds every lane in `laneIds` (the most recently used is kept longest). */
  get(tile: TileRange, laneIds: readonly string[], dataVersion: number): BucketResponse | undefined {
    this.sync(dataVersion);
    const key = DensityTileCache.key(tile);
    const cached = this.tiles.get(key);
    if (!cached || !laneIds.every((id) => cached.lanes.has(id))) return undefined;
    this.tiles.delete(key);
    this.tiles.set(key, cached);
    return cached.response;
  }

  put(tile: TileRange, laneIds: readonly string[], dataVersion: number, response: BucketResponse): void {
    this.sync(dataVersion);
    const key = DensityTileCache.key(tile);
    this.tiles.delete(key);
    this.tiles.set(key, { lanes: new Set(laneIds), response });
    for (const oldest of this.tiles.keys()) {
      if (this.tiles.size <= this.capacity) break;
      this.tiles.delete(oldest);
    }
  }

  get size(): number {
    return this.tiles.size;
  }
}

/**
 * One answer from the tiles of a view (in time order): each lane's buckets are the
 * concatenation of its buckets in every tile, restricted to `laneIds` (a cached tile may hold
 * more lanes than the view needs).
 */
export function mergeTiles(bucket_us: number, tiles: readonly BucketResponse[], laneIds: readonly string[]): BucketResponse {
  const wanted = new Set(laneIds);
  const byLane = new Map<string, LaneBuckets>();
  for (const tile of tiles) {
    for (const lane of tile.lanes) {
      if (!wanted.has(lane.lane_id)) continue;
      const merged = byLane.get(lane.lane_id);
      if (!merged) {
        byLane.set(lane.lane_id, { lane_id: lane.lane_id, starts: [...lane.starts], counts: [...lane.counts], failed: [...lane.failed], categories: [...lane.categories] });
        continue;
      }
      merged.starts.push(...lane.starts);
      merged.counts.push(...lane.counts);
      merged.failed.push(...lane.failed);
      merged.categories.push(...lane.categories);
    }
  }
  const lanes = [...byLane.values()].sort((a, b) => (a.lane_id < b.lane_id ? -1 : a.lane_id > b.lane_id ? 1 : 0));
  return { bucket_us, lanes };
}

/**
 * Splits one answer covering several adjacent tiles (same bucket width, range from the first
 * tile's start to the last's end) into one answer per tile.
 */
export function splitIntoTiles(answer: BucketResponse, tiles: readonly TileRange[]): BucketResponse[] {
  return tiles.map((tile) => ({
    bucket_us: answer.bucket_us,
    lanes: answer.lanes.flatMap((lane) => {
      let from = 0;
      while (from < lane.starts.length && (lane.starts[from] ?? 0) < tile.from_us) from++;
      let to = from;
      while (to < lane.starts.length && (lane.starts[to] ?? 0) < tile.to_us) to++;
      if (to === from) return [];
      return [{ lane_id: lane.lane_id, starts: lane.starts.slice(from, to), counts: lane.counts.slice(from, to), failed: lane.failed.slice(from, to), categories: lane.categories.slice(from, to) }];
    }),
  }));
}
