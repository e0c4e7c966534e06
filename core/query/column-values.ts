// Each capture's distinct values per listed column, with how many of its events hold each
// (migration 18), filled when the capture is committed (capture-writer.ts). Two reads over 10 M
// events answer from it instead of a scan of every event:
//   - the value histogram a table page sorted by a column is cut from (sorted-by-value.ts), when
//     the filter restricts nothing but captures;
//   - which values of the free-text columns contain a text (a substring test over the few hundred
//     thousand distinct values instead of 10 M), so the filter becomes equality tests that DuckDB
//     pushes into its scan, and, when one column holds every match, the count is a sum of counts.
// A case whose captures are not all listed (made before migration 18 and opened read-only, or a
// Parquet dataset) gets null from every read here, and the callers scan the events as before.
import type { SortableColumn } from '../api.ts';
import type { CaseStore } from '../store/case-store.ts';
import { joinSql, rawSql, sql, type Sql } from '../store/sql.ts';

/** Numeric columns kept (as DOUBLE, exact for pid and dur_us) in num_value. */
export const NUMERIC_VALUE_COLUMNS = ['dur_us', 'pid'] as const;
/** The columns the free-text filter searches (event-filter.ts), in its order. */
export const TEXT_COLUMNS = ['op', 'target', 'args', 'ret', 'error', 'process'] as const;
/** Text columns kept in str_value: the sortable ones and the free-text ones. */
export const STRING_VALUE_COLUMNS = ['process', 'kind', 'level', 'op', 'category', 'target', 'host', 'args', 'ret', 'error'] as const;

export type TextColumn = (typeof TEXT_COLUMNS)[number];
type ValueColumn = (typeof NUMERIC_VALUE_COLUMNS)[number] | (typeof STRING_VALUE_COLUMNS)[number];

/**
 * The free-text columns' values that contain a text; columns without a match are left out.
 * `events`: per capture, how many of its events hold one of the column's values (so a count by
 * one column needs no second read).
 */
export type TextMatches = { column: TextColumn; values: string[]; events: Map<number, number> }[];

/** Above this many matching values in all, the filter scans with ILIKE instead (a long IN list is slower). */
export const MAX_TEXT_MATCHES = 2_000;

function isNumeric(column: string): boolean {
  return (NUMERIC_VALUE_COLUMNS as readonly string[]).includes(column);
}

/** INSERT … SELECT filling column_values for one capture (and noting it in column_values_captures). */
export function fillColumnValuesSql(captureId: number): Sql[] {
  return fillSql(sql`capture_id = ${captureId}`);
}

/** The same for every capture (migration 18 fills cases made before it). */
export function fillAllColumnValuesSql(): string[] {
  return fillSql(rawSql('TRUE')).map((s) => s.render().text);
}

function fillSql(where: Sql): Sql[] {
  const groups = [...NUMERIC_VALUE_COLUMNS, ...STRING_VALUE_COLUMNS].map((column) => {
    const c = rawSql(column);
    const name = rawSql(`'${column}'`);
    const [str, num] = isNumeric(column) ? [sql`NULL::VARCHAR`, sql`CAST(${c} AS DOUBLE)`] : [c, sql`NULL::DOUBLE`];
    return sql`SELECT capture_id, ${name} AS col, ${str} AS str_value, ${num} AS num_value, count(*) AS n
               FROM event_rows WHERE ${where} GROUP BY capture_id, ${c}`;
  });
  return [
    sql`INSERT INTO column_values ${joinSql(groups, ' UNION ALL ')}`,
    sql`INSERT INTO column_values_captures SELECT capture_id, events FROM captures WHERE ${where}`,
  ];
}

/** True when every capture's values are listed (with the event count it has now). */
export async function columnValuesComplete(store: CaseStore): Promise<boolean> {
  const row = await store.read.one(
    sql`SELECT count(*) AS n FROM captures c LEFT JOIN column_values_captures v USING (capture_id)
        WHERE v.capture_id IS NULL OR v.events <> c.events`,
    { n: 'num' },
  ).catch(() => null); // no such table: a case made before migration 18, opened read-only
  return row?.n === 0;
}

/**
 * Count per value of `column` over the given captures (all when undefined), ascending, NULL last;
 * null when it has more than `maxDistinct` values. The caller checks columnValuesComplete first.
 */
export async function listedHistogram(
  store: CaseStore,
  column: SortableColumn,
  captureIds: readonly number[] | undefined,
  maxDistinct: number,
): Promise<{ values: (string | number | null)[]; counts: number[] } | null> {
  return (await listedHistograms(store, [column], captureIds, maxDistinct)).get(column) ?? null;
}

/**
 * listedHistogram for several columns in one read of column_values (a scan of it per column costs
 * about as much as one for all): per column, the count per value ascending, NULL last; a column
 * with more than `maxDistinct` values is left out.
 */
export async function listedHistograms(
  store: CaseStore,
  columns: readonly SortableColumn[],
  captureIds: readonly number[] | undefined,
  maxDistinct: number,
): Promise<Map<SortableColumn, { values: (string | number | null)[]; counts: number[] }>> {
  const inCaptures = captureIds && captureIds.length > 0 ? sql`AND capture_id IN (${joinSql(captureIds.map((id) => sql`${id}`), ', ')})` : sql``;
  const names = joinSql(columns.map((c) => sql`${c as ValueColumn}`), ', ');
  // Tens of thousands of rows at 10 M events: read column by column (no object per row); the
  // sum as DOUBLE (exact: a count of events) so that it arrives as a number.
  const read = await store.read.columns(
    sql`SELECT col, str_value AS s, num_value AS x, CAST(sum(n) AS DOUBLE) AS n FROM column_values
        WHERE col IN (${names}) AND capture_id IN (SELECT capture_id FROM captures) ${inCaptures}
        GROUP BY ALL ORDER BY col, s ASC NULLS LAST, x ASC NULLS LAST`,
  );
  const [cols, strs, nums, ns] = [read['col'] ?? [], read['s'] ?? [], read['x'] ?? [], read['n'] ?? []];
  const out = new Map<SortableColumn, { values: (string | number | null)[]; counts: number[] }>();
  for (const column of columns) out.set(column, { values: [], counts: [] });
  cols.forEach((col, i) => {
    const h = out.get(col as SortableColumn);
    if (!h) return;
    const value = isNumeric(String(col)) ? nums[i] : strs[i];
    h.values.push(typeof value === 'number' || typeof value === 'string' ? value : null);
    h.counts.push(Number(ns[i]));
  });
  for (const [column, h] of out) if (h.values.length > maxDistinct) out.delete(column);
  return out;
}

/**
 * The free-text columns' listed values for which `contains(value)` holds, or null when more than
 * MAX_TEXT_MATCHES values match; with their event counts per capture. Only captures still in the
 * case count (column_values is only ever appended to; a removed capture's events are gone).
 */
export async function textMatches(store: CaseStore, contains: (column: Sql) => Sql): Promise<TextMatches | null> {
  const columns = joinSql(TEXT_COLUMNS.map((c) => sql`${c}`), ', ');
  // One row per value (LIMIT bounds a text matching half the case), its captures and counts as lists.
  const read = await store.read.columns(
    sql`SELECT col, str_value AS v, list(capture_id) AS captures, list(CAST(n AS DOUBLE)) AS events FROM column_values
        WHERE col IN (${columns}) AND str_value IS NOT NULL AND ${contains(rawSql('str_value'))}
          AND capture_id IN (SELECT capture_id FROM captures)
        GROUP BY col, str_value ORDER BY 1, 2 LIMIT ${MAX_TEXT_MATCHES + 1}`,
  );
  const [cols, values, captures, events] = [read['col'] ?? [], read['v'] ?? [], read['captures'] ?? [], read['events'] ?? []];
  if (cols.length > MAX_TEXT_MATCHES) return null;
  const out: TextMatches = [];
  for (const column of TEXT_COLUMNS) {
    const match: TextMatches[number] = { column, values: [], events: new Map() };
    cols.forEach((col, i) => {
      if (col !== column) return;
      match.values.push(String(values[i]));
      const ids = captures[i] as number[];
      (events[i] as number[]).forEach((n, k) => match.events.set(Number(ids[k]), (match.events.get(Number(ids[k])) ?? 0) + n));
    });
    if (match.values.length > 0) out.push(match);
  }
  return out;
}

/** Events of the given captures (all when undefined) holding one of a column's matched values: a sum of listed counts. */
export function matchedEvents(match: TextMatches[number], captureIds: readonly number[] | undefined): number {
  let n = 0;
  for (const [captureId, events] of match.events) if (!captureIds || captureIds.length === 0 || captureIds.includes(captureId)) n += events;
  return n;
}
