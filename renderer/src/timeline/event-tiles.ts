// Event tiles: the zoomed-in timeline asks for single events in fixed time tiles instead of for
// the exact view, as density-tiles.ts does for counts. A tile is a power-of-two length of time
// (a quarter of the view's span or more) aligned to a multiple of it. A pan then asks only for
// the tile it newly exposes (a fraction of the view's events, where asking for the whole view
// again had re-read all of them), and a zoom into (or a pan within) tiles already answered asks
// nothing. An answer holds every event of its range, so any part of it is exact.
import { decodeEventColumns, type EventFilter, type TimelineEvent, type TimelineEventsResponse, type WorkbenchApi } from '../../../core/api.ts';
import { EVENT_DRAW_LIMIT, spanOf, type TimeView } from './view.ts';

/** A view spans at most this many tiles plus one (a tile is ≥ span / TILES_PER_VIEW). */
export const TILES_PER_VIEW = 4;

/**
 * Events one tile request may return. The tiles of a view reach less than one view's span beyond
 * it, so a view the density says holds EVENT_DRAW_LIMIT events rarely needs more; a request
 * past it is answered "truncated" and the caller asks for the exact view instead.
 */
export const EVENT_TILE_LIMIT = 4 * EVENT_DRAW_LIMIT;

/** Answered ranges kept (each ≤ EVENT_TILE_LIMIT events, ~150 bytes each: ≤ ~50 MB in all). */
export const EVENT_TILE_CACHE_SIZE = 16;

/** The tile length for a view: the smallest power of two µs ≥ its span / TILES_PER_VIEW. */
export function eventTileLengthUs(view: TimeView): number {
  const wanted = spanOf(view) / TILES_PER_VIEW;
  let length = 1;
  while (length < wanted) length *= 2;
  return length;
}

/** The tiles of `length` that overlap `view` (half-open), in time order. */
export function eventTilesOf(view: TimeView, length: number): TimeView[] {
  const first = Math.floor(view.from_us / length);
  const last = Math.max(first, Math.ceil(view.to_us / length) - 1);
  const tiles: TimeView[] = [];
  for (let index = first; index <= last; index++) tiles.push({ from_us: index * length, to_us: (index + 1) * length });
  return tiles;
}

/** Every event of [from_us, to_us) in the lanes asked for, sorted by (ts_us, event_id). */
export interface EventChunk extends TimeView {
  lanes: ReadonlySet<string>;
  events: readonly TimelineEvent[];
}

/** Index of the first event at or after `ts` in events sorted by time. */
function firstAtOrAfter(events: readonly TimelineEvent[], ts: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((events[mid]?.ts_us ?? 0) < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The events of a chunk that fall in [range.from_us, range.to_us). */
export function eventsIn(chunk: EventChunk, range: TimeView): TimelineEvent[] {
  return chunk.events.slice(firstAtOrAfter(chunk.events, range.from_us), firstAtOrAfter(chunk.events, range.to_us));
}

/** The events of an answer, whichever form it came in. */
export function eventsOfAnswer(answer: TimelineEventsResponse): TimelineEvent[] {
  return answer.columns ? decodeEventColumns(answer.columns) : answer.events;
}

/** Answered event ranges of one case state and filter (`dataVersion`): changing data empties it. */
export class EventTileCache {
  /** Least recently used first. */
  private chunks: EventChunk[] = [];
  private version: number | null = null;

  constructor(private readonly capacity = EVENT_TILE_CACHE_SIZE) {}

  private sync(dataVersion: number): void {
    if (this.version === dataVersion) return;
    this.chunks = [];
    this.version = dataVersion;
  }

  /** A chunk holding all of `range` for every lane of `laneIds` (the smallest such), if any. */
  covering(range: TimeView, laneIds: readonly string[], dataVersion: number): EventChunk | undefined {
    this.sync(dataVersion);
    let best: EventChunk | undefined;
    for (const chunk of this.chunks) {
      if (chunk.from_us > range.from_us || chunk.to_us < range.to_us || !laneIds.every((id) => chunk.lanes.has(id))) continue;
      if (!best || chunk.events.length < best.events.length) best = chunk;
    }
    if (best) {
      this.chunks = this.chunks.filter((chunk) => chunk !== best);
      this.chunks.push(best);
    }
    return best;
  }

  put(chunk: EventChunk, dataVersion: number): void {
    this.sync(dataVersion);
    this.chunks.push(chunk);
    if (this.chunks.length > this.capacity) this.chunks.splice(0, this.chunks.length - this.capacity);
  }

  get size(): number {
    return this.chunks.length;
  }
}

/** What `eventsOfTiles` found: every event of `range` (the view's tiles, ⊇ the view) in the lanes asked. */
export interface TiledEvents {
  range: TimeView;
  events: TimelineEvent[];
}

/**
 * The events of the view's tiles: those a cached answer holds are taken from it, each run of
 * adjacent missing tiles is one request (one after the other, as density tiles are). Null when
 * a run holds more than `limit` events: the caller then asks for the view alone.
 */
export async function eventsOfTiles(
  api: Pick<WorkbenchApi, 'timelineEvents'>,
  cache: EventTileCache,
  view: TimeView,
  laneIds: readonly string[],
  dataVersion: number,
  filter?: EventFilter,
  limit = EVENT_TILE_LIMIT,
): Promise<TiledEvents | null> {
  const tiles = eventTilesOf(view, eventTileLengthUs(view));
  const range: TimeView = { from_us: tiles[0]!.from_us, to_us: tiles.at(-1)!.to_us };
  const whole = cache.covering(range, laneIds, dataVersion);
  if (whole) return { range, events: eventsIn(whole, range) };
  const parts: TimelineEvent[][] = [];
  let run: TimeView | null = null;
  const askFor = async (missing: TimeView): Promise<boolean> => {
    const answer = await api.timelineEvents({ ...missing, limit, lane_ids: [...laneIds], columns: true, ...(filter ? { filter } : {}) });
    if (answer.truncated) return false;
    const events = eventsOfAnswer(answer);
    cache.put({ ...missing, lanes: new Set(laneIds), events }, dataVersion);
    parts.push(events);
    return true;
  };
  for (const tile of tiles) {
    const cached = cache.covering(tile, laneIds, dataVersion);
    if (!cached) {
      run = run ? { from_us: run.from_us, to_us: tile.to_us } : tile;
      continue;
    }
    if (run && !(await askFor(run))) return null;
    run = null;
    parts.push(eventsIn(cached, tile));
  }
  if (run && !(await askFor(run))) return null;
  return { range, events: parts.flat() };
}
