// Level of detail for the timeline: event counts per lane per time bucket. The bucket width is
// rounded UP to a power of two µs and bucket starts are multiples of it, so a small pan or a
// zoom by two asks for buckets the renderer already holds. The range is [from_us, to_us).
import type { BucketRequest, BucketResponse, LaneBuckets } from '../api.ts';
import type { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { filterToSql } from '../query/event-filter.ts';
import { LANE_ID_SQL } from './lane-id.ts';

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

export async function laneBuckets(store: CaseStore, request: BucketRequest): Promise<BucketResponse> {
  const width = bucketWidthFor(request);
  if (request.to_us <= request.from_us) return { bucket_us: width, lanes: [] };
  const rows = await store.rows(
    sql`SELECT lane_id, bucket, count(*) AS n, count(*) FILTER (WHERE failed) AS failed, mode(category) AS category
        FROM (SELECT ${LANE_ID_SQL} AS lane_id,
                     e.ts_us - (((e.ts_us % ${width}) + ${width}) % ${width}) AS bucket,
                     (e.error IS NOT NULL AND e.error <> '') AS failed, e.category
              FROM event_rows e
              WHERE e.ts_us >= ${request.from_us} AND e.ts_us < ${request.to_us} AND ${filterToSql(request.filter)})
        GROUP BY lane_id, bucket ORDER BY lane_id, bucket`,
    { lane_id: 'str', bucket: 'num', n: 'num', failed: 'num', category: 'str' },
  );
  const lanes = new Map<string, LaneBuckets>();
  for (const r of rows) {
    let lane = lanes.get(r.lane_id);
    if (!lane) {
      lane = { lane_id: r.lane_id, starts: [], counts: [], failed: [], categories: [] };
      lanes.set(r.lane_id, lane);
    }
    lane.starts.push(r.bucket);
    lane.counts.push(r.n);
    lane.failed.push(r.failed);
    lane.categories.push(r.category);
  }
  return { bucket_us: width, lanes: [...lanes.values()] };
}
