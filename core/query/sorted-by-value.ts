// Table pages sorted by a column other than time. DuckDB answers `ORDER BY c, event_id LIMIT n
// OFFSET k` with a top-N over every matching row: seconds at 10 M events, for every page. A
// histogram of the column's values under the filter (count per value, in the listing's order;
// one GROUP BY, cached per filter and column) says which values hold rows [offset, offset+limit),
// and where inside each value they start. Within one value the listing is ordered by event_id,
// so each part is `c = v ORDER BY event_id LIMIT … OFFSET …`, which DuckDB's top-N answers by
// reading row groups in event_id order and skipping the ones whose zone maps rule `v` out.
import type { EventFilter, SortableColumn } from '../api.ts';
import type { CaseStore } from '../store/case-store.ts';
import type { StoredEvent } from '../model/event.ts';
import { ident, joinSql, rawSql, sql, type Sql } from '../store/sql.ts';
import { listedHistograms } from './column-values.ts';
import { filterKey } from './event-filter.ts';
import { restrictsOnly } from './filter-plan.ts';
import { idsOf, readRowsByIds } from './rows-by-id.ts';
import { remembered } from '../util/remembered.ts';

type Value = string | number | null;

/** Count per value in ascending order, NULL (if any) last. */
interface Histogram {
  values: Value[];
  counts: number[];
}

/** Columns served this way: not ts_us / event_id (their top-N already skips row groups by zone map). */
const BY_VALUE: ReadonlySet<SortableColumn> = new Set(['dur_us', 'pid', 'process', 'kind', 'level', 'op', 'category', 'target', 'host']);
const NUMERIC: ReadonlySet<SortableColumn> = new Set(['dur_us', 'pid']);
/**
 * Columns whose values are mostly few events each (durations, paths: tens of thousands of
 * values at 10 M events): their listed histograms are read alone, when a sort by them asks, so
 * that the first sort by another column does not pay for them (the others are read together).
 */
const WIDE: ReadonlySet<SortableColumn> = new Set(['dur_us', 'target']);
/** Above this many distinct values the histogram is not kept (the plain top-N is used). */
const MAX_DISTINCT = 100_000;
/**
 * The same for a histogram read from column_values (no scan of the events): dur_us has 150k
 * values at 10 M events, and its pages read value by value take a few ms where the plain top-N
 * scans the column (~150 ms idle). Bounded, with the listed histograms kept (LISTED_CACHE_LIMIT),
 * so that they stay a few tens of MB of the backend's memory at most.
 */
const LISTED_MAX_DISTINCT = 400_000;
/** A page needing more parts than this (many tiny values) uses the plain top-N. */
const MAX_PARTS = 12;
const CACHE_LIMIT = 50;
/** Capture sets whose listed histograms are kept (the table mostly shows one: all captures); each is 1 + WIDE.size reads. */
const LISTED_CACHE_LIMIT = 4;
/** A page whose values hold at most this many rows in all is read in one scan (see below). */
const RARE_ROWS = 50_000;

/** One slice of a page: rows `offset … offset+take` of the events whose column equals `value`. */
export interface ValuePart {
  value: Value;
  offset: number;
  take: number;
}

/**
 * The parts making up rows [offset, offset+limit) of a listing whose values, in listing order,
 * are `values` with `counts` (each value's rows in event_id order). Pure, for tests.
 */
export function partsFor(values: readonly Value[], counts: readonly number[], offset: number, limit: number): ValuePart[] {
  const parts: ValuePart[] = [];
  let before = 0;
  let remaining = limit;
  for (let i = 0; i < values.length && remaining > 0; i++) {
    const n = counts[i] ?? 0;
    const start = Math.max(0, offset - before);
    before += n;
    if (start >= n) continue;
    const take = Math.min(n - start, remaining);
    parts.push({ value: values[i] ?? null, offset: start, take });
    remaining -= take;
  }
  return parts;
}

/** Histograms of sortable columns per filter; clear() whenever events change (with the count cache). */
export class ValueHistogramCache {
  private readonly histograms = new Map<string, Promise<Histogram | null>>();

  /** Every column's listed histograms over whole captures, per capture filter (read together). */
  private readonly listed = new Map<string, Promise<Map<SortableColumn, Histogram>>>();

  /** The histogram of `column` under `filter`, or null when the column has too many values. */
  get(store: CaseStore, filter: Filtered, column: SortableColumn): Promise<Histogram | null> {
    // Over whole captures, the values listed per capture at import add up to the histogram
    // (column-values.ts); the first sort by a column of few values reads them for all such columns.
    if (filter.listed && restrictsOnly(filter.filter, ['capture_ids'])) return this.listedFor(store, filter.filter?.capture_ids, column).then((all) => all.get(column) ?? null);
    const key = `${column}\u0000${filterKey(filter.filter)}`;
    return remembered(this.histograms, key, () => readHistogram(store, filter, column), CACHE_LIMIT);
  }

  clear(): void {
    this.histograms.clear();
    this.listed.clear();
  }

  private listedFor(store: CaseStore, captureIds: readonly number[] | undefined, column: SortableColumn): Promise<Map<SortableColumn, Histogram>> {
    const columns = WIDE.has(column) ? [column] : [...BY_VALUE].filter((c) => !WIDE.has(c));
    const key = JSON.stringify([columns, [...(captureIds ?? [])].sort((a, b) => a - b)]);
    return remembered(this.listed, key, () => listedHistograms(store, columns, captureIds, LISTED_MAX_DISTINCT), LISTED_CACHE_LIMIT * (1 + WIDE.size));
  }
}

/** A filter with its WHERE condition (filter-plan.ts), and whether the case lists its columns' values. */
export interface Filtered {
  filter: EventFilter | undefined;
  where: Sql;
  listed: boolean;
}

async function readHistogram(store: CaseStore, filtered: Filtered, column: SortableColumn): Promise<Histogram | null> {
  const c = sql`e.${ident(column, [...BY_VALUE])}`;
  const rows = await store.read.rows(
    sql`SELECT ${c} AS v, count(*) AS n FROM event_rows e WHERE ${filtered.where}
        GROUP BY ALL ORDER BY v ASC NULLS LAST LIMIT ${MAX_DISTINCT + 1}`,
    { v: NUMERIC.has(column) ? 'num?' : 'str?', n: 'num' },
  );
  if (rows.length > MAX_DISTINCT) return null;
  return { values: rows.map((r) => r.v), counts: rows.map((r) => r.n) };
}

/** True when pages sorted by `column` are read value by value. */
export function servedByValue(column: SortableColumn): boolean {
  return BY_VALUE.has(column);
}

type ByValueRequest = Filtered & { column: SortableColumn; desc: boolean; offset: number; limit: number };

/**
 * Rows [offset, offset+limit) of the listing sorted by `column` (NULLs last, event_id breaking
 * ties in the same direction, as event-page.ts orderBy), or null when the plain query should run.
 */
export async function pageByValue(store: CaseStore, cache: ValueHistogramCache, request: ByValueRequest): Promise<StoredEvent[] | null> {
  const ids = await pageIdsByValue(store, cache, request);
  return ids && readRowsByIds(store, ids);
}

/** The event ids of pageByValue's rows, in order, or null when the plain query should run. */
export async function pageIdsByValue(store: CaseStore, cache: ValueHistogramCache, request: ByValueRequest): Promise<number[] | null> {
  const histogram = await cache.get(store, request, request.column);
  if (!histogram) return null;
  let { values, counts } = histogram;
  if (request.desc) {
    // Descending: non-NULL values reversed, NULL still last.
    const hasNull = values.length > 0 && values.at(-1) === null;
    const n = hasNull ? values.length - 1 : values.length;
    values = [...values.slice(0, n).reverse(), ...values.slice(n)];
    counts = [...counts.slice(0, n).reverse(), ...counts.slice(n)];
  }
  const parts = partsFor(values, counts, request.offset, request.limit);
  if (parts.length === 0) return [];
  if (parts.length > MAX_PARTS) return null;
  const where = request.where;
  const c = sql`e.${ident(request.column, [...BY_VALUE])}`;
  const dir = rawSql(request.desc ? 'DESC' : 'ASC');
  const is = (value: Value) => (value === null ? sql`${c} IS NULL` : sql`${c} = ${value}`);
  // Rare values (spread thinly, so a per-value top-N reads most row groups anyway): their rows
  // are one contiguous block of the listing, the values between the first and the last part's,
  // read in one scan. A range condition, because DuckDB pushes it into the scan (zone maps) where
  // an IN list or ORs of the same values run about four times slower.
  const partRows = parts.reduce((n, part) => n + (counts[values.indexOf(part.value)] ?? 0), 0);
  const first = parts[0]?.value ?? null;
  const last = parts.at(-1)?.value ?? null;
  if (parts.length > 1 && first !== null && last !== null && partRows <= RARE_ROWS) {
    const [lo, hi] = request.desc ? [last, first] : [first, last];
    return idsOf(
      store,
      sql`SELECT e.event_id FROM event_rows e WHERE ${where} AND ${c} >= ${lo} AND ${c} <= ${hi}
          ORDER BY ${c} ${dir} NULLS LAST, e.event_id ${dir} LIMIT ${request.limit} OFFSET ${parts[0]?.offset ?? 0}`,
    );
  }
  const selects = parts.map(
    (part, i) =>
      sql`SELECT * FROM (SELECT ${i} AS part_no, e.event_id FROM event_rows e
          WHERE ${where} AND ${is(part.value)}
          ORDER BY e.event_id ${dir} LIMIT ${part.take} OFFSET ${part.offset})`,
  );
  return idsOf(store, sql`SELECT event_id FROM (${joinSql(selects, ' UNION ALL ')}) ORDER BY part_no, event_id ${dir}`);
}
