// Table pages sorted by a keyed column (sort-keys.ts), read as position ranges. The listing sorted
// by the column is: its values in order (NULL last in both directions), and within one value the
// events by event_id, in the same direction. Captures hold disjoint blocks of event ids, so within
// one value the listing runs capture after capture. Restricted to one capture, the listing is
// that capture's keys in position order (reversed when descending, per part: values, then NULLs).
// So the rows [offset, offset+limit) of the listing are, in each capture, one contiguous range of
// its own listing, and how many of a capture's rows come before a row of the listing follows from
// the count per value and capture that column_values already keeps. Reading a page is then one
// small read of sort_keys per capture, whatever the depth and however thin the values.
import type { CaseStore } from '../store/case-store.ts';
import { joinSql, sql } from '../store/sql.ts';
import type { KeyedCapture, KeyedColumn } from './sort-keys.ts';

/** The counts per value (ascending, NULL last) and capture (in event-id order) of one keyed column. */
export interface KeyedHistogram {
  captures: KeyedCapture[];
  /** Number of distinct values, NULL included when present. */
  values: number;
  /** True when the last value is NULL. */
  hasNull: boolean;
  /** counts[k][v]: events of capture k holding value v (ascending order). */
  counts: Float64Array[];
  /** The values themselves, ascending (NULL last), for lookups by value. */
  valueList: (string | number | null)[];
}

/** Prefix sums over the listing's value order for one direction. */
interface Listing {
  /** Value index (ascending order) at listing place j. */
  valueAt: Int32Array;
  /** before[j]: rows of the listing before the value at place j (length values + 1). */
  before: Float64Array;
  /** beforeIn[k][j]: capture k's rows before the value at place j. */
  beforeIn: Float64Array[];
}

/** Listings already worked out, per histogram and direction (a page asks twice, scrolling many times). */
const listings = new WeakMap<KeyedHistogram, Map<boolean, Listing>>();

function listing(h: KeyedHistogram, desc: boolean): Listing {
  let byDirection = listings.get(h);
  if (!byDirection) listings.set(h, (byDirection = new Map()));
  let made = byDirection.get(desc);
  if (!made) byDirection.set(desc, (made = makeListing(h, desc)));
  return made;
}

function makeListing(h: KeyedHistogram, desc: boolean): Listing {
  const m = h.values;
  const valueAt = new Int32Array(m);
  const nonNull = h.hasNull ? m - 1 : m;
  for (let j = 0; j < nonNull; j++) valueAt[j] = desc ? nonNull - 1 - j : j;
  if (h.hasNull) valueAt[m - 1] = m - 1;
  const before = new Float64Array(m + 1);
  const beforeIn = h.counts.map(() => new Float64Array(m + 1));
  for (let j = 0; j < m; j++) {
    const v = valueAt[j] ?? 0;
    let total = 0;
    h.counts.forEach((counts, k) => {
      const n = counts[v] ?? 0;
      total += n;
      const row = beforeIn[k]!;
      row[j + 1] = (row[j] ?? 0) + n;
    });
    before[j + 1] = (before[j] ?? 0) + total;
  }
  return { valueAt, before, beforeIn };
}

/** Largest j in [0, prefix.length - 2] with prefix[j] <= x (prefix ascending). */
function placeOf(prefix: Float64Array, x: number): number {
  let lo = 0;
  let hi = prefix.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((prefix[mid] ?? 0) <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Rows of capture k among the listing's first x rows. */
function rowsOfCaptureBefore(h: KeyedHistogram, l: Listing, desc: boolean, k: number, x: number): number {
  const total = l.before[h.values] ?? 0;
  if (x >= total) return l.beforeIn[k]?.[h.values] ?? 0;
  const j = placeOf(l.before, x);
  const v = l.valueAt[j] ?? 0;
  // Inside the value at place j the captures follow each other in the listing's direction.
  let ahead = 0;
  const order = desc ? [...h.counts.keys()].reverse() : [...h.counts.keys()];
  for (const other of order) {
    if (other === k) break;
    ahead += h.counts[other]?.[v] ?? 0;
  }
  const into = x - (l.before[j] ?? 0) - ahead;
  return (l.beforeIn[k]?.[j] ?? 0) + Math.min(Math.max(into, 0), h.counts[k]?.[v] ?? 0);
}

/** Position in capture k's keys of the row at `index` of that capture's own listing. */
export function positionOf(capture: KeyedCapture, desc: boolean, index: number): number {
  if (!desc) return index;
  return index < capture.non_null ? capture.non_null - 1 - index : capture.events - 1 - (index - capture.non_null);
}

/** One read of sort_keys: positions [from, to] of capture `k`. */
export interface PositionRange {
  k: number;
  from: number;
  to: number;
}

/** The ranges of positions holding rows [offset, offset+limit) of the listing. Pure, for tests. */
export function pageRanges(h: KeyedHistogram, desc: boolean, offset: number, limit: number): PositionRange[] {
  const l = listing(h, desc);
  const ranges: PositionRange[] = [];
  h.captures.forEach((capture, k) => {
    const start = rowsOfCaptureBefore(h, l, desc, k, offset);
    const end = rowsOfCaptureBefore(h, l, desc, k, offset + limit);
    if (end <= start) return;
    if (!desc) return void ranges.push({ k, from: start, to: end - 1 });
    // Descending: the values part and the NULL part are each a reversed run of positions.
    const split = capture.non_null;
    if (start < split) ranges.push({ k, from: positionOf(capture, true, Math.min(end, split) - 1), to: positionOf(capture, true, start) });
    if (end > split) ranges.push({ k, from: positionOf(capture, true, end - 1), to: positionOf(capture, true, Math.max(start, split)) });
  });
  return ranges;
}

/** Orders rows (capture k, position) as the listing does. Pure, for tests. */
export function listingOrder(h: KeyedHistogram, desc: boolean, rows: { k: number; pos: number }[]): { k: number; pos: number }[] {
  const l = listing(h, desc);
  const keyed = rows.map((row) => {
    const capture = h.captures[row.k]!;
    // The row's index in its capture's listing (positionOf is its own inverse), then its value's place.
    const index = positionOf(capture, desc, row.pos);
    const place = placeOf(l.beforeIn[row.k]!, index);
    return { row, place, rank: desc ? h.captures.length - 1 - row.k : row.k, index };
  });
  keyed.sort((a, b) => a.place - b.place || a.rank - b.rank || a.index - b.index);
  return keyed.map((x) => x.row);
}

/**
 * The histogram from column_values, or null when its counts disagree with the keyed captures
 * (then the page is read as before).
 */
export async function readKeyedHistogram(store: CaseStore, col: KeyedColumn, captures: KeyedCapture[]): Promise<KeyedHistogram | null> {
  if (captures.length === 0) return { captures, values: 0, hasNull: false, counts: [], valueList: [] };
  const numeric = col === 'dur_us';
  const value = numeric ? sql`num_value` : sql`str_value`;
  const ids = joinSql(captures.map((c) => sql`${c.capture_id}`), ', ');
  const read = await store.read.columns(
    sql`SELECT capture_id, ${value} AS v, CAST(sum(n) AS DOUBLE) AS n FROM column_values
        WHERE col = ${col} AND capture_id IN (${ids}) GROUP BY ALL ORDER BY v ASC NULLS LAST, capture_id`,
  );
  const [captureIds, values, ns] = [read['capture_id'] ?? [], read['v'] ?? [], read['n'] ?? []];
  const index = new Map(captures.map((c, k) => [c.capture_id, k]));
  // Distinct values in order: a new one starts wherever the value changes.
  const valueNo: number[] = [];
  const valueList: (string | number | null)[] = [];
  let distinct = 0;
  values.forEach((v, i) => {
    if (i > 0 && v !== values[i - 1]) distinct++;
    valueNo.push(distinct);
    if (valueList.length === distinct) valueList.push(typeof v === 'string' || typeof v === 'number' ? v : null);
  });
  const m = values.length > 0 ? distinct + 1 : 0;
  const counts = captures.map(() => new Float64Array(m));
  const totals = captures.map(() => 0);
  const nonNull = captures.map(() => 0);
  captureIds.forEach((id, i) => {
    const k = index.get(Number(id));
    if (k === undefined) return;
    const n = Number(ns[i]);
    counts[k]![valueNo[i] ?? 0] = n;
    totals[k]! += n;
    if (values[i] !== null) nonNull[k]! += n;
  });
  if (captures.some((c, k) => totals[k] !== c.events || nonNull[k] !== c.non_null)) return null;
  return { captures, values: m, hasNull: values.length > 0 && values.at(-1) === null, counts, valueList };
}

/** Value → its index in ascending order, per histogram (built on the first lookup). */
const valueIndexes = new WeakMap<KeyedHistogram, Map<string | number, number>>();

/**
 * Event ids of the events whose column holds one of `values`, in the captures of `h` (a value
 * in no capture is skipped): each value is one block of positions per capture, read from
 * sort_keys without touching the events. For a free text that matched a few keyed values.
 */
export async function keyedValueIds(store: CaseStore, col: KeyedColumn, h: KeyedHistogram, values: readonly (string | number)[]): Promise<number[]> {
  let index = valueIndexes.get(h);
  if (!index) {
    const made = new Map<string | number, number>();
    h.valueList.forEach((v, i) => v !== null && made.set(v, i));
    valueIndexes.set(h, (index = made));
  }
  const l = listing(h, false);
  const ranges: PositionRange[] = [];
  for (const value of values) {
    const v = index.get(value);
    if (v === undefined) continue;
    h.counts.forEach((counts, k) => {
      const n = counts[v] ?? 0;
      const start = l.beforeIn[k]?.[v] ?? 0;
      if (n > 0) ranges.push({ k, from: start, to: start + n - 1 });
    });
  }
  if (ranges.length === 0) return [];
  // One range read per block: BETWEEN reaches the scan's zone maps, an OR of ranges does not.
  const reads = ranges.map(
    (r) => sql`SELECT event_id FROM sort_keys WHERE col = ${col} AND capture_id = ${h.captures[r.k]?.capture_id ?? -1} AND pos BETWEEN ${r.from} AND ${r.to}`,
  );
  const rows = await store.read.rows(joinSql(reads, ' UNION ALL '), { event_id: 'num' });
  return rows.map((r) => r.event_id);
}

/** Event ids of rows [offset, offset+limit) of the listing, in its order. */
export async function keyedPageIds(store: CaseStore, col: KeyedColumn, h: KeyedHistogram, desc: boolean, offset: number, limit: number): Promise<number[]> {
  const ranges = pageRanges(h, desc, offset, limit);
  if (ranges.length === 0) return [];
  const reads = ranges.map(
    (r) => sql`SELECT ${r.k} AS k, pos, event_id FROM sort_keys WHERE col = ${col} AND capture_id = ${h.captures[r.k]?.capture_id ?? -1} AND pos BETWEEN ${r.from} AND ${r.to}`,
  );
  const rows = await store.read.rows(joinSql(reads, ' UNION ALL '), { k: 'num', pos: 'num', event_id: 'num' });
  const idOf = new Map(rows.map((r) => [`${r.k} ${r.pos}`, r.event_id]));
  return listingOrder(h, desc, rows).map((r) => idOf.get(`${r.k} ${r.pos}`) ?? -1);
}
