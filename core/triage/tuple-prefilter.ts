// A pre-filter for the single-event rules: the events some rule could match, found by evaluating
// the rules over the distinct values of the columns they read instead of over every event.
// A rule's predicate reads a handful of columns (op, target, args, ret, error, fields, process and
// the process tree's image, parent_image): two events equal in those columns match the same rules.
// A trace repeats them endlessly — a service re-opening the same files and polling the same
// sockets — so the distinct tuples are a small fraction of the events, and the string matches
// (ILIKE with wildcards, regexes, JSON extraction) run once per tuple rather than once per event.
// The events whose tuple matched some rule become the batch's scope (batch.ts runs each rule's own
// predicate over them): a necessary condition, never the rule itself, so the (rule, events) pairs
// are exactly those without it (tuple-prefilter.test.ts).
// The same scan answers, for conditions of correlation rules (`probes`), whether any event in
// scope can match them at all: a condition no tuple of the scope matches selects no event in scope,
// and a threshold, sequence or novelty hit always holds one (engine.ts), so such a rule has no
// hit and its own scans (up to 0.1 s each on the benchmark capture) are skipped (run.ts).
import type { CaseStore } from '../store/case-store.ts';
import { joinSql, rawSql, sql, type Sql } from '../store/sql.ts';
import { RULES_PER_BATCH } from './batch.ts';
import { captureFormats, resolveFormatExclusions, type CaptureFormatMap } from './capture-formats.ts';
import { FROM } from './engine.ts';
import { gated, opGate, opsPassing, opsWhere } from './op-gate.ts';
import { inScope, restrictScope, type TriageScope } from './scope.ts';
import { compileCondition } from './sigma/compile.ts';
import type { Rule } from './sigma/types.ts';

/** Columns of event_rows (alias e) and of the process tree (alias p, engine.ts FROM) a predicate may read. */
const E_COLUMNS = new Set(['op', 'target', 'args', 'ret', 'error', 'fields', 'process', 'kind', 'category', 'level', 'host', 'pid', 'tid', 'ppid', 'dur_us', 'ts_us', 'ts_raw_us', 'event_id', 'capture_id', 'source_line']);
const P_COLUMNS = new Set(['image', 'parent_image', 'tgid', 'root_pid', 'parent_pid', 'long_lived', 'first_us', 'last_us']);

const TUPLES = 'triage_tuples';
const HIT_TUPLES = 'triage_hit_tuples';
const CANDIDATES = 'triage_candidates';

interface Compiled {
  where: Sql;
  /** The case's ops the rule can match (null: any; see op-gate.ts). */
  ops: string[] | null;
}

/**
 * A column of the tuples: its name, where it is read (`e.` or `p.`), and the ops of the events
 * whose value it keeps (null: every event's). A column only gated rules read is kept for the ops
 * those rules admit and NULL elsewhere, so that, say, the return value an `openat` rule reads does
 * not split the tuples of `read` calls: a rule only ever sees tuples of its own ops (gated()).
 */
interface Column {
  alias: 'e' | 'p';
  name: string;
  ops: string[] | null;
}

/** A condition whose matches in scope are asked about: its compiled predicate and the case's ops its gate admits. */
export interface Probe {
  where: Sql;
  ops: string[];
}

export interface Prefiltered {
  /** The scope narrowed to the candidate events (pass to runSingleEventRules). */
  scope: TriageScope;
  /** The probes (by index) no event in scope can match; those not asked about or not settled are absent. */
  unmatched: Set<number>;
  /** Candidate events found (for timings and tests). */
  candidates: number;
  drop(): Promise<void>;
}

/**
 * The scope narrowed to the events some rule's predicate holds for, or null when the rules read
 * something other than plain columns of e and p, or one of them fails at run time (then the batch
 * runs over the whole scope).
 * Rules that do not compile are left out: the batch skips them with their reason anyway.
 */
export async function prefilterByTuples(store: CaseStore, rules: Rule[], scope: TriageScope, knownOps?: readonly string[], knownFormats?: CaptureFormatMap | null, probes: readonly Probe[] = []): Promise<Prefiltered | null> {
  // The case's ops, when the caller has them, serve as well as the scope's (a superset only lists
  // ops no tuple of the scope holds); otherwise the scope's are read.
  const caseOps = knownOps ?? (await opsWhere(store, inScope(scope)));
  // The product's format exclusions as constants for the scope's captures (capture-formats.ts);
  // null: left as subqueries.
  const formats = knownFormats === undefined ? await captureFormats(store) : knownFormats;
  const compiled: Compiled[] = [];
  for (const rule of rules) {
    if (!rule.condition) continue;
    let where: Sql;
    try {
      where = compileCondition(rule, rule.condition);
      if (formats) where = resolveFormatExclusions(where, formats, scope.captureIds);
    } catch {
      continue;
    }
    const gate = opGate(rule);
    const ops = gate ? opsPassing(gate, caseOps) : null;
    if (ops?.length === 0) continue; // no event in scope has an op it can match
    compiled.push({ where, ops });
  }
  // The probes' predicates resolved as the rules' are; they widen the tuples by their ops and
  // columns, unless one reads what a tuple does not hold (then they are left out, not the rules).
  const probed: (Compiled & { index: number })[] = [];
  for (const [index, probe] of probes.entries()) {
    if (probe.ops.length === 0) continue; // FALSE: the engine's own query costs nothing
    try {
      probed.push({ index, where: formats ? resolveFormatExclusions(probe.where, formats, scope.captureIds) : probe.where, ops: probe.ops });
    } catch {
      continue;
    }
  }
  let columns = columnsOf([...compiled, ...probed]);
  if (columns === null && probed.length > 0) {
    probed.length = 0;
    columns = columnsOf(compiled);
  }
  if (columns === null) return null;
  await store.exec(sql`CREATE OR REPLACE TEMP TABLE ${rawSql(CANDIDATES)} (event_id BIGINT)`);
  const drop = async (): Promise<void> => {
    for (const t of [TUPLES, HIT_TUPLES, CANDIDATES]) await store.exec(sql`DROP TABLE IF EXISTS ${rawSql(t)}`);
  };
  try {
    const unmatched = new Set<number>();
    if (compiled.length > 0 || probed.length > 0) {
      await createTuples(store, [...compiled, ...probed], columns, scope);
      if (compiled.length > 0) await addCandidates(store, compiled, columns, scope);
      for (const probe of probed) {
        try {
          const hit = await store.one(sql`SELECT 1 AS hit FROM ${rawSql(TUPLES)} e WHERE ${gated(probe.where, probe.ops)} LIMIT 1`, { hit: 'num' });
          if (!hit) unmatched.add(probe.index);
        } catch {
          // Left unsettled: the rule runs its own query, which reports the error.
        }
      }
    }
    await store.exec(sql`DROP TABLE IF EXISTS ${rawSql(TUPLES)}`);
    await store.exec(sql`DROP TABLE IF EXISTS ${rawSql(HIT_TUPLES)}`);
    const n = (await store.one(sql`SELECT count(DISTINCT event_id) AS n FROM ${rawSql(CANDIDATES)}`, { n: 'num' }))?.n ?? 0;
    const filter = n === 0 ? sql`FALSE` : sql`e.event_id IN (SELECT event_id FROM ${rawSql(CANDIDATES)})`;
    return { scope: restrictScope(scope, filter), unmatched, candidates: n, drop };
  } catch {
    // A predicate DuckDB rejects at run time: the batch finds the rule and skips it with its reason.
    await drop();
    return null;
  }
}

/**
 * The columns the rules read, each with the ops whose events need it; null when a predicate reads
 * an alias or column this module does not know (a tuple would not determine its value).
 */
function columnsOf(compiled: Compiled[]): Column[] | null {
  const byKey = new Map<string, Column>([['e.op', { alias: 'e', name: 'op', ops: null }]]);
  for (const c of compiled) {
    for (const m of c.where.render().text.matchAll(/\b([A-Za-z_]\w*)\.("?)([A-Za-z_]\w*)\2/g)) {
      const [alias, name] = [m[1] as string, m[3] as string];
      if (!((alias === 'e' && E_COLUMNS.has(name)) || (alias === 'p' && P_COLUMNS.has(name)))) return null;
      const key = `${alias}.${name}`;
      const col = byKey.get(key);
      if (!col) byKey.set(key, { alias, name, ops: c.ops === null ? null : [...c.ops] });
      else if (col.ops !== null) col.ops = c.ops === null ? null : [...new Set([...col.ops, ...c.ops])];
    }
  }
  return [...byKey.values()].sort((a, b) => `${a.alias}.${a.name}`.localeCompare(`${b.alias}.${b.name}`));
}

/** The column's value for the tuple: the event's, or NULL for an event of an op no rule reading it admits. */
function valueOf(c: Column): Sql {
  const read = rawSql(`${c.alias}.${c.name}`);
  return c.ops === null ? read : sql`CASE WHEN e.op IN (${joinSql(c.ops.map((o) => sql`${o}`), ', ')}) THEN ${read} END`;
}

/** The events the tuples are made of: the scope's, of the ops the predicates admit (all when one is ungated). */
function tupleRows(compiled: Compiled[], scope: TriageScope): Sql {
  const anyUngated = compiled.some((c) => c.ops === null);
  return sql`${inScope(scope)} AND ${gated(sql`TRUE`, anyUngated ? null : [...new Set(compiled.flatMap((c) => c.ops ?? []))])}`;
}

/** event_rows joined with the tree only when a predicate reads the tree. */
const fromFor = (columns: Column[]): Sql => (columns.some((c) => c.alias === 'p') ? FROM : sql`event_rows e`);

/** The distinct tuples of the scope's events (rules' and probes' ops). */
async function createTuples(store: CaseStore, compiled: Compiled[], columns: Column[], scope: TriageScope): Promise<void> {
  const eCols = columns.filter((c) => c.alias === 'e');
  const pCols = columns.filter((c) => c.alias === 'p');
  const eList = joinSql(eCols.map((c) => sql`${valueOf(c)} AS ${rawSql(c.name)}`), ', ');
  // The tree's columns as a struct named p: the compiled predicates' `p.image` reads its field.
  const pStruct = pCols.length > 0 ? sql`, struct_pack(${joinSql(pCols.map((c) => sql`${rawSql(c.name)} := ${valueOf(c)}`), ', ')}) AS p` : sql``;
  await store.exec(sql`CREATE OR REPLACE TEMP TABLE ${rawSql(TUPLES)} AS SELECT DISTINCT ${eList}${pStruct} FROM ${fromFor(columns)} WHERE ${tupleRows(compiled, scope)}`);
}

/** The tuples some rule matches, and the events of the rules' ops carrying those. */
async function addCandidates(store: CaseStore, compiled: Compiled[], columns: Column[], scope: TriageScope): Promise<void> {
  const from = fromFor(columns);
  const rows = tupleRows(compiled, scope);
  // The rules in statements of RULES_PER_BATCH, as batch.ts does: thousands of Sigma rules OR'ed
  // in one statement would be megabytes of SQL. A tuple two chunks match is kept twice: harmless.
  await store.exec(sql`CREATE OR REPLACE TEMP TABLE ${rawSql(HIT_TUPLES)} AS SELECT * FROM ${rawSql(TUPLES)} WHERE FALSE`);
  for (let i = 0; i < compiled.length; i += RULES_PER_BATCH) {
    const anyRule = joinSql(compiled.slice(i, i + RULES_PER_BATCH).map((c) => sql`(${gated(c.where, c.ops)})`), ' OR ');
    await store.exec(sql`INSERT INTO ${rawSql(HIT_TUPLES)} SELECT * FROM ${rawSql(TUPLES)} e WHERE ${anyRule}`);
  }
  const hits = (await store.one(sql`SELECT count(*) AS n FROM ${rawSql(HIT_TUPLES)}`, { n: 'num' }))?.n ?? 0;
  if (hits === 0) return;
  // NULLs are values here (DISTINCT kept them as one tuple): join with IS NOT DISTINCT FROM.
  const on = joinSql(columns.map((c) => sql`${valueOf(c)} IS NOT DISTINCT FROM h.${rawSql(c.alias === 'e' ? c.name : `p.${c.name}`)}`), ' AND ');
  await store.exec(sql`INSERT INTO ${rawSql(CANDIDATES)} SELECT e.event_id FROM ${from} JOIN ${rawSql(HIT_TUPLES)} h ON ${on} WHERE ${rows}`);
}
