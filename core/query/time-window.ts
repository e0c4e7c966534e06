// The first rows of a filtered listing in time order, read from the start (or, newest first, the
// end) of the case's time span before the whole of it. DuckDB answers `WHERE <filter> ORDER BY
// ts_us LIMIT n` by testing the filter on every row when the filter is pushed into the scan (an
// IN list of the values a free text matched: `tag_42` at 10 M events, ~350 ms), where the same
// query bounded to a time window skips the row groups outside it by their zone maps (captures are
// stored in time order: ~20 ms for 1/8 of the span). Exact, not an estimate: when the window
// holds at least offset + limit matching rows, every row outside it comes later (its ts_us is
// beyond the bound), so the window's first rows are the listing's first rows.
import type { CaseStore } from '../store/case-store.ts';
import { sql, type Sql } from '../store/sql.ts';
import { idsOf } from './rows-by-id.ts';

/** Windows tried, as shares of the case's span, when nothing says how dense the matches are. */
const BLIND_SHARES = [1 / 32, 1 / 4];
/** With a known count: a window expected to hold this many times the rows needed. */
const HEADROOM = 2.5;
/** Beyond this share of the span, the window saves too little: the plain query runs. */
const MAX_SHARE = 0.5;
/** Pages reaching further than this many rows into the listing use the plain query. */
export const TIME_WINDOW_MAX_ROWS = 5_000;

export interface TimeSpan {
  min: number;
  max: number;
}

/** The case's first and last ts_us, or null when it has no events. */
export async function caseTimeSpan(store: CaseStore): Promise<TimeSpan | null> {
  const row = await store.read.one(sql`SELECT min(ts_us) AS lo, max(ts_us) AS hi FROM event_rows`, { lo: 'num?', hi: 'num?' });
  return row && row.lo !== null && row.hi !== null ? { min: row.lo, max: row.hi } : null;
}

/** The shares of the span to try, in order: from the matching count when known, else BLIND_SHARES. */
export function windowShares(need: number, matching: number | null): number[] {
  if (matching === null) return BLIND_SHARES;
  if (matching <= need) return [];
  const share = (HEADROOM * need) / matching;
  return share <= MAX_SHARE ? [share] : [];
}

/**
 * Ids [offset, offset+limit) of the listing `where` ordered by `order` (ts_us, then event_id, in
 * the direction `desc`), read from windows at the span's start (end when `desc`); null when no
 * window held enough rows (the caller runs the plain query).
 */
export async function idsFromTimeWindows(
  store: CaseStore,
  request: { where: Sql; order: Sql; desc: boolean; offset: number; limit: number; span: TimeSpan; shares: number[] },
): Promise<number[] | null> {
  const { where, order, desc, offset, limit, span } = request;
  const length = span.max - span.min + 1;
  for (const share of request.shares) {
    const width = Math.ceil(length * share);
    const bound = desc ? sql`e.ts_us >= ${span.max - width}` : sql`e.ts_us <= ${span.min + width}`;
    const ids = await idsOf(store, sql`SELECT e.event_id FROM event_rows e WHERE ${where} AND ${bound} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`);
    // A full page means the window held offset + limit rows: the listing's own first ones.
    if (ids.length === limit) return ids;
  }
  return null;
}
