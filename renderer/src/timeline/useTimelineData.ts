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

export function useTimelineData(api: WorkbenchApi, view: TimeView | null, widthPx: number, dataVersion: number): TimelineDataState {
  const [state, setState] = useState<TimelineDataState>({ data: null, loading: false, error: null });
  const sequence = useRef(0);

  useEffect(() => {
    if (!view || widthPx <= 0) return;
    const mine = ++sequence.current;
    const current = () => mine === sequence.current;
    const timer = setTimeout(() => {
      setState((previous) => ({ ...previous, loading: true }));
      const run = async () => {
        const response = await api.buckets({ from_us: Math.floor(view.from_us), to_us: Math.ceil(view.to_us), bucket_us: bucketWidthUs(view, widthPx) });
        if (!current()) return;
        const bucketData: TimelineData = { mode: 'buckets', view, response };
        if (totalCount(bucketData) <= EVENT_DRAW_LIMIT) {
          const detail = await api.timelineEvents({ from_us: Math.floor(view.from_us), to_us: Math.ceil(view.to_us), limit: EVENT_DRAW_LIMIT });
          if (!current()) return;
          if (!detail.truncated) {
            setState({ data: { mode: 'events', view, events: detail.events }, loading: false, error: null });
            return;
          }
        }
        setState({ data: bucketData, loading: false, error: null });
      };
      run().catch((error: unknown) => {
        if (current()) setState((previous) => ({ ...previous, loading: false, error: error instanceof Error ? error.message : String(error) }));
      });
    }, SETTLE_MS);
    return () => clearTimeout(timer);
  }, [api, view, widthPx, dataVersion]);

  return state;
}
