// A page's events in two steps: first the ids, in the listing's order (the sort reads only the
// sort column and event_id), then the rows of those ids. DuckDB's top-N carrying every column of
// every candidate row costs 5–20× the same top-N over ids alone at 10 M events (ts_us, first
// page: ~100 ms against ~5 ms). The ids of one page mostly lie in a few runs of consecutive
// event ids; each run is read as an event_id range, which the zone maps narrow to one row group.
import type { StoredEvent } from '../model/event.ts';
import type { CaseStore } from '../store/case-store.ts';
import { EVENT_SELECT, readEvents } from '../store/event-rows.ts';
import { joinSql, sql, type Sql } from '../store/sql.ts';

/** Ids further apart than this start a new run. */
const RUN_GAP = 2_048;
/** Above this many runs, one IN list over the ids is read instead (each range is a query part). */
const MAX_RUNS = 8;
/**
 * How the rows of `ids` (sorted) are found: through the event id index when the case has it
 * (event-id-index.ts) and they lie so far apart that fetching each row on its own (~0.17 ms a row,
 * measured at 10 M events) costs less than scanning their span (~0.045 ms per thousand rows), else
 * by that scan. DuckDB takes the index for any IN list of constants on the column; a list given as
 * a subquery is joined by hash and never looked up in it. Without the index both are the scan.
 */
const SPAN_PER_ID_FOR_INDEX = 4_000;
/**
 * Ids that fill at least half their span are read as the whole span, the rows not asked for
 * dropped here: a plain range read skips the membership test (a page of consecutive events,
 * 10 M events: ~6.5 ms against ~10.5 ms with it).
 */
const DENSE_SHARE = 0.5;

function ofIds(ids: readonly number[]): Sql {
  const first = ids[0] ?? 0;
  const last = ids.at(-1) ?? 0;
  if (ids.length >= DENSE_SHARE * (last - first + 1)) return sql`e.event_id BETWEEN ${first} AND ${last}`;
  const list = joinSql(ids.map((id) => sql`${id}`), ', ');
  return last - first > SPAN_PER_ID_FOR_INDEX * ids.length
    ? sql`e.event_id BETWEEN ${first} AND ${last} AND e.event_id IN (${list})`
    : sql`e.event_id BETWEEN ${first} AND ${last} AND e.event_id IN (SELECT unnest([${list}]))`;
}

/** Runs [first, last] of sorted ids, ids within RUN_GAP of each other in one run. Pure, for tests. */
export function idRuns(sortedIds: readonly number[]): number[][] {
  const runs: number[][] = [];
  for (const id of sortedIds) {
    const run = runs.at(-1);
    if (run && id - (run.at(-1) ?? id) <= RUN_GAP) run.push(id);
    else runs.push([id]);
  }
  return runs;
}

/** The ids `idQuery` (one column, event_id) selects, in its order. */
export async function idsOf(store: CaseStore, idQuery: Sql): Promise<number[]> {
  return (await store.read.rows(idQuery, { event_id: 'num' })).map((r) => r.event_id);
}

/** The events of `ids`, in that order (ids without an event are left out). */
export async function readRowsByIds(store: CaseStore, ids: readonly number[]): Promise<StoredEvent[]> {
  if (ids.length === 0) return [];
  const sorted = [...ids].sort((a, b) => a - b);
  const runs = idRuns(sorted);
  // Scattered ids: one list, inside the ids' span so that the zone maps skip the row groups
  // beyond it (a list alone tests every row's id; the 200 ids of a page sorted by a column
  // of rare values often lie in a few percent of the case).
  const rows =
    runs.length <= MAX_RUNS
      ? await readEvents(store.read, joinSql(runs.map((run) => sql`SELECT ${EVENT_SELECT} FROM event_rows e WHERE ${ofIds(run)}`), ' UNION ALL '))
      : await readEvents(store.read, sql`SELECT ${EVENT_SELECT} FROM event_rows e WHERE ${ofIds(sorted)}`);
  const byId = new Map(rows.map((r) => [r.event_id, r]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [row] : [];
  });
}
