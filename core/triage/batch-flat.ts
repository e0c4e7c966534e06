// Single-event rules over the run's flat table (field-cache.ts), one logsource at a time: the rows
// a logsource admits (its rewritten predicate: a few boolean columns) are copied once into a small
// temp table, and that logsource's rules run over it in batches, each rule a filtered scan with no
// join. SigmaHQ's Windows rules are mostly of a handful of logsources (process_creation alone holds
// half of them), each admitting a few percent of a Windows case's events, so a rule reads its own
// logsource's rows instead of every event. Each rule's full predicate (its logsource test
// included) still decides, so the (rule, events) pairs are those of the other layouts. The matches
// of every batch go to one temp table; the matched events are read once at the end.
// A field of a logsource served by several bindings reads as a CASE over the bindings (Image is
// the Sysmon field for Sysmon events, NewProcessName for Security 4688, …) repeated in every rule,
// and most matches read it lower-cased: each distinct CASE and lower(field) is computed once per
// row into a column of the logsource's table (v_1…), and the rules read the column — predicates of
// a few terms, cheap to plan and to evaluate. The table holds only the columns its rules read.
import type { CaseStore } from '../store/case-store.ts';
import { joinSql, rawSql, Sql, sql } from '../store/sql.ts';
import { FROM, MAX_EVENTS_PER_RULE, SELECT, SPEC, type TriageEvent } from './engine.ts';
import type { FieldCache } from './field-cache.ts';
import { gated } from './op-gate.ts';
import { logsourcePredicate } from './sigma/fields.ts';
import { describeLogsource } from './sigma/taxonomy/index.ts';
import type { Rule } from './sigma/types.ts';
import { SqlKeys } from './sql-key.ts';

/** Rules per statement over one logsource's rows (small predicates: the statement stays small). */
export const FLAT_RULES_PER_BATCH = 64;

const MATCHES = 'triage_flat_matches';
const LOGSOURCE_ROWS = 'triage_flat_logsource';

/** A rule's rewritten predicate and the case's ops it can match (null: any op; see op-gate.ts). */
export interface FlatRule {
  rule: Rule;
  where: Sql;
  ops: string[] | null;
}

export interface FlatResult {
  /** Matched events per rule, in time order, at most MAX_EVENTS_PER_RULE each (rules absent: none). */
  matched: Map<Rule, TriageEvent[]>;
  /** Batches whose statement failed: their rules are to be retried one by one. */
  failed: FlatRule[][];
}

/** Rules grouped by logsource, in first-seen order, with the logsource's rewritten predicate (null: every row). */
function byLogsource(rules: FlatRule[], fields: FieldCache): { admits: Sql | null; rules: FlatRule[] }[] {
  const groups = new Map<string, { admits: Sql | null; rules: FlatRule[] }>();
  for (const c of rules) {
    const key = describeLogsource(c.rule.logsource);
    let g = groups.get(key);
    if (!g) {
      const p = logsourcePredicate(c.rule.logsource);
      // A logsource nothing supplies cannot compile: such rules never get here. Read all rows if so.
      const admits = 'sql' in p && p.sql.render().text !== 'TRUE' ? fields.rewrite(p.sql) : null;
      g = { admits, rules: [] };
      groups.set(key, g);
    }
    g.rules.push(c);
  }
  return [...groups.values()];
}

export async function matchFlat(store: CaseStore, rules: FlatRule[], fields: FieldCache, onRulesDone?: (n: number) => void): Promise<FlatResult> {
  const table = fields.table;
  if (!table) throw new Error('matchFlat needs the flat table of field-cache.ts');
  const failed: FlatRule[][] = [];
  const index = new Map<number, Rule>();
  await store.exec(sql`CREATE OR REPLACE TEMP TABLE ${rawSql(MATCHES)} (r INTEGER, event_id BIGINT, ts_us BIGINT)`);
  const flatColumns = new Set(
    (await store.rows(sql`SELECT column_name FROM duckdb_columns() WHERE table_name = ${table} AND database_name = 'temp'`, { column_name: 'str' })).map((r) => r.column_name),
  );
  try {
    let next = 0;
    for (const group of byLogsource(rules, fields)) {
      const runnable = group.rules.filter((c) => c.ops === null || c.ops.length > 0);
      onRulesDone?.(group.rules.length - runnable.length);
      if (runnable.length === 0) continue;
      const keys = new SqlKeys();
      const reads = new Map<number, Sql>();
      for (const c of runnable) collectFieldReads(c.where, keys, reads);
      const columns = new Map([...reads.keys()].map((k, i) => [k, i]));
      const rewritten = runnable.map((c) => ({ ...c, where: readingColumns(c.where, keys, columns) }));
      const values = [...reads.values()].map((expr, i) => sql`${expr} AS ${rawSql(`v_${i + 1}`)}`);
      // Only the columns the rules read are copied (the flat table has hundreds of field columns).
      const copied = new Set(['event_id', 'ts_us', 'op']);
      for (const c of rewritten) for (const m of c.where.render().text.matchAll(COLUMN_REF)) copied.add(m[1] === 'p' ? 'p' : (m[2] as string));
      const select = [...[...copied].filter((c) => flatColumns.has(c)).map((c) => rawSql(`e.${c}`)), ...values];
      await store.exec(
        sql`CREATE OR REPLACE TEMP TABLE ${rawSql(LOGSOURCE_ROWS)} AS SELECT ${joinSql(select, ', ')} FROM ${rawSql(table)} e WHERE ${group.admits ?? sql`TRUE`}`,
      );
      const from = sql`${rawSql(LOGSOURCE_ROWS)} e`;
      for (let i = 0; i < runnable.length; i += FLAT_RULES_PER_BATCH) {
        const batch = rewritten.slice(i, i + FLAT_RULES_PER_BATCH).map((c) => ({ ...c, r: next++ }));
        for (const c of batch) index.set(c.r, c.rule);
        try {
          await store.exec(sql`INSERT INTO ${rawSql(MATCHES)} ${unionOver(from, batch)}`);
        } catch {
          failed.push(batch);
        }
        onRulesDone?.(batch.length);
      }
    }
    return { matched: await readMatches(store, index), failed };
  } finally {
    await store.exec(sql`DROP TABLE IF EXISTS ${rawSql(MATCHES)}`);
    await store.exec(sql`DROP TABLE IF EXISTS ${rawSql(LOGSOURCE_ROWS)}`);
  }
}

/** A column of the row a rule reads (`e.name`), or the process tree's struct (`p.name`). */
const COLUMN_REF = /\b(?:(p)\.[a-z_]+|e\.([a-z_][a-z0-9_]*))\b/g;

/** A field read over several bindings: `(CASE WHEN <binding> THEN <value> … END)` (sigma/fields.ts). */
function isFieldRead(s: Sql): boolean {
  return s.parts.length >= 2 && s.parts[0] === '(CASE ' && s.parts[s.parts.length - 1] === ' END)';
}

/** Per-record reads (auditd: r.rec) only exist inside their EXISTS: never computed per row. */
const perRecord = new WeakMap<Sql, boolean>();
function readsRecord(s: Sql): boolean {
  let v = perRecord.get(s);
  if (v === undefined) {
    v = /\br\.rec\b/.test(s.render().text);
    perRecord.set(s, v);
  }
  return v;
}

/** The lower-cased text of a field or column (compile.ts folds case with lower()): computed once per row too. */
function isLoweredField(s: Sql): boolean {
  if (s.parts.length !== 2 || s.parts[0] !== 'lower(' || s.parts[1] !== ')') return false;
  const inner = s.values[0];
  return inner instanceof Sql && (isFieldRead(inner) || (inner.values.length === 0 && /^e\.[a-z_][a-z0-9_]*$/.test(inner.parts[0] ?? '')));
}

function cacheable(s: Sql): boolean {
  return (isFieldRead(s) || isLoweredField(s)) && !readsRecord(s);
}

function collectFieldReads(s: Sql, keys: SqlKeys, into: Map<number, Sql>): void {
  if (cacheable(s)) into.set(keys.of(s), s);
  else for (const v of s.values) if (v instanceof Sql) collectFieldReads(v, keys, into);
}

function readingColumns(s: Sql, keys: SqlKeys, columns: Map<number, number>): Sql {
  if (cacheable(s)) {
    const i = columns.get(keys.of(s));
    if (i !== undefined) return rawSql(`e.v_${i + 1}`);
  }
  if (!s.values.some((v) => v instanceof Sql)) return s;
  return new Sql(s.parts, s.values.map((v) => (v instanceof Sql ? readingColumns(v, keys, columns) : v)));
}

/** One SELECT per rule over the logsource's rows, glued with UNION ALL, each capped per rule. */
function unionOver(from: Sql, batch: (FlatRule & { r: number })[]): Sql {
  return joinSql(
    batch.map(
      ({ where, ops, r }) => sql`(SELECT CAST(${r} AS INTEGER) AS r, e.event_id, e.ts_us FROM ${from} WHERE ${gated(where, ops)}
                                 ORDER BY e.ts_us, e.event_id LIMIT ${MAX_EVENTS_PER_RULE})`,
    ),
    ' UNION ALL ',
  );
}

/** The matched events per rule, read once for every rule (events through the process-tree join, as the other layouts read them). */
async function readMatches(store: CaseStore, index: Map<number, Rule>): Promise<Map<Rule, TriageEvent[]>> {
  const out = new Map<Rule, TriageEvent[]>();
  const matches = await store.rows(sql`SELECT r, event_id FROM ${rawSql(MATCHES)} ORDER BY r, ts_us, event_id`, { r: 'num', event_id: 'num' });
  if (matches.length === 0) return out;
  const events = (await store.rows(
    sql`SELECT ${SELECT}, NULL AS corr_value FROM ${FROM}
        WHERE e.event_id IN (SELECT DISTINCT event_id FROM ${rawSql(MATCHES)})`,
    { ...SPEC, corr_value: 'str?' },
  )) as TriageEvent[];
  const byId = new Map(events.map((e) => [e.event_id, e]));
  for (const m of matches) {
    const e = byId.get(m.event_id);
    const rule = index.get(m.r);
    if (!e || !rule) continue;
    const list = out.get(rule);
    if (list) list.push(e);
    else out.set(rule, [e]);
  }
  return out;
}
