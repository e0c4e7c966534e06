// The timeline's summary level: per capture, lane columns (kind, host, pid) and 2^20 µs bucket
// (≈ 1.05 s), the number of events, of failed ones, and the dominant category. Counts re-add
// exactly; the category of a wider bucket is that of its 2^20 µs part with the most events
// (which may differ from counting every event's category when categories are mixed). Zoomed-out bucket requests
// (width ≥ 2^20 µs) re-aggregate it instead of scanning every event (buckets.ts). It is filled
// per capture at import (capture-writer.ts, inside the import transaction), rebuilt for a
// capture when its clock offset changes (case/align.ts) and filled for older cases by
// migration 3 (the same SELECT, over all captures).
import { rawSql, sql, type Sql } from '../store/sql.ts';

export const SUMMARY_BUCKET_US = 1 << 20;
const SUMMARY_SHIFT = 20;

/**
 * Coarser levels above lane_summary, in lane_summary_coarse (migration 5), each 4× the width of
 * the one below and made from it: 2^22 µs (≈ 4.2 s), 2^24 (≈ 16.8 s), 2^26 (≈ 67 s). A view of
 * hours reads ~16–64× fewer rows than from the 2^20 level (whole-case views on opening, wide
 * pans). Same rule for the dominant category: that of the busiest part one level down.
 */
export const COARSE_SHIFTS = [22, 24, 26] as const;

/** Every summary level, finest first: lane_summary (2^20) then the coarse ones. */
export const SUMMARY_SHIFTS: readonly number[] = [SUMMARY_SHIFT, ...COARSE_SHIFTS];

/** The rows of one summary level, as a FROM item with lane_summary's columns. */
export function summaryLevelTable(shift: number): Sql {
  if (shift === SUMMARY_SHIFT) return rawSql('lane_summary');
  if (!(COARSE_SHIFTS as readonly number[]).includes(shift)) throw new Error(`no summary level 2^${shift}`);
  // A literal, not a parameter: the shift picks the level and must prune like a constant.
  return rawSql(`(SELECT capture_id, kind, host, pid, bucket_start_us, events, failed, category FROM lane_summary_coarse WHERE bucket_shift = ${shift})`);
}

/** INSERT … SELECT filling one coarse level for one capture (or every capture) from the level below. */
export function fillCoarseLevelSql(shift: number, captureId: number | null): Sql {
  const below = SUMMARY_SHIFTS[SUMMARY_SHIFTS.indexOf(shift) - 1];
  if (below === undefined || !(COARSE_SHIFTS as readonly number[]).includes(shift)) throw new Error(`no coarse summary level 2^${shift}`);
  const width = rawSql(`CAST(${2 ** shift} AS BIGINT)`);
  const which = captureId === null ? sql`TRUE` : sql`s.capture_id = ${captureId}`;
  return sql`INSERT INTO lane_summary_coarse
    SELECT ${rawSql(String(shift))}, s.capture_id, s.kind, s.host, s.pid,
           s.bucket_start_us - (((s.bucket_start_us % ${width}) + ${width}) % ${width}) AS bucket,
           CAST(sum(s.events) AS BIGINT), CAST(sum(s.failed) AS BIGINT), arg_max(s.category, (s.events, s.category))
    FROM ${summaryLevelTable(below)} s WHERE ${which}
    GROUP BY ALL ORDER BY s.kind, s.host, s.pid, s.capture_id, bucket`;
}


/** INSERT … SELECT filling lane_summary for one capture from its event rows (same as migration 3). */
function fillLaneSummarySql(captureId: number): Sql {
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

/** Statements filling every summary for a newly imported capture (levels finest first). */
export function fillSummariesSql(captureId: number): Sql[] {
  return [fillLaneSummarySql(captureId), ...COARSE_SHIFTS.map((shift) => fillCoarseLevelSql(shift, captureId)), fillCaptureLanesSql(captureId)];
}

/** Replaces one capture's summary rows (after its times changed). */
export function rebuildLaneSummarySql(captureId: number): Sql[] {
  return [
    sql`DELETE FROM lane_summary WHERE capture_id = ${captureId}`,
    sql`DELETE FROM lane_summary_coarse WHERE capture_id = ${captureId}`,
    sql`DELETE FROM capture_lanes WHERE capture_id = ${captureId}`,
    ...fillSummariesSql(captureId),
  ];
}
