// The timeline's part of the WorkbenchApi contract (core/api.ts re-exports it): lanes, density
// buckets and the events drawn one by one when zoomed in.
import type { EventFilter, StoredEvent } from '../api.ts';

/** A horizontal lane of the timeline. */
export interface Lane {
  /** "api:<host>:<pid>" for a process's API calls, "src:<capture_id>:<kind>" for other sources. */
  lane_id: string;
  host: string | null;
  group: 'api' | 'source';
  label: string;
  kind: string;
  pid: number | null;
  process: string | null;
  capture_id: number | null;
  count: number;
  first_us: number;
  last_us: number;
}

export interface BucketRequest {
  from_us: number;
  to_us: number;
  /** Bucket width; the server rounds it up to a power of two µs so small pans reuse buckets. */
  bucket_us: number;
  filter?: EventFilter;
  /** Only these lanes (Lane.lane_id), e.g. the ones in view; absent = every lane. The lanes are
   * filtered before aggregating, so asking for fewer lanes is cheaper. */
  lane_ids?: string[];
  /** One row for all (requested) lanes together, lane_id "" (the overview strip draws one row). */
  total_only?: boolean;
}

export interface LaneBuckets {
  lane_id: string;
  /** Parallel arrays: bucket start (µs), events in it, failed calls in it, dominant category. */
  starts: number[];
  counts: number[];
  failed: number[];
  categories: string[];
}

export interface BucketResponse {
  bucket_us: number;
  lanes: LaneBuckets[];
}

export interface TimelineEventsRequest {
  from_us: number;
  to_us: number;
  limit: number;
  filter?: EventFilter;
  /** Only events of these lanes (Lane.lane_id); absent = every lane. */
  lane_ids?: string[];
  /** Answer in `columns` (compact: about a quarter of the JSON) instead of `events`. */
  columns?: boolean;
}

/**
 * An event as the timeline draws and labels it: no args, ret, fields or raw time (the selected
 * event is fetched whole). A zoomed-in answer of 20,000 events is about half the size this way.
 */
export type TimelineEvent = Pick<
  StoredEvent,
  'event_id' | 'capture_id' | 'ts_us' | 'dur_us' | 'host' | 'pid' | 'tid' | 'process' | 'kind' | 'op' | 'category' | 'target' | 'error'
>;

export interface TimelineEventsResponse {
  events: TimelineEvent[];
  /** True when more events fall in the range than `limit`: draw buckets instead. */
  truncated: boolean;
  /** The same events as columns, when the request asked for them (`events` is then empty). */
  columns?: TimelineEventColumns;
}

/**
 * Timeline events as columns, index i of every array being one event: no field names repeated
 * per event, every text once, times as small offsets. Decoded by the renderer (event-columns.ts).
 */
export interface TimelineEventColumns {
  /** ts_us of event i is base_us + ts_offset_us[i]. */
  base_us: number;
  ts_offset_us: number[];
  event_id: number[];
  capture_id: number[];
  dur_us: (number | null)[];
  pid: (number | null)[];
  tid: (number | null)[];
  /** Every distinct text of the answer once; the text columns below hold indexes into it, -1 for null. */
  strings: string[];
  host: number[];
  process: number[];
  kind: number[];
  op: number[];
  category: number[];
  target: number[];
  error: number[];
}
