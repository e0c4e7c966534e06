// Windows of the filtered, sorted event listing for the table: a page by offset with the total,
// and the row index of one event (to scroll the table to it). Sorting is on an allow-listed
// column with event_id as the tie-breaker, so the order is total and stable between pages.
// count(*) per filter is cached until the case's events change (import, alignment).
import { SORTABLE_COLUMNS, type EventFilter, type EventPage, type EventPageRequest, type SortableColumn } from '../api.ts';
import type { StoredEvent } from '../model/event.ts';
import type { CaseStore } from '../store/case-store.ts';
import { ident, joinSql, rawSql, sql, type Sql } from '../store/sql.ts';
import { filterKey, filterToSql, isEmptyFilter } from './event-filter.ts';
import { FilterPlanner, restrictsOnly, type FilterPlan } from './filter-plan.ts';
import { PageIdWindows } from './page-windows.ts';
import { idsOf, readRowsByIds } from './rows-by-id.ts';
import { pageIdsByValue, servedByValue, ValueHistogramCache } from './sorted-by-value.ts';
import { keyedPageIds, keyedValueIds, pageRanges, readKeyedHistogram, type KeyedHistogram } from './keyed-pages.ts';
import { matchedEvents } from './column-values.ts';
import { remembered } from '../util/remembered.ts';
import { isKeyedColumn, KEYED_COLUMNS, keyedCaptures, type KeyedColumn } from './sort-keys.ts';
import { caseTimeSpan, idsFromTimeWindows, TIME_WINDOW_MAX_ROWS, windowShares, type TimeSpan } from './time-window.ts';

export type EventSort = NonNullable<EventPageRequest['sort']>;

const DEFAULT_SORT: EventSort = { column: 'ts_us', desc: false };
/** A free text matching at most this many events of a keyed column is read through the sort keys. */
const KEYED_MATCH_MAX = 5_000;
const COUNT_CACHE_LIMIT = 200;

/**
 * Remembers count(*) per filter, and the value histograms that pages sorted by a column other
 * than time are read by (sorted-by-value.ts). Call `clear()` whenever events are added, removed or moved.
 */
export class EventCountCache {
  /** Counts per filter key; a count being read is shared by whoever asks meanwhile. */
  private readonly counts = new Map<string, Promise<number>>();
  private readonly span = new Map<string, Promise<TimeSpan | null>>();
  readonly histograms = new ValueHistogramCache();
  /** Filters' WHERE conditions, a free text's matching values looked up once (filter-plan.ts). */
  readonly plans = new FilterPlanner();
  /** Ids of the next pages, read with the one asked for (page-windows.ts). */
  readonly windows = new PageIdWindows();
  /** Keyed columns' histograms per capture set (keyed-pages.ts); null where not all are keyed. */
  private readonly keyed = new Map<string, Promise<KeyedHistogram | null>>();

  /** The keyed histogram of `col` over `captureIds` (all when undefined), or null when a capture is not keyed. */
  keyedHistogram(store: CaseStore, col: KeyedColumn, captureIds: readonly number[] | undefined): Promise<KeyedHistogram | null> {
    const key = `${col} ${[...(captureIds ?? [])].sort((a, b) => a - b).join(',')}`;
    const read = async () => {
      const captures = await keyedCaptures(store, col, captureIds);
      return captures && readKeyedHistogram(store, col, captures);
    };
    return remembered(this.keyed, key, read, COUNT_CACHE_LIMIT);
  }

  /**
   * Reads the keyed columns' histograms over all captures ahead of the first sort by them (they
   * hold tens of thousands of values at 10 M events: ~50–80 ms each). Run when the keys are built.
   */
  async warmKeyed(store: CaseStore): Promise<void> {
    for (const col of KEYED_COLUMNS) {
      const histogram = await this.keyedHistogram(store, col, undefined);
      // Its listings in both directions too (prefix sums over every value: ~10 ms at 10 M events).
      if (histogram) for (const desc of [false, true]) pageRanges(histogram, desc, 0, 1);
    }
  }

  /** Forgets which captures are keyed (a background build keyed another one). */
  keysChanged(): void {
    this.keyed.clear();
    this.windows.clear();
  }

  count(store: CaseStore, filter: EventFilter | undefined): Promise<number> {
    return remembered(this.counts, filterKey(filter), () => this.countOf(store, filter), COUNT_CACHE_LIMIT);
  }

  /**
   * The count of `filter` when it costs no scan of the events (already counted or being
   * counted, or answered by the listed values), else null.
   */
  async cheapCount(store: CaseStore, filter: EventFilter | undefined): Promise<number | null> {
    const known = this.counts.get(filterKey(filter));
    if (known) return known;
    const plan = await this.plans.plan(store, filter);
    return answeredByListedValues(plan, filter) ? this.count(store, filter) : null;
  }

  /** The case's first and last ts_us (time-window.ts), read once until events change. */
  timeSpan(store: CaseStore): Promise<TimeSpan | null> {
    return remembered(this.span, 'case', () => caseTimeSpan(store), 1);
  }

  clear(): void {
    this.counts.clear();
    this.span.clear();
    this.keyed.clear();
    this.histograms.clear();
    this.plans.clear();
    this.windows.clear();
  }

  private async countOf(store: CaseStore, filter: EventFilter | undefined): Promise<number> {
    // Unfiltered, the lane list kept with each capture knows the total without a scan.
    if (isEmptyFilter(filter)) {
      const row = await store.read.one(sql`SELECT CAST(coalesce(sum(events), 0) AS BIGINT) AS n FROM capture_lanes`, { n: 'num' });
      return row?.n ?? 0;
    }
    const plan = await this.plans.plan(store, filter);
    if (answeredByListedValues(plan, filter)) {
      const [match] = plan.text ?? [];
      return match ? matchedEvents(match, filter?.capture_ids) : 0;
    }
    const row = await store.read.one(sql`SELECT count(*) AS n FROM event_rows e WHERE ${plan.where}`, { n: 'num' });
    return row?.n ?? 0;
  }
}

/**
 * A free text matching in one column at most (and nothing else but captures): its values part
 * that column's events, so the count is the sum of their listed counts.
 */
function answeredByListedValues(plan: FilterPlan, filter: EventFilter | undefined): boolean {
  return plan.text !== null && plan.text.length <= 1 && restrictsOnly(filter, ['text', 'capture_ids']);
}

function column(sort: EventSort): Sql {
  return ident<SortableColumn>(sort.column, SORTABLE_COLUMNS);
}

/** ORDER BY for a sort: NULLs last in both directions, event_id breaking ties in the same direction. */
export function orderBy(sort: EventSort = DEFAULT_SORT): Sql {
  const dir = rawSql(sort.desc ? 'DESC' : 'ASC');
  if (sort.column === 'event_id') return sql`e.event_id ${dir}`;
  return sql`e.${column(sort)} ${dir} NULLS LAST, e.event_id ${dir}`;
}

export async function eventPage(store: CaseStore, counts: EventCountCache, request: EventPageRequest): Promise<EventPage> {
  // The count and the page run side by side on two read connections.
  const [total, rows] = await Promise.all([counts.count(store, request.filter), pageRows(store, counts, request)]);
  return { rows, total, offset: request.offset };
}

async function pageRows(store: CaseStore, counts: EventCountCache, request: EventPageRequest): Promise<StoredEvent[]> {
  const sort = request.sort ?? DEFAULT_SORT;
  const key = `${sort.column} ${sort.desc ? 'desc' : 'asc'} ${filterKey(request.filter)}`;
  const ids = await counts.windows.ids(
    key,
    request.offset,
    request.limit,
    (offset, count) => pageIds(store, counts, request.filter, sort, offset, count, true),
    async () => (await pageIds(store, counts, request.filter, sort, request.offset, request.limit, false)) ?? [],
  );
  return readRowsByIds(store, ids);
}

/**
 * Ids [offset, offset+limit) of the listing, in order. Reading ahead, null for a sort read value
 * by value (sorted-by-value.ts): its cost grows with the rows read, and the plain top-N it would
 * fall back to for a window of many values scans the column (seconds at 10 M events).
 */
async function pageIds(
  store: CaseStore,
  counts: EventCountCache,
  filter: EventFilter | undefined,
  sort: EventSort,
  offset: number,
  limit: number,
  readingAhead: boolean,
): Promise<number[] | null> {
  const plan = await counts.plans.plan(store, filter);
  if (isKeyedColumn(sort.column) && restrictsOnly(filter, ['capture_ids'])) {
    const histogram = await counts.keyedHistogram(store, sort.column, filter?.capture_ids);
    if (histogram) return keyedPageIds(store, sort.column, histogram, sort.desc, offset, limit);
  }
  const matched = await keyedMatchIds(store, counts, filter, plan);
  if (matched?.length === 0) return [];
  // The matched events by id: the same rows as the plan's condition, without reading the column.
  const where = matched ? sql`e.event_id IN (${joinSql(matched.map((id) => sql`${id}`), ', ')})` : plan.where;
  if (!matched && servedByValue(sort.column)) {
    const byValue = { filter, where: plan.where, listed: plan.listed, column: sort.column, desc: sort.desc, offset, limit };
    // Read value by value, a longer window reads further into each value's rows: no read-ahead.
    if (readingAhead && (await counts.histograms.get(store, byValue, sort.column))) return null;
    const ids = await pageIdsByValue(store, counts.histograms, byValue);
    if (ids) return ids;
  }
  if (sort.column === 'ts_us' && !isEmptyFilter(filter) && offset + limit <= TIME_WINDOW_MAX_ROWS) {
    const span = await counts.timeSpan(store);
    const shares = windowShares(offset + limit, await counts.cheapCount(store, filter));
    if (span && shares.length > 0) {
      const ids = await idsFromTimeWindows(store, { where, order: orderBy(sort), desc: sort.desc, offset, limit, span, shares });
      if (ids) return ids;
    }
  }
  return idsOf(store, sql`SELECT e.event_id FROM event_rows e WHERE ${where} ORDER BY ${orderBy(sort)} LIMIT ${limit} OFFSET ${offset}`);
}

/**
 * The ids of the events a free text matches, when it matched a few thousand events of one keyed
 * column (a path, say): read from the sort keys, where the text's values sit in blocks, instead
 * of testing the column of every event (10 M targets: 200–500 ms). Null when that does not apply.
 */
async function keyedMatchIds(store: CaseStore, counts: EventCountCache, filter: EventFilter | undefined, plan: FilterPlan): Promise<number[] | null> {
  const [match, ...others] = plan.text ?? [];
  const column = match?.column;
  if (!match || others.length > 0 || column === undefined || !isKeyedColumn(column) || !restrictsOnly(filter, ['text', 'capture_ids'])) return null;
  if (matchedEvents(match, filter?.capture_ids) > KEYED_MATCH_MAX) return null;
  const histogram = await counts.keyedHistogram(store, column, filter?.capture_ids);
  return histogram && keyedValueIds(store, column, histogram, match.values);
}

/**
 * Index (0-based) of `eventId` in the listing for `filter` sorted by `sort`, or null when the
 * event does not match the filter. Counts the rows that sort before it, so no full sort is needed.
 */
export async function eventIndex(
  store: CaseStore,
  eventId: number,
  filter: EventFilter,
  sort: EventSort = DEFAULT_SORT,
): Promise<number | null> {
  const where = filterToSql(filter);
  const member = await store.read.one(sql`SELECT count(*) AS n FROM event_rows e WHERE e.event_id = ${eventId} AND ${where}`, {
    n: 'num',
  });
  if (!member || member.n === 0) return null;
  const row = await store.read.one(
    sql`WITH anchor AS (SELECT e.${column(sort)} AS v, e.event_id AS id FROM event_rows e WHERE e.event_id = ${eventId})
        SELECT count(*) AS n FROM event_rows e, anchor a WHERE ${where} AND ${sortsBefore(sort)}`,
    { n: 'num' },
  );
  return row?.n ?? 0;
}

/** True for rows `e` that come before the anchor row `a` (a.v, a.id) in `orderBy(sort)`. */
function sortsBefore(sort: EventSort): Sql {
  const idBefore = rawSql(sort.desc ? 'e.event_id > a.id' : 'e.event_id < a.id');
  if (sort.column === 'event_id') return idBefore;
  const c = sql`e.${column(sort)}`;
  const beyond = rawSql(sort.desc ? '>' : '<');
  // NULLs sort last: a non-NULL anchor is preceded only by non-NULL values; a NULL anchor by
  // every non-NULL value and by the NULLs with an earlier id.
  return sql`(CASE WHEN a.v IS NULL THEN (${c} IS NOT NULL OR ${idBefore})
                   ELSE (${c} IS NOT NULL AND (${c} ${beyond} a.v OR (${c} = a.v AND ${idBefore}))) END)`;
}
