// Fetches what the main timeline draws for the current view: density buckets when zoomed out,
// single events when the range holds few enough. The last answer keeps being drawn while a new
// request is in flight, and answers to out-of-date requests are dropped (sequence numbers).
import { useEffect, useRef, useState } from 'react';
import type { WorkbenchApi } from '../../../core/api.ts';
import type { TimelineData } from './draw.ts';
import { EVENT_DRAW_LIMIT, type TimeView, bucketWidthUs } from './view.ts';

export interface TimelineDataState {
  data: TimelineData | null;
  loading: boolean;
  error: string | null;
}

/** Waits this long after the last view change before asking, so a wheel gesture is one query. */
const SETTLE_MS = 60;

export function totalCount(data: TimelineData): number {
  if (data.mode === 'events') return data.events.length;
  let total = 0;
  for (const lane of data.response.lanes) for (const count of lane.counts) total += count;
  return total;
}

/**
 * `laneIds`: the lanes to ask for (those in view plus a margin); null while the lanes are not
 * known yet (nothing is asked then). The server filters before aggregating, so the ~20 lanes on
 * screen cost a fraction of all of them.
 */
export function useTimelineData(
  api: WorkbenchApi,
  view: TimeView | null,
  widthPx: number,
  dataVersion: number,
  laneIds: string[] | null,
): TimelineDataState {
  const [state, setState] = useState<TimelineDataState>({ data: null, loading: false, error: null });
  const sequence = useRef(0);
  // At most one fetch in flight: a view that settles meanwhile waits for it and then asks once
  // (only the latest waiting view is kept). Without this, a drag over a large case queued one
  // slow query per settle on the backend, and each answer arrived later than the last.
  const busy = useRef(false);
  const waiting = useRef<(() => void) | null>(null);

  useEffect(() => {
    if (!view || widthPx <= 0 || !laneIds) return;
    const mine = ++sequence.current;
    const current = () => mine === sequence.current;
    const run = async () => {
      const response = await api.buckets({
        from_us: Math.floor(view.from_us),
        to_us: Math.ceil(view.to_us),
        bucket_us: bucketWidthUs(view, widthPx),
        lane_ids: laneIds,
      });
      if (!current()) return;
      const bucketData: TimelineData = { mode: 'buckets', view, response };
      if (totalCount(bucketData) <= EVENT_DRAW_LIMIT) {
        const detail = await api.timelineEvents({
          from_us: Math.floor(view.from_us),
          to_us: Math.ceil(view.to_us),
          limit: EVENT_DRAW_LIMIT,
          lane_ids: laneIds,
        });
        if (!current()) return;
        if (!detail.truncated) {
          setState({ data: { mode: 'events', view, events: detail.events }, loading: false, error: null });
          return;
        }
      }
      setState({ data: bucketData, loading: false, error: null });
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
    const timer = setTimeout(() => {
      setState((previous) => ({ ...previous, loading: true }));
      start();
    }, SETTLE_MS);
    return () => clearTimeout(timer);
  }, [api, view, widthPx, dataVersion, laneIds]);

  return state;
}
