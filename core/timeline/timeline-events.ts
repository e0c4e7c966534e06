// Individual events for a zoomed-in timeline range [from_us, to_us): at most `limit`, in time
// order; `truncated` tells the renderer to draw buckets instead when there are more.
import type { TimelineEvent, TimelineEventsRequest, TimelineEventsResponse } from '../api.ts';
import type { CaseStore } from '../store/case-store.ts';
import { rawSql, sql } from '../store/sql.ts';
import { filterToSql } from '../query/event-filter.ts';
import { laneIdsToSql } from './lane-filter.ts';

const TIMELINE_EVENT_SPEC = {
  event_id: 'num',
  capture_id: 'num',
  ts_us: 'num',
  dur_us: 'num?',
  host: 'str?',
  pid: 'num?',
  tid: 'num?',
  process: 'str?',
  kind: 'str',
  op: 'str',
  category: 'str',
  target: 'str?',
  error: 'str?',
} as const;
const TIMELINE_EVENT_SELECT = rawSql(Object.keys(TIMELINE_EVENT_SPEC).map((c) => `e.${c}`).join(', '));
/** The same columns as one struct per event, for a single JSON list. */
const TIMELINE_EVENT_STRUCT = rawSql(`{${Object.keys(TIMELINE_EVENT_SPEC).map((c) => `${c}: e.${c}`).join(', ')}}`);

export async function timelineEvents(store: CaseStore, request: TimelineEventsRequest): Promise<TimelineEventsResponse> {
  if (request.to_us <= request.from_us) return { events: [], truncated: false };
  const where = sql`e.ts_us >= ${request.from_us} AND e.ts_us < ${request.to_us} AND ${filterToSql(request.filter)}
                AND ${request.lane_ids ? laneIdsToSql(request.lane_ids) : sql`TRUE`}`;
  // Count first (the time range prunes row groups by zone map, so this reads a few of them): the
  // renderer asks only when its density tiles say the range holds few enough events, and then
  // the list is built without the ORDER BY … LIMIT top-N, which cost several times the scan.
  const counted = await store.read.one(sql`SELECT count(*) AS n FROM event_rows e WHERE ${where}`, { n: 'num' });
  const fits = (counted?.n ?? 0) <= request.limit;
  // One row holding the events as a JSON list: converting thousands of rows value by value
  // through the DuckDB client cost ~20 µs an event, parsing one JSON text a fraction of that.
  const answer = await store.read.one(
    fits
      ? sql`SELECT CAST(coalesce(to_json(list(${TIMELINE_EVENT_STRUCT} ORDER BY e.ts_us, e.event_id)), '[]') AS VARCHAR) AS events
            FROM event_rows e WHERE ${where}`
      : sql`SELECT CAST(coalesce(to_json(list(${TIMELINE_EVENT_STRUCT} ORDER BY e.ts_us, e.event_id)), '[]') AS VARCHAR) AS events
            FROM (SELECT ${TIMELINE_EVENT_SELECT} FROM event_rows e WHERE ${where}
                  ORDER BY e.ts_us, e.event_id LIMIT ${request.limit + 1}) e`,
    { events: 'str' },
  );
  const rows = JSON.parse(answer?.events ?? '[]') as TimelineEvent[];
  const truncated = rows.length > request.limit;
  return { events: truncated ? rows.slice(0, request.limit) : rows, truncated };
}
