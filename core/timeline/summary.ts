// The timeline's summary level: per capture, lane columns (kind, host, pid) and 2^20 µs bucket
// (≈ 1.05 s), the number of events, of failed ones, and the dominant category. Counts re-add
// exactly; the category of a wider bucket is that of its 2^20 µs part with the most events
// (which may differ from counting every event's category when categories are mixed). Zoomed-out bucket requests
// (width ≥ 2^20 µs) re-aggregate it instead of scanning every event (buckets.ts). It is filled
// per capture at import (capture-writer.ts, inside the import transaction), rebuilt for a
// capture when its clock offset changes (case/align.ts) and filled for older cases by
// migration 3 (the same SELECT, over all captures).
import { sql, type Sql } from '../store/sql.ts';

export const SUMMARY_BUCKET_US = 1 << 20;

/** Start of the 2^20 µs bucket holding `ts` (floor). */
export function summaryBucketStart(ts: number): number {
  return ts - (((ts % SUMMARY_BUCKET_US) + SUMMARY_BUCKET_US) % SUMMARY_BUCKET_US);
}

/** INSERT … SELECT filling lane_summary for one capture from its event rows (same as migration 3). */
export function fillLaneSummarySql(captureId: number): Sql {
  return sql`INSERT INTO lane_summary
    SELECT capture_id, kind, host, pid, bucket_start_us, CAST(sum(n) AS BIGINT), CAST(sum(failed) AS BIGINT), arg_max(category, (n, category))
    FROM (SELECT e.capture_id, e.kind, e.host, e.pid,
                 e.ts_us - (((e.ts_us % CAST(1048576 AS BIGINT)) + CAST(1048576 AS BIGINT)) % CAST(1048576 AS BIGINT)) AS bucket_start_us,
                 e.category, count(*) AS n, count(*) FILTER (WHERE e.error IS NOT NULL AND e.error <> '') AS failed
          FROM event_rows e WHERE e.capture_id = ${captureId} GROUP BY ALL)
    GROUP BY ALL ORDER BY kind, host, pid, capture_id, bucket_start_us`;
}

/** INSERT … SELECT filling capture_lanes (the lane list) for one capture (same as migration 4). */
export function fillCaptureLanesSql(captureId: number): Sql {
  return sql`INSERT INTO capture_lanes
    SELECT capture_id, kind, host, pid, mode(process), count(*), min(ts_us), max(ts_us)
    FROM event_rows WHERE capture_id = ${captureId} GROUP BY capture_id, kind, host, pid`;
}

/** Statements filling both summaries for a newly imported capture. */
export function fillSummariesSql(captureId: number): Sql[] {
  return [fillLaneSummarySql(captureId), fillCaptureLanesSql(captureId)];
}

/** Replaces one capture's summary rows (after its times changed). */
export function rebuildLaneSummarySql(captureId: number): Sql[] {
  return [
    sql`DELETE FROM lane_summary WHERE capture_id = ${captureId}`,
    sql`DELETE FROM capture_lanes WHERE capture_id = ${captureId}`,
    ...fillSummariesSql(captureId),
  ];
}
