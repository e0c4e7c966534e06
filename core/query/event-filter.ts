// EventFilter → SQL WHERE condition over `event_rows e`. This is the ONLY place where an
// analyst's filter becomes SQL: every value (text, ids, names) is a bound parameter through the
// `sql` tag, so no user text ever reaches the statement text. Lists that are empty or absent
// do not restrict; `from_us` and `to_us` are both inclusive.
import { CELL_COLUMNS, type CellColumn, type EventFilter } from '../api.ts';
import { joinSql, rawSql, sql, type Sql, type SqlValue } from '../store/sql.ts';
import { parseLaneId } from '../timeline/lane-id.ts';
import { TEXT_COLUMNS, type TextMatches } from './column-values.ts';
import { ENDPOINT_SQL } from './derived-columns.ts';

export class FilterError extends Error {}

/**
 * The condition for `filter` (alias `e`); `TRUE` when nothing restricts. `text`, when given, is
 * what column-values.ts found for `filter.text`: the free-text columns' values containing it, so
 * the text becomes equality tests (the same rows: a value is in the list exactly when it contains the text).
 */
export function filterToSql(filter: EventFilter | undefined, text?: TextMatches): Sql {
  if (!filter) return sql`TRUE`;
  const conditions: Sql[] = [];
  if (filter.from_us !== undefined) conditions.push(sql`e.ts_us >= ${filter.from_us}`);
  if (filter.to_us !== undefined) conditions.push(sql`e.ts_us <= ${filter.to_us}`);
  pushIn(conditions, sql`e.capture_id`, filter.capture_ids);
  pushIn(conditions, sql`e.kind`, filter.kinds);
  pushIn(conditions, sql`e.category`, filter.categories);
  pushIn(conditions, sql`e.op`, filter.ops);
  pushIn(conditions, sql`e.host`, filter.hosts);
  pushIn(conditions, sql`e.pid`, filter.pids);
  pushIn(conditions, sql`e.level`, filter.levels);
  pushIn(conditions, sql`e.process`, filter.processes);
  pushIn(conditions, sql`e.target`, filter.targets);
  pushIn(conditions, ENDPOINT_SQL, filter.endpoints);
  if (filter.target_prefix !== undefined && filter.target_prefix !== '') conditions.push(sql`starts_with(e.target, ${filter.target_prefix})`);
  if (filter.process !== undefined && filter.process !== '') {
    conditions.push(sql`coalesce(${containsIgnoringCase(sql`e.process`, filter.process)}, FALSE)`);
  }
  if (filter.text !== undefined && filter.text !== '') conditions.push(text ? textInValues(text, filter.text) : textCondition(filter.text));
  if (filter.failed_only) conditions.push(sql`(e.error IS NOT NULL AND e.error <> '')`);
  if (filter.lane_id !== undefined) conditions.push(laneCondition(filter.lane_id));
  if (filter.pinned_only) conditions.push(sql`e.event_id IN (SELECT event_id FROM pins)`);
  for (const cell of filter.cells ?? []) {
    // IS [NOT] DISTINCT FROM: a null value means an empty cell, and excluding a value keeps the empty ones.
    const column = cellColumnSql(cell.column);
    conditions.push(cell.exclude ? sql`${column} IS DISTINCT FROM ${cell.value}` : sql`${column} IS NOT DISTINCT FROM ${cell.value}`);
  }
  if (filter.proc_ids && filter.proc_ids.length > 0) {
    // A process is its (capture, pid) members, each within the span that capture saw it.
    const ids = joinSql(filter.proc_ids.map((id) => sql`${id}`), ', ');
    conditions.push(
      sql`EXISTS (SELECT 1 FROM process_members m WHERE m.proc_id IN (${ids}) AND m.capture_id = e.capture_id AND m.pid = e.pid AND e.ts_us BETWEEN m.first_us AND m.last_us)`,
    );
  }
  if (filter.tag !== undefined && filter.tag.trim() !== '') conditions.push(tagCondition(filter.tag));
  return conditions.length === 0 ? sql`TRUE` : joinSql(conditions, ' AND ');
}

/** Any free-text column contains `text`, ignoring case (a scan of each). */
function textCondition(text: string): Sql {
  const columns = TEXT_COLUMNS.map((c) => rawSql(`e.${c}`));
  return sql`coalesce(${joinSql(columns.map((c) => containsIgnoringCase(c, text)), ' OR ')}, FALSE)`;
}

/** Up to this many matching values, a column is tested by equality; beyond, by ILIKE on that column alone. */
const MAX_EQUALITY_VALUES = 8;

/**
 * The same rows as textCondition, from the values known to contain the text: only the columns
 * holding a match are tested. A few values: `IS NOT NULL AND IN (…)`, plain column tests DuckDB
 * pushes into its scan (ENOENT's first page at 10 M events: ~150 ms through coalesce(…), ~10 ms
 * so). More: the column's ILIKE, which scans faster than a long IN list of long strings.
 */
function textInValues(matches: TextMatches, text: string): Sql {
  if (matches.length === 0) return sql`FALSE`;
  const tests = matches.map((m) => {
    const column = rawSql(`e.${m.column}`);
    if (m.values.length > MAX_EQUALITY_VALUES) return sql`(${column} IS NOT NULL AND ${containsIgnoringCase(column, text)})`;
    return sql`(${column} IS NOT NULL AND ${column} IN (${joinSql(m.values.map((v) => sql`${v}`), ', ')}))`;
  });
  return sql`(${joinSql(tests, ' OR ')})`;
}

/**
 * `column` contains `text`, ignoring case (NULL for a NULL column). DuckDB's ILIKE '%…%' scans
 * about twice as fast as contains(lower(…)) (no lowered copy of every value), but an ESCAPE clause
 * loses that speed. A text holding % or _ is prefiltered by ILIKE with them left as wildcards (it
 * lets through a superset: `tag_42` also lets `tagX42` through), and contains(lower(…)) checks
 * only what that let through (`tag_42` at 10 M targets: ~370 ms against ~620 ms with the old
 * prefilter on the longest plain part, `tag`, which lets most tag paths through). A backslash
 * keeps that older prefilter: DuckDB reads it literally in LIKE today, but the exact test must
 * not depend on it.
 */
export function containsIgnoringCase(column: Sql, text: string): Sql {
  const needle = text.toLowerCase();
  if (!/[%_\\]/.test(needle)) return sql`${column} ILIKE ${`%${needle}%`}`;
  const exact = sql`contains(lower(${column}), ${needle})`;
  if (!needle.includes('\\')) return sql`(${column} ILIKE ${`%${needle}%`} AND ${exact})`;
  const literal = needle.split(/[%_\\]/).reduce((a, b) => (b.length > a.length ? b : a), '');
  return literal.length >= 2 ? sql`(${column} ILIKE ${`%${literal}%`} AND ${exact})` : exact;
}

/**
 * Events an annotation with this tag (compared case-insensitively) covers: the annotated event
 * itself, and every event inside a range annotation (ts_from and ts_to inclusive).
 */
function tagCondition(tag: string): Sql {
  const wanted = tag.trim().toLowerCase();
  return sql`EXISTS (SELECT 1 FROM annotations a WHERE list_contains(list_transform(a.tags, t -> lower(t)), ${wanted})
    AND (a.event_id = e.event_id OR (a.event_id IS NULL AND e.ts_us BETWEEN epoch_us(a.ts_from) AND epoch_us(a.ts_to))))`;
}

/** True for a filter that keeps every event (it compiles to no condition at all). */
export function isEmptyFilter(filter: EventFilter | undefined): boolean {
  return filterToSql(filter).render().text === 'TRUE';
}

function pushIn(out: Sql[], column: Sql, values: readonly SqlValue[] | undefined): void {
  if (!values || values.length === 0) return;
  out.push(sql`${column} IN (${joinSql(values.map((v) => sql`${v}`), ', ')})`);
}

/** The column of a cell condition, from the fixed list only (the name is never taken from the request's text). */
function cellColumnSql(column: CellColumn): Sql {
  if (!(CELL_COLUMNS as readonly string[]).includes(column)) throw new FilterError(`not a cell column: ${JSON.stringify(String(column).slice(0, 40))}`);
  return rawSql(`e.${column}`);
}

function laneCondition(laneId: string): Sql {
  const lane = parseLaneId(laneId);
  if (!lane) throw new FilterError(`not a timeline lane id: ${JSON.stringify(laneId.slice(0, 80))}`);
  if (lane.group === 'api') {
    const pid = lane.pid === null ? sql`e.pid IS NULL` : sql`e.pid = ${lane.pid}`;
    return sql`(e.kind = 'api' AND coalesce(e.host, '') = ${lane.host ?? ''} AND ${pid})`;
  }
  return sql`(e.kind <> 'api' AND e.capture_id = ${lane.captureId} AND e.kind = ${lane.kind})`;
}

/** A stable text key for a filter (property order does not matter), for caches. */
export function filterKey(filter: EventFilter | undefined): string {
  if (!filter) return '{}';
  const entries = Object.entries(filter)
    .filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => [k, Array.isArray(v) ? [...(v as SqlValue[])].sort() : v] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(entries);
}
