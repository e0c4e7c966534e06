// Fetches what the main timeline draws for the current view: density buckets when zoomed out
// (in cached tiles, density-tiles.ts), single events when the range holds few enough (in cached
// tiles too, event-tiles.ts). The last
// answer keeps being drawn while a new request is in flight, and answers to out-of-date
// requests are dropped (sequence numbers).
import { useEffect, useRef, useState } from 'react';
import type { BucketResponse, EventFilter, WorkbenchApi } from '../../../core/api.ts';
import type { TimelineData } from './draw.ts';
import { DensityTileCache, levelWidthUs, mergeTiles, splitIntoTiles, tilesOf } from './density-tiles.ts';
import { EventTileCache, eventTileLengthUs, eventsIn, eventsOfTiles } from './event-tiles.ts';
import { EVENT_DRAW_LIMIT, type TimeView } from './view.ts';

export interface TimelineDataState {
  data: TimelineData | null;
  loading: boolean;
  error: string | null;
}

/** Waits this long after the last view change before asking, so a wheel gesture is one query. */
const SETTLE_MS = 60;

/** What the last answer covered, to tell whether a new view needs asking at all. */
export interface Answered {
  data: TimelineData;
  /** The view it was drawn for, when it differs from data.view (an events answer's data.view is
   * the range of its tiles, which holds this view). */
  view?: TimeView;
  lanes: ReadonlySet<string>;
  dataVersion: number;
}

export function covers(answered: Answered, view: TimeView, laneIds: readonly string[], dataVersion: number): boolean {
  const old = answered.data.view;
  return answered.dataVersion === dataVersion && view.from_us >= old.from_us && view.to_us <= old.to_us && laneIds.every((id) => answered.lanes.has(id));
}

/** Events the last bucket answer holds in `view` (buckets cut by its edges count whole: an upper bound). */
export function eventsWithin(data: TimelineData, view: TimeView): number {
  if (data.mode !== 'buckets') return Number.POSITIVE_INFINITY;
  const width = data.response.bucket_us;
  let total = 0;
  for (const lane of data.response.lanes) {
    lane.starts.forEach((start, i) => {
      if (start + width > view.from_us && start < view.to_us) total += lane.counts[i] ?? 0;
    });
  }
  return total;
}

/**
 * The view's density from its tiles: cached ones reused, missing ones asked for one after the
 * other (side by side they only shared the same two cores with the browser's drawing, and each
 * took as long as the whole view had). `together`: when every tile is missing (the first view),
 * one request covers them all and is split, which saves each request's fixed cost.
 */
export async function densityOf(
  api: Pick<WorkbenchApi, 'buckets'>,
  cache: DensityTileCache,
  view: TimeView,
  widthPx: number,
  laneIds: readonly string[],
  dataVersion: number,
  together = false,
  filter?: EventFilter,
): Promise<BucketResponse> {
  const bucket_us = levelWidthUs(view, widthPx);
  const tiles = tilesOf(view, bucket_us);
  const ask = (from_us: number, to_us: number) => api.buckets({ from_us, to_us, bucket_us, lane_ids: [...laneIds], ...(filter ? { filter } : {}) });
  const cached = tiles.map((tile) => cache.get(tile, laneIds, dataVersion));
  if (together && tiles.length > 1 && cached.every((answer) => answer === undefined)) {
    const parts = splitIntoTiles(await ask(tiles[0]!.from_us, tiles.at(-1)!.to_us), tiles);
    tiles.forEach((tile, i) => cache.put(tile, laneIds, dataVersion, parts[i]!));
    return mergeTiles(bucket_us, parts, laneIds);
  }
  const answers: BucketResponse[] = [];
  for (const [i, tile] of tiles.entries()) {
    let answer = cached[i];
    if (!answer) {
      answer = await ask(tile.from_us, tile.to_us);
      cache.put(tile, laneIds, dataVersion, answer);
    }
    answers.push(answer);
  }
  return mergeTiles(bucket_us, answers, laneIds);
}

/**
 * `laneIds`: the lanes to ask for (those in view plus a margin); null while the lanes are not
 * known yet (nothing is asked then). The server filters before aggregating, so the ~20 lanes on
 * screen cost a fraction of all of them. `filter` (an annotation tag filter): only its events are
 * drawn; `filterKey` names it (and what it depends on), and a new key starts from empty caches.
 */
export function useTimelineData(
  api: WorkbenchApi,
  view: TimeView | null,
  widthPx: number,
  dataVersion: number,
  laneIds: string[] | null,
  /** Restricts what is drawn (e.g. pinned only); `key` changes whenever its result may have (pins changed). */
  filter?: { value: EventFilter; key: string },
): TimelineDataState {
  const [state, setState] = useState<TimelineDataState>({ data: null, loading: false, error: null });
  const sequence = useRef(0);
  // At most one fetch in flight: a view that settles meanwhile waits for it and then asks once
  // (only the latest waiting view is kept). Without this, a drag over a large case queued one
  // slow query per settle on the backend, and each answer arrived later than the last.
  const busy = useRef(false);
  const waiting = useRef<(() => void) | null>(null);
  const answered = useRef<Answered | null>(null);
  const tileCache = useRef(new DensityTileCache());
  const eventCache = useRef(new EventTileCache());
  // Cached tiles and the last answer belong to one filter: a new one starts afresh.
  const filterKey = filter?.key ?? '';
  const cachedFor = useRef(filterKey);
  if (cachedFor.current !== filterKey) {
    cachedFor.current = filterKey;
    tileCache.current = new DensityTileCache();
    eventCache.current = new EventTileCache();
    answered.current = null;
  }
  const filterValue = useRef(filter?.value);
  filterValue.current = filter?.value;

  useEffect(() => {
    if (!view || widthPx <= 0 || !laneIds) return;
    if (cachedFor.current !== filterKey) {
      cachedFor.current = filterKey;
      answered.current = null;
      tileCache.current = new DensityTileCache();
      eventCache.current = new EventTileCache();
    }
    const mine = ++sequence.current;
    const current = () => mine === sequence.current;
    const lanes = new Set(laneIds);
    const show = (data: TimelineData) => {
      answered.current = { data, view, lanes, dataVersion };
      setState({ data, loading: false, error: null });
    };
    // What this view's requests already said: its tiles, or the view itself, hold too many
    // events (so neither is asked twice when density is tried next).
    let tilesTooMany = false;
    let viewTooMany = false;
    const events = async (): Promise<boolean> => {
      if (viewTooMany) return false;
      // The view's event tiles first (a pan asks only for what it exposes); their answer's range
      // is kept as the data's view, so a later view inside it asks nothing.
      const tiled = tilesTooMany ? null : await eventsOfTiles(api, eventCache.current, view, laneIds, dataVersion, filterValue.current);
      if (!current()) return true;
      tilesTooMany = tiled === null;
      if (tiled) {
        // More than the draw limit in the view itself (a pan into a busy stretch): density.
        viewTooMany = eventsIn({ ...tiled.range, lanes, events: tiled.events }, view).length > EVENT_DRAW_LIMIT;
        if (viewTooMany) return false;
        show({ mode: 'events', view: tiled.range, events: tiled.events });
        return true;
      }
      const detail = await api.timelineEvents({
        from_us: Math.floor(view.from_us),
        to_us: Math.ceil(view.to_us),
        limit: EVENT_DRAW_LIMIT,
        lane_ids: laneIds,
        ...(filterValue.current ? { filter: filterValue.current } : {}),
      });
      if (!current()) return true;
      viewTooMany = detail.truncated;
      if (detail.truncated) return false;
      show({ mode: 'events', view, events: detail.events });
      return true;
    };
    const run = async () => {
      const last = answered.current;
      // Zoomed into (or panned within) a range whose events are all here: nothing to ask.
      if (last?.data.mode === 'events' && covers(last, view, laneIds, dataVersion)) {
        show(last.data);
        return;
      }
      // Panned (or zoomed out a little) from single events: the tiles it newly needs are a part
      // of a view's span next to ones that held few enough, so they are asked for directly (a
      // density answer first would be one more request); too many, and density decides.
      const panned = last?.data.mode === 'events' && last.dataVersion === dataVersion && eventTileLengthUs(view) <= eventTileLengthUs(last.view ?? last.data.view);
      if (panned && (await events())) return;
      if (!current()) return;
      // The last density answer says this view holds few enough events: ask for them directly.
      if (last && covers(last, view, laneIds, dataVersion) && eventsWithin(last.data, view) <= EVENT_DRAW_LIMIT && (await events())) return;
      if (!current()) return;
      const response = await densityOf(api, tileCache.current, view, widthPx, laneIds, dataVersion, last === null, filterValue.current);
      if (!current()) return;
      const bucketData: TimelineData = { mode: 'buckets', view, response };
      if (eventsWithin(bucketData, view) <= EVENT_DRAW_LIMIT && (await events())) return;
      if (!current()) return;
      show(bucketData);
    };
    const start = () => {
      if (!current()) return;
      if (busy.current) {
        waiting.current = start;
        return;
      }
      busy.current = true;
      run()
        .catch((error: unknown) => {
          if (current()) setState((previous) => ({ ...previous, loading: false, error: error instanceof Error ? error.message : String(error) }));
        })
        .finally(() => {
          busy.current = false;
          const next = waiting.current;
          waiting.current = null;
          next?.();
        });
    };
    // The first view is asked for at once; later ones once the gesture has settled.
    const timer = setTimeout(
      () => {
        setState((previous) => ({ ...previous, loading: true }));
        start();
      },
      answered.current ? SETTLE_MS : 0,
    );
    return () => clearTimeout(timer);
  }, [api, view, widthPx, dataVersion, laneIds, filterKey]);

  return state;
}
