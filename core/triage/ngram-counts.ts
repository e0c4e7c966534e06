// The trigram counts of the call-sequence baseline (baseline-ngrams.ts): per (capture, pid, process
// name, baseline or not, trigram) how many calls end that trigram, as the temp table
// `triage_ngram_y`. A trigram is a call's op with the ops of the two calls before it of the same
// pid, in the order (ts_us, event_id).
//
// DuckDB computes lag() by sorting every call of the scope by (capture, pid, ts_us, event_id): on
// the 1.5 M-call benchmark capture that sort was ~0.45 s of the whole triage's ~1.7 s. The calls
// come out of a plain scan in the table's order, which for a trace is already each pid's time
// order (an importer appends calls as the capture lists them). So the calls are read once, as raw
// column data, and counted in JavaScript, pid by pid in the order they arrive, checking on the way
// that each pid's calls do arrive in (ts_us, event_id) order. A pid whose calls do not (a capture
// whose lines are not in time order) is counted again by the window query, for that pid only: the
// counts are exactly those of the window over every call (ngram-counts.test.ts).
import duckdb from '@duckdb/node-bindings';
import type { CaseSession } from '../store/case-session.ts';
import type { CaseStore } from '../store/case-store.ts';
import { joinSql, rawSql, sql, type Sql } from '../store/sql.ts';
import { IN_BASELINE } from './baseline-scope.ts';
import { inScope, type TriageScope } from './scope.ts';

export const NGRAM_Y = 'triage_ngram_y';
/** Pids counted again by the window query (their calls did not arrive in time order). */
const REDO = 'triage_ngram_redo';
/** The counts as JavaScript made them (trigram as c2·R² + c1·R + c0). */
const STAGED = 'triage_ngram_js';

/** The calls a trigram is made of (the op's code joined), and which of them the pass reads. */
export const CALLS = sql`event_rows e JOIN triage_baseline b ON b.capture_id = e.capture_id JOIN triage_ngram_ops o ON o.op = e.op`;
export const CALLS_WHERE = (scope: TriageScope): Sql => sql`e.kind = 'api' AND e.pid IS NOT NULL AND (${inScope(scope)} OR ${IN_BASELINE})`;
/** Three consecutive ops of one pid as one number (codes < 2^20; 0 where the pid has no earlier call). */
export const GRAM = sql`(coalesce(lag(o.code, 2) OVER w, 0) * 1099511627776 + coalesce(lag(o.code, 1) OVER w, 0) * 1048576 + o.code)`;

/** Op codes below this are counted in JavaScript: three of them make one small integer (< 2^30, V8's fast Map key). */
const RADIX = 1024;
/** ts_us and event_id are read as doubles: exact below this, else the window query counts. */
const EXACT = 2 ** 53;

/** Per (capture, pid) while its calls are read. */
interface PidState {
  prev1: number;
  prev2: number;
  lastTs: number;
  lastId: number;
  /** Counts by (pcode, in_baseline) then trigram key (c2·R² + c1·R + c0). */
  counts: Map<number, Map<number, number>>;
  /** The (pcode, in_baseline) key of the last call and its counts (a pid keeps its name for long runs). */
  lastPk: number;
  lastGrams: Map<number, number> | null;
  disordered: boolean;
}

/** Per capture, per pid, what the JavaScript pass counted. */
type TrigramStates = Map<number, Map<number, PidState>>;

/** A count started by startTrigramCount: the calls read and counted on a read connection (null: the window query counts). */
export interface PendingTrigrams {
  states: Promise<TrigramStates | null>;
}

/**
 * Creates the op and process code tables (triage_ngram_ops: op → code 1…, triage_ngram_procs:
 * process → pcode 1…; needs triage_baseline) and starts reading and counting the scope's calls on
 * one of the store's read connections: the read needs no temporary table of the main connection
 * (codes and baseline bounds are passed as values), so triage's other steps run meanwhile
 * (run.ts), and the JavaScript pass yields between chunks to let them. Any failure of the read
 * leaves the count to the window query. `windowOnly` counts every pid with the window query.
 */
export async function startTrigramCount(store: CaseStore, scope: TriageScope, windowOnly = false): Promise<PendingTrigrams> {
  await store.exec(sql`CREATE OR REPLACE TEMP TABLE triage_ngram_ops AS
    SELECT op, CAST(row_number() OVER (ORDER BY op) AS BIGINT) AS code FROM (SELECT DISTINCT op FROM event_rows e WHERE e.kind = 'api' AND e.pid IS NOT NULL)`);
  await store.exec(sql`CREATE OR REPLACE TEMP TABLE triage_ngram_procs AS
    SELECT process, CAST(row_number() OVER (ORDER BY process) AS INTEGER) AS pcode FROM (SELECT DISTINCT process FROM event_rows e WHERE e.kind = 'api' AND e.pid IS NOT NULL AND process IS NOT NULL)`);
  const none = { states: Promise.resolve(null) };
  const maxCode = (await store.one(sql`SELECT coalesce(max(code), 0) AS m FROM triage_ngram_ops`, { m: 'num' }))?.m ?? 0;
  if (windowOnly || maxCode >= RADIX) return none;
  const inputs = await scanInputs(store, scope);
  if (!inputs) return none;
  return { states: readAndCount(store.read, inputs).catch(() => null) };
}

/**
 * Creates `triage_ngram_y (capture_id, pid, pcode, in_baseline, gram, n)` for the scope from a
 * started count (startTrigramCount); needs the tables that made, and triage_baseline.
 */
export async function countTrigrams(store: CaseStore, scope: TriageScope, pending: PendingTrigrams): Promise<void> {
  const states = await pending.states;
  if (!states) {
    await store.exec(sql`CREATE OR REPLACE TEMP TABLE ${rawSql(NGRAM_Y)} AS ${windowCounts(scope, sql`TRUE`)}`);
    return;
  }
  await store.exec(sql`CREATE OR REPLACE TEMP TABLE ${rawSql(NGRAM_Y)} (capture_id INTEGER, pid INTEGER, pcode INTEGER, in_baseline BOOLEAN, gram BIGINT, n BIGINT)`);
  // The counts go in through an appender (tens of thousands of rows: a bound JSON list per
  // column cost 80 ms on the benchmark capture), then become the window query's numbers.
  await store.exec(sql`CREATE OR REPLACE TEMP TABLE ${rawSql(STAGED)} (capture_id INTEGER, pid INTEGER, pcode INTEGER, in_baseline BOOLEAN, k INTEGER, n DOUBLE)`);
  const redo: { capture_id: number; pid: number }[] = [];
  try {
    const appender = await store.connection().createAppender(STAGED, 'main', 'temp');
    try {
      for (const [captureId, pids] of states) for (const [pid, st] of pids) {
        if (st.disordered) {
          redo.push({ capture_id: captureId, pid });
          continue;
        }
        for (const [pk, grams] of st.counts) {
          const pcode = Math.floor(pk / 2);
          for (const [g, n] of grams) {
            appender.appendInteger(captureId);
            appender.appendInteger(pid);
            if (pcode === 0) appender.appendNull();
            else appender.appendInteger(pcode);
            appender.appendBoolean(pk % 2 === 1);
            appender.appendInteger(g);
            appender.appendDouble(n);
            appender.endRow();
          }
        }
      }
    } finally {
      appender.closeSync();
    }
    // The key back to the window query's number: c2·2^40 + c1·2^20 + c0.
    await store.exec(sql`INSERT INTO ${rawSql(NGRAM_Y)}
      SELECT capture_id, pid, pcode, in_baseline,
             CAST(k // ${RADIX * RADIX} AS BIGINT) * 1099511627776 + CAST((k // ${RADIX}) % ${RADIX} AS BIGINT) * 1048576 + k % ${RADIX}, CAST(n AS BIGINT)
      FROM ${rawSql(STAGED)}`);
  } finally {
    await store.exec(sql`DROP TABLE IF EXISTS ${rawSql(STAGED)}`);
  }
  if (redo.length > 0) {
    await store.exec(sql`CREATE OR REPLACE TEMP TABLE ${rawSql(REDO)} AS
      SELECT * FROM (SELECT unnest(CAST(CAST(${JSON.stringify(redo)} AS JSON) AS STRUCT(capture_id INTEGER, pid INTEGER)[])) AS r) t(r)`);
    try {
      const only = sql`(e.capture_id, e.pid) IN (SELECT (r.capture_id, r.pid) FROM ${rawSql(REDO)})`;
      await store.exec(sql`INSERT INTO ${rawSql(NGRAM_Y)} ${windowCounts(scope, only)}`);
    } finally {
      await store.exec(sql`DROP TABLE IF EXISTS ${rawSql(REDO)}`);
    }
  }
}

/** The counts by the window query, over the pids `only` admits (partitions are whole pids, so lag() sees what it would over all). */
function windowCounts(scope: TriageScope, only: Sql): Sql {
  return sql`WITH x AS (
      SELECT e.capture_id, e.pid, pr.pcode, ${IN_BASELINE} AS in_baseline, ${GRAM} AS gram
      FROM ${CALLS} LEFT JOIN triage_ngram_procs pr ON pr.process = e.process
      WHERE ${CALLS_WHERE(scope)} AND ${only}
      WINDOW w AS (PARTITION BY e.capture_id, e.pid ORDER BY e.ts_us, e.event_id))
    SELECT capture_id, pid, pcode, in_baseline, gram, count(*) AS n FROM x GROUP BY ALL`;
}

/** A string column as a 31-bit hash (an INTEGER), so the scan needs no join (a join's output leaves the table's order). */
const hash31 = (column: Sql): Sql => sql`CAST(hash(${column}) >> 33 AS INTEGER)`;

/** hash31 → code, from a table of (value, code); null when two values share a hash. */
async function codesByHash(store: CaseStore, table: string, column: string, code: string): Promise<Map<number, number> | null> {
  const rows = await store.rows(sql`SELECT ${hash31(rawSql(column))} AS h, ${rawSql(code)} AS c FROM ${rawSql(table)}`, { h: 'num', c: 'num' });
  const map = new Map(rows.map((r) => [r.h, r.c]));
  return map.size === rows.length ? map : null;
}

/**
 * One scan of the scope's calls in table order, counted per pid (by capture, then pid); pids whose
 * calls came out of (ts_us, event_id) order are marked. scanInputs: null when two ops or process
 * names share a hash.
 * The query joins nothing (DuckDB's parallel hash join hands chunks on out of order): the op and
 * process name come as hashes, looked up here, and the baseline test is a CASE of the few captures.
 * The result is materialized (≈ 30 bytes a call) so its chunks are read without a native round
 * trip each (streaming them cost 0.2 s on 1.5 M calls).
 */
async function scanInputs(store: CaseStore, scope: TriageScope): Promise<ScanInputs | null> {
  const opCodes = await codesByHash(store, 'triage_ngram_ops', 'op', 'code');
  const procCodes = await codesByHash(store, 'triage_ngram_procs', 'process', 'pcode');
  if (!opCodes || !procCodes) return null;
  const baselines = await store.rows(sql`SELECT capture_id, whole_capture, CAST(baseline_until_us AS VARCHAR) AS until FROM triage_baseline`, { capture_id: 'num', whole_capture: 'bool', until: 'str' });
  // The window query's join with triage_baseline keeps nothing either: an empty read.
  if (baselines.length === 0) return { opCodes, procCodes, query: sql`SELECT 1 WHERE FALSE` };
  // IN_BASELINE with the capture's row of triage_baseline as constants; NULL for a capture without one (the join drops those).
  const inBaseline = sql`(CASE e.capture_id ${joinSql(baselines.map((b) => sql`WHEN ${b.capture_id} THEN (${b.whole_capture} OR e.ts_us < ${BigInt(b.until)})`), ' ')} END)`;
  const query = sql`SELECT e.capture_id, e.pid, ${hash31(sql`e.op`)} AS op, CASE WHEN e.process IS NULL THEN -1 ELSE ${hash31(sql`e.process`)} END AS process,
           CAST(${inBaseline} AS UTINYINT) AS in_baseline, CAST(e.ts_us AS DOUBLE) AS ts, CAST(e.event_id AS DOUBLE) AS id
    FROM event_rows e
    WHERE e.kind = 'api' AND e.pid IS NOT NULL AND ${inBaseline} IS NOT NULL AND (${inScope(scope)} OR ${inBaseline})`;
  return { opCodes, procCodes, query };
}

/** What the read needs, worked out on the main connection. */
interface ScanInputs {
  opCodes: Map<number, number>;
  procCodes: Map<number, number>;
  query: Sql;
}

/** Chunks counted between two yields to the event loop (≈ 130k calls). */
const CHUNKS_PER_SLICE = 64;

async function readAndCount(session: CaseSession, { opCodes, procCodes, query }: ScanInputs): Promise<TrigramStates> {
  const { text, params } = query.render();
  const states: TrigramStates = new Map();
  const result = await session.conn.run(text, params);
  let pids: Map<number, PidState> | undefined;
  let lastCapture = NaN;
  for (let k = 0; k < result.chunkCount; k++) {
    if (k > 0 && k % CHUNKS_PER_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    const chunk = result.getChunk(k);
    const rows = chunk.rowCount;
    const column = <T extends Int32Array | Float64Array | Uint8Array>(i: number, Type: { new (b: ArrayBufferLike, o: number, n: number): T; BYTES_PER_ELEMENT: number }): T => {
      const data = duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk.chunk, i), rows * Type.BYTES_PER_ELEMENT);
      // A typed view needs its element alignment; copy the bytes first when it is not there.
      const aligned = data.byteOffset % Type.BYTES_PER_ELEMENT === 0 ? data : data.slice();
      return new Type(aligned.buffer, aligned.byteOffset, rows);
    };
    // No NULLs: capture_id, pid (WHERE), op, ts_us, event_id (NOT NULL columns), process (-1 for NULL; hash(NULL) is not NULL), in_baseline (WHERE).
    const capture = column(0, Int32Array);
    const pid = column(1, Int32Array);
    const op = column(2, Int32Array);
    const process = column(3, Int32Array);
    const base = column(4, Uint8Array);
    const ts = column(5, Float64Array);
    const id = column(6, Float64Array);
    for (let r = 0; r < rows; r++) {
      const cap = capture[r] as number;
      if (cap !== lastCapture) {
        pids = states.get(cap);
        if (!pids) {
          pids = new Map();
          states.set(cap, pids);
        }
        lastCapture = cap;
      }
      const p = pid[r] as number;
      let s = (pids as Map<number, PidState>).get(p);
      if (!s) {
        s = { prev1: 0, prev2: 0, lastTs: -Infinity, lastId: -Infinity, counts: new Map(), lastPk: -1, lastGrams: null, disordered: false };
        (pids as Map<number, PidState>).set(p, s);
      }
      if (s.disordered) continue;
      const t = ts[r] as number;
      const i = id[r] as number;
      if (t < s.lastTs || (t === s.lastTs && i <= s.lastId) || Math.abs(t) >= EXACT || i >= EXACT) {
        s.disordered = true;
        s.counts.clear();
        continue;
      }
      s.lastTs = t;
      s.lastId = i;
      const c = opCodes.get(op[r] as number) as number;
      const g = (s.prev2 * RADIX + s.prev1) * RADIX + c;
      s.prev2 = s.prev1;
      s.prev1 = c;
      const ph = process[r] as number;
      const pk = (ph === -1 ? 0 : (procCodes.get(ph) as number)) * 2 + (base[r] as number);
      let grams = s.lastGrams;
      if (pk !== s.lastPk || !grams) {
        grams = s.counts.get(pk) ?? null;
        if (!grams) {
          grams = new Map();
          s.counts.set(pk, grams);
        }
        s.lastPk = pk;
        s.lastGrams = grams;
      }
      grams.set(g, (grams.get(g) ?? 0) + 1);
    }
  }
  return states;
}
