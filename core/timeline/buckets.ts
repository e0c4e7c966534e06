// Level of detail for the timeline: event counts per lane per time bucket. The bucket width is
// rounded UP to a power of two µs and bucket starts are multiples of it, so a small pan or a
// zoom by two asks for buckets the renderer already holds. The range is [from_us, to_us).
import type { BucketRequest, BucketResponse, EventFilter, LaneBuckets } from '../api.ts';
import type { CaseStore } from '../store/case-store.ts';
import { joinSql, sql, type Sql } from '../store/sql.ts';
import { filterKey, filterToSql } from '../query/event-filter.ts';
import { apiLaneId, sourceLaneId } from './lane-id.ts';
import { laneIdsToSql } from './lane-filter.ts';
import { bucketsFromIndex } from './lane-index.ts';
import { SUMMARY_SHIFTS, summaryLevelTable } from './summary.ts';

/** More buckets than this per lane is never useful on a screen; the width grows instead. */
export const MAX_BUCKETS = 1 << 16;

/** Smallest power of two ≥ `us` (and ≥ 1). */
export function roundUpToPowerOfTwo(us: number): number {
  let width = 1;
  while (width < us) width *= 2;
  return width;
}

/** Start of the bucket holding `ts` (floor, also for times before 1970). */
export function bucketStart(ts: number, width: number): number {
  return ts - (((ts % width) + width) % width);
}

export function bucketWidthFor(request: Pick<BucketRequest, 'from_us' | 'to_us' | 'bucket_us'>): number {
  const span = Math.max(1, request.to_us - request.from_us);
  return roundUpToPowerOfTwo(Math.max(request.bucket_us, Math.ceil(span / MAX_BUCKETS)));
}

// The query groups by the raw lane columns (not the lane id string, which would be built for
// every row) and returns ONE row per lane with its entries as one JSON list: a zoomed-out view of a
// 5M-event case has ~350 000 non-empty buckets, and reading those as row objects cost seconds.
// An entry is one (bucket, category) count of one part (a summary level or the events); entries
// of one bucket are merged here, not in SQL: each aggregation DuckDB runs costs ~5 ms however few
// its rows, and the merge used to take two more of them.
const BUCKET_SPEC = {
  is_api: 'bool',
  host: 'str?',
  pid: 'num?',
  capture_id: 'num?',
  kind: 'str?',
  entries: 'str',
} as const;

/** One entry of a lane: bucket start, events, failed calls, category. */
export interface BucketEntry {
  b: number;
  n: number;
  f: number;
  c: string;
}

/** Requests being answered, per case: an identical request (the overview strip and the main
 * timeline both ask for the whole case on opening) shares the running query instead of
 * queueing a second one on the same connection. Nothing is kept once it is answered. */
const running = new WeakMap<CaseStore, Map<string, Promise<BucketResponse>>>();

/**
 * `options.summary: false` always counts from the events with SQL (tests compare both ways);
 * otherwise lanes held in the in-memory lane index (lane-index.ts) are counted there.
 */
export function laneBuckets(store: CaseStore, request: BucketRequest, options: { summary?: boolean } = {}): Promise<BucketResponse> {
  const useSummary = options.summary ?? true;
  const key = JSON.stringify([
    request.from_us,
    request.to_us,
    bucketWidthFor(request),
    filterKey(request.filter),
    request.lane_ids ?? null,
    request.total_only ?? false,
    useSummary,
  ]);
  let mine = running.get(store);
  if (!mine) running.set(store, (mine = new Map()));
  const pending = mine.get(key);
  if (pending) return pending;
  const answer = (useSummary ? fromIndexOrSql(store, request) : queryBuckets(store, request, false)).finally(() => mine.delete(key));
  mine.set(key, answer);
  return answer;
}

async function fromIndexOrSql(store: CaseStore, request: BucketRequest): Promise<BucketResponse> {
  const { answer } = await bucketsFromIndex(store, request, bucketWidthFor(request));
  return answer ?? queryBuckets(store, request, true);
}

/** Filters the summary can answer: lanes, captures, kinds, hosts, pids (and time); it has no
 * op, category (beyond the dominant one), process, text or error detail. */
function summaryCanAnswer(filter: EventFilter | undefined): boolean {
  if (!filter) return true;
  const emptyList = (v: unknown[] | undefined) => v === undefined || v.length === 0;
  return emptyList(filter.ops) && emptyList(filter.categories) && !filter.process && !filter.text && !filter.failed_only && !filter.tag;
}

async function queryBuckets(store: CaseStore, request: BucketRequest, useSummary: boolean): Promise<BucketResponse> {
  const width = bucketWidthFor(request);
  // The time range is [lo, hi): the request's range narrowed by the filter's (inclusive) one.
  const f = request.filter;
  const lo = Math.max(request.from_us, f?.from_us ?? Number.NEGATIVE_INFINITY);
  const hi = Math.min(request.to_us, f?.to_us !== undefined ? f.to_us + 1 : Number.POSITIVE_INFINITY);
  if (hi <= lo || (request.lane_ids && request.lane_ids.length === 0)) return { bucket_us: width, lanes: [] };
  const rest = filterToSql(f ? { ...f, from_us: undefined, to_us: undefined } : undefined);
  const where = request.lane_ids ? sql`${rest} AND ${laneIdsToSql(request.lane_ids)}` : rest;
  // The width is cast: an untyped parameter in the modulo made the whole query ~4x slower.
  const w = sql`CAST(${width} AS BIGINT)`;
  const laneColumns = request.total_only
    ? sql`false AS is_api, CAST(NULL AS VARCHAR) AS host, CAST(NULL AS INTEGER) AS pid, CAST(NULL AS INTEGER) AS capture_id, CAST(NULL AS VARCHAR) AS kind`
    : sql`e.kind = 'api' AS is_api,
          CASE WHEN e.kind = 'api' THEN coalesce(e.host, '') END AS host,
          CASE WHEN e.kind = 'api' THEN e.pid END AS pid,
          CASE WHEN e.kind <> 'api' THEN e.capture_id END AS capture_id,
          CASE WHEN e.kind <> 'api' THEN e.kind END AS kind`;
  const fromEvents = (a: number, b: number) =>
    sql`SELECT ${laneColumns}, e.ts_us - (((e.ts_us % ${w}) + ${w}) % ${w}) AS bucket, e.category,
               count(*) AS n, count(*) FILTER (WHERE e.error IS NOT NULL AND e.error <> '') AS failed
        FROM event_rows e WHERE e.ts_us >= ${a} AND e.ts_us < ${b} AND ${where}
        GROUP BY ALL`;
  // Zoomed out, whole buckets of the coarsest summary level not wider than `width` come from
  // that level; the partial ones at the two ends of the range from the next finer level, and so
  // on down to the events (each end less than 2^20 µs of them). Every level's buckets nest in
  // `width`'s, so re-bucketing them to `width` is exact.
  const fromLevel = (shift: number, a: number, b: number) =>
    sql`SELECT ${laneColumns}, e.bucket_start_us - (((e.bucket_start_us % ${w}) + ${w}) % ${w}) AS bucket, e.category,
               e.events AS n, e.failed AS failed
        FROM ${summaryLevelTable(shift)} e WHERE e.bucket_start_us >= ${a} AND e.bucket_start_us < ${b} AND ${where}`;
  const levels = useSummary && summaryCanAnswer(f) ? SUMMARY_SHIFTS.filter((shift) => 2 ** shift <= width) : [];
  const parts: Sql[] = [];
  // Parts from a level finer than `width` (or all lanes added into one row) put many rows in
  // one bucket: those are summed per category in SQL first, which keeps the lists short.
  let regroup = request.total_only === true;
  const cover = (a: number, b: number, level: number): void => {
    if (a >= b) return;
    const shift = levels[level];
    if (shift === undefined) {
      parts.push(fromEvents(a, b));
      return;
    }
    const size = 2 ** shift;
    const first = bucketStart(a + size - 1, size);
    const last = bucketStart(b, size);
    if (first >= last) return cover(a, b, level - 1);
    parts.push(fromLevel(shift, first, last));
    if (size < width) regroup = true;
    cover(a, first, level - 1);
    cover(last, b, level - 1);
  };
  cover(lo, hi, levels.length - 1);
  const rows = await store.read.rows(
    sql`WITH parts AS (${joinSql(parts, ' UNION ALL ')}),
        entries AS (${regroup ? sql`SELECT is_api, host, pid, capture_id, kind, bucket, category, CAST(sum(n) AS BIGINT) AS n, CAST(sum(failed) AS BIGINT) AS failed FROM parts GROUP BY ALL` : sql`FROM parts`})
        SELECT is_api, host, pid, capture_id, kind,
               CAST(to_json(list({b: bucket, n: n, f: failed, c: category} ORDER BY bucket, category)) AS VARCHAR) AS entries
        FROM entries GROUP BY ALL`,
    BUCKET_SPEC,
  );
  const lanes: LaneBuckets[] = rows.map((r) => ({
    lane_id: request.total_only ? '' : r.is_api ? apiLaneId(r.host === '' ? null : r.host, r.pid) : sourceLaneId(r.capture_id ?? 0, r.kind ?? ''),
    ...mergeEntries(JSON.parse(r.entries) as BucketEntry[]),
  }));
  lanes.sort((a, b) => (a.lane_id < b.lane_id ? -1 : a.lane_id > b.lane_id ? 1 : 0));
  return { bucket_us: width, lanes };
}

/**
 * One lane's entries, sorted by (bucket, category), merged into one per bucket: counts and
 * failures add up; the dominant category is the one with the most events in the bucket (ties:
 * the greater name, as arg_max over (count, category) in the summary levels).
 */
export function mergeEntries(entries: readonly BucketEntry[]): Omit<LaneBuckets, 'lane_id'> {
  const out: Omit<LaneBuckets, 'lane_id'> = { starts: [], counts: [], failed: [], categories: [] };
  let i = 0;
  while (i < entries.length) {
    const start = entries[i]?.b ?? 0;
    let n = 0;
    let bad = 0;
    let best = '';
    let bestN = -1;
    // Entries of one bucket are sorted by category: sum each category's run, keep the largest.
    for (let e = entries[i]; e?.b === start; ) {
      const category = e.c;
      let runN = 0;
      for (; e?.b === start && e.c === category; e = entries[++i]) {
        runN += e.n;
        bad += e.f;
      }
      n += runN;
      if (runN > bestN || (runN === bestN && category > best)) {
        best = category;
        bestN = runN;
      }
    }
    out.starts.push(start);
    out.counts.push(n);
    out.failed.push(bad);
    out.categories.push(best);
  }
  return out;
}
