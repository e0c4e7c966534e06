// An in-memory index of the timeline lanes the analyst looks at: per lane, its events' times
// (sorted), categories and failure flags in typed arrays. A density request over indexed lanes
// is then a binary search and a count in JavaScript (≈ 1 ms) instead of a DuckDB query, which on
// two cores shared with the browser took 80–140 ms while panning.
//
// Lanes are loaded in the background the first time a request asks for them (that request and
// any made meanwhile are answered by SQL), at most MAX_INDEXED_EVENTS events in all (least
// recently used lanes are dropped). The index belongs to one state of the case's data: every
// answer first reads a fingerprint of the captures table (id, events, clock offset per capture),
// which every write that changes events changes (an import adds a capture, an alignment sets its
// offset); a different fingerprint drops the index.
//
// Counts and failures are exactly those of the events. The dominant category is the one with the
// most events in the bucket (ties: the greater name), counted over the events themselves; the
// SQL path over the summary levels takes that of the busiest summary part instead, so the two
// may colour a mixed bucket differently.
import type { BucketRequest, BucketResponse, LaneBuckets } from '../api.ts';
import type { CaseStore } from '../store/case-store.ts';
import duckdb from '@duckdb/node-bindings';
import { joinSql, sql } from '../store/sql.ts';
import { isEmptyFilter } from '../query/event-filter.ts';
import { LANE_ID_SQL } from './lane-id.ts';
import { laneIdsToSql } from './lane-filter.ts';
import { capturesFingerprint } from '../store/captures-fingerprint.ts';

/** ≈ 10 bytes an event: 80 MB at most. */
export const MAX_INDEXED_EVENTS = 8_000_000;
/** A lane list loaded later than this after it was first asked for keeps start-up queries first. */
const LOAD_DELAY_MS = 1000;

interface LaneEvents {
  ts: Float64Array;
  category: Uint8Array;
  failed: Uint8Array;
}

class LaneIndex {
  fingerprint: string | null = null;
  readonly lanes = new Map<string, LaneEvents>();
  private indexed = 0;
  private readonly categoryIds = new Map<string, number>();
  readonly categoryNames: string[] = [];
  private loading: Promise<void> | null = null;

  constructor(private readonly loadDelayMs: number) {}

  reset(fingerprint: string): void {
    this.fingerprint = fingerprint;
    this.lanes.clear();
    this.indexed = 0;
  }

  /** The lane's events, marking it recently used. */
  use(id: string): LaneEvents | undefined {
    const lane = this.lanes.get(id);
    if (lane) {
      this.lanes.delete(id);
      this.lanes.set(id, lane);
    }
    return lane;
  }

  /** Starts loading `ids` unless a load is running (then that one's promise); resolves when done. */
  load(store: CaseStore, ids: readonly string[], fingerprint: string): Promise<void> {
    if (this.loading) return this.loading;
    const run = async (): Promise<void> => {
      // unref: a waiting load must not keep a command-line process alive.
      await new Promise((resolve) => setTimeout(resolve, this.loadDelayMs).unref());
      const loaded = await readLanes(store, ids, (name) => this.categoryId(name));
      // The data may have changed while this ran: keep nothing then.
      if (!loaded || (await capturesFingerprint(store)) !== fingerprint || this.fingerprint !== fingerprint) return;
      for (const [id, lane] of loaded) {
        if (this.lanes.has(id)) continue;
        this.lanes.set(id, lane);
        this.indexed += lane.ts.length;
      }
      // Least recently used lanes go first (a Map iterates in insertion = use order).
      for (const [id, lane] of this.lanes) {
        if (this.indexed <= MAX_INDEXED_EVENTS) break;
        this.lanes.delete(id);
        this.indexed -= lane.ts.length;
      }
    };
    this.loading = run()
      .catch(() => undefined) // the SQL path keeps answering
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }

  private categoryId(name: string): number {
    let id = this.categoryIds.get(name);
    if (id === undefined) {
      id = this.categoryNames.length;
      if (id > 255) throw new Error('more than 256 event categories');
      this.categoryIds.set(name, id);
      this.categoryNames.push(name);
    }
    return id;
  }
}

const indexes = new WeakMap<CaseStore, LaneIndex>();

/**
 * The events of `ids`, read on a connection of its own as raw column data (a DuckDB vector of
 * DOUBLE is copied into a Float64Array at once; converting ~1 M values one by one, or through
 * JSON, cost seconds and hundreds of MB). Null when there are more than MAX_INDEXED_EVENTS.
 */
async function readLanes(store: CaseStore, ids: readonly string[], categoryId: (name: string) => number): Promise<Map<string, LaneEvents> | null> {
  const session = await store.openSession();
  try {
    const where = laneIdsToSql(ids);
    const summary = await session.rows(sql`SELECT category, count(*) AS n FROM event_rows e WHERE ${where} GROUP BY ALL`, { category: 'str', n: 'num' });
    const total = summary.reduce((sum, r) => sum + r.n, 0);
    if (total > MAX_INDEXED_EVENTS) return null;
    const categoryCode = summary.length === 0 ? sql`0` : sql`CASE e.category ${joinSql(summary.map((r) => sql`WHEN ${r.category} THEN ${categoryId(r.category)}`), ' ')} ELSE 0 END`;
    const laneCode = sql`CASE ${LANE_ID_SQL} ${joinSql(ids.map((id, i) => sql`WHEN ${id} THEN ${i}`), ' ')} ELSE -1 END`;
    const { text, params } = sql`SELECT CAST(${laneCode} AS INTEGER) AS lane, CAST(e.ts_us AS DOUBLE) AS ts,
               CAST(${categoryCode} AS UTINYINT) AS category, CAST(e.error IS NOT NULL AND e.error <> '' AS UTINYINT) AS failed
        FROM event_rows e WHERE ${where} ORDER BY lane, e.ts_us, e.event_id`.render();
    const lane = new Int32Array(total);
    const ts = new Float64Array(total);
    const category = new Uint8Array(total);
    const failed = new Uint8Array(total);
    const result = await session.conn.stream(text, params);
    let at = 0;
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      const rows = Math.min(chunk.rowCount, total - at);
      const column = (i: number, bytes: number) => duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk.chunk, i), rows * bytes);
      const copy = (target: Int32Array | Float64Array | Uint8Array, data: Uint8Array) => {
        // A typed view needs its element alignment; copy the bytes first when it is not there.
        const aligned = data.byteOffset % target.BYTES_PER_ELEMENT === 0 ? data : data.slice();
        target.set(new (target.constructor as Uint8ArrayConstructor)(aligned.buffer, aligned.byteOffset, rows), at);
      };
      copy(lane, column(0, 4));
      copy(ts, column(1, 8));
      copy(category, column(2, 1));
      copy(failed, column(3, 1));
      at += rows;
    }
    const lanes = new Map<string, LaneEvents>();
    // Rows of no listed lane (none are expected: the WHERE is the same lanes) sort first.
    let from = 0;
    while (from < at && (lane[from] ?? 0) < 0) from++;
    ids.forEach((id, i) => {
      let to = from;
      while (to < at && lane[to] === i) to++;
      lanes.set(id, { ts: ts.slice(from, to), category: category.slice(from, to), failed: failed.slice(from, to) });
      from = to;
    });
    return lanes;
  } finally {
    session.close();
  }
}


/** Index of the first element ≥ `value` in a sorted array. */
function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The buckets of one lane in [from, to): count, failures and dominant category per bucket. */
function laneBucketsOf(id: string, lane: LaneEvents, from: number, to: number, width: number, names: readonly string[]): LaneBuckets | null {
  const lo = lowerBound(lane.ts, from);
  const hi = lowerBound(lane.ts, to);
  if (hi <= lo) return null;
  const out: LaneBuckets = { lane_id: id, starts: [], counts: [], failed: [], categories: [] };
  const perCategory = new Int32Array(names.length);
  let i = lo;
  while (i < hi) {
    const ts = lane.ts[i] ?? 0;
    const start = ts - (((ts % width) + width) % width);
    const end = start + width;
    perCategory.fill(0);
    let n = 0;
    let bad = 0;
    for (; i < hi && (lane.ts[i] ?? 0) < end; i++) {
      n++;
      bad += lane.failed[i] ?? 0;
      const c = lane.category[i] ?? 0;
      perCategory[c] = (perCategory[c] ?? 0) + 1;
    }
    let best = -1;
    for (let c = 0; c < perCategory.length; c++) {
      const count = perCategory[c] ?? 0;
      if (count === 0) continue;
      if (best < 0 || count > (perCategory[best] ?? 0) || (count === perCategory[best] && (names[c] ?? '') > (names[best] ?? ''))) best = c;
    }
    out.starts.push(start);
    out.counts.push(n);
    out.failed.push(bad);
    out.categories.push(names[best] ?? '');
  }
  return out;
}

/**
 * The answer from the index when every lane asked for is in it, else null (the caller asks
 * DuckDB; lanes not yet indexed start loading). Only unfiltered requests for listed lanes.
 * `options.loadDelayMs` is for tests.
 */
export async function bucketsFromIndex(store: CaseStore, request: BucketRequest, width: number, options: { loadDelayMs?: number } = {}): Promise<{ answer: BucketResponse | null; loading?: Promise<void> }> {
  const ids = request.lane_ids && [...new Set(request.lane_ids)];
  if (!ids || ids.length === 0 || request.total_only || !isEmptyFilter(request.filter)) return { answer: null };
  let index = indexes.get(store);
  if (!index) indexes.set(store, (index = new LaneIndex(options.loadDelayMs ?? LOAD_DELAY_MS)));
  const fingerprint = await capturesFingerprint(store);
  if (index.fingerprint !== fingerprint) index.reset(fingerprint);
  const missing = ids.filter((id) => !index.lanes.has(id));
  if (missing.length > 0) return { answer: null, loading: index.load(store, missing, fingerprint) };
  const lanes: LaneBuckets[] = [];
  for (const id of ids) {
    const lane = index.use(id);
    const buckets = lane && laneBucketsOf(id, lane, request.from_us, request.to_us, width, index.categoryNames);
    if (buckets) lanes.push(buckets);
  }
  lanes.sort((a, b) => (a.lane_id < b.lane_id ? -1 : a.lane_id > b.lane_id ? 1 : 0));
  return { answer: { bucket_us: width, lanes } };
}
