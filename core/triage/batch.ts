// Single-event rules (no correlation) evaluated together, a batch of rules per statement. With the
// run's flat table (field-cache.ts, a case of Windows or other field-carrying events), by logsource
// over that table (batch-flat.ts); otherwise, or when a layout is asked for, in one of two layouts: `union` (the default), one UNION ALL of per-rule SELECTs, each capped at
// MAX_EVENTS_PER_RULE; `columns`, one scan whose rows list the rules their event matches (one
// CASE per rule), unnested to (rule, event) pairs and capped per rule. Both are gated by the ops
// each rule can match (op-gate.ts); the matched events are then read once. bench/triage.ts
// measures both against one query per rule on the 1.5 M-call strace case (docs/benchmarks.md):
// under DuckDB 1.5 the UNION ALL was faster — the single OR'ed scan evaluates every rule's string
// matches on rows no rule's op gate admits. A batch whose SQL fails (a predicate DuckDB rejects
// at run time) is retried rule by rule, so one bad rule is skipped with its reason and never
// costs the others their findings.
import type { CaseStore } from '../store/case-store.ts';
import { joinSql, sql, type Sql } from '../store/sql.ts';
import { FROM, MAX_EVENTS_PER_RULE, SELECT, SPEC, runRule, type Hit, type TriageEvent } from './engine.ts';
import { compileCondition } from './sigma/compile.ts';
import type { Rule } from './sigma/types.ts';
import { inScope, type TriageScope } from './scope.ts';
import { gated, opGate, opsPassing, opsWhere } from './op-gate.ts';
import { NO_FIELD_CACHE, type FieldCache } from './field-cache.ts';
import { matchFlat } from './batch-flat.ts';

/** Rules per scan: bounds the statement's size and what a failing batch costs to retry. */
export const RULES_PER_BATCH = 64;

/** union (default): UNION ALL of per-rule SELECTs; columns: one scan listing the rules each row matches; per-rule: one query each (the old way, kept to measure against). */
export type BatchLayout = 'columns' | 'union' | 'per-rule';

export interface SkippedRule {
  rule: string;
  file: string;
  line: number;
  reason: string;
}

export interface BatchResult {
  hits: Map<Rule, Hit[]>;
  skipped: SkippedRule[];
}

export interface BatchOptions {
  /** Default: by logsource over the flat table when the field cache made one, else union. */
  layout?: BatchLayout;
  /** Called after each batch with the number of rules it settled. */
  onRulesDone?: (n: number) => void;
  /** Source fields extracted once for the run (field-cache.ts); default: rules parse e.fields. */
  fields?: FieldCache;
}

/** A rule's predicate, and the case's ops it can match (null: any op; see op-gate.ts). */
interface Compiled {
  rule: Rule;
  where: Sql;
  ops: string[] | null;
}

export function isSingleEvent(rule: Rule): boolean {
  return rule.correlation === null && rule.condition !== null;
}

export async function runSingleEventRules(store: CaseStore, rules: Rule[], scope: TriageScope, options: BatchOptions = {}): Promise<BatchResult> {
  const hits = new Map<Rule, Hit[]>();
  const skipped: SkippedRule[] = [];
  const fields = options.fields ?? NO_FIELD_CACHE;
  const caseOps = await opsWhere(store, inScope(scope));
  const compiled: Compiled[] = [];
  for (const rule of rules) {
    try {
      if (!rule.condition) throw new Error('rule without condition');
      const gate = opGate(rule);
      compiled.push({ rule, where: fields.rewrite(compileCondition(rule, rule.condition)), ops: gate ? opsPassing(gate, caseOps) : null });
    } catch (err) {
      skipped.push(skip(rule, err));
      options.onRulesDone?.(1);
    }
  }
  const retry = async (batch: Compiled[]): Promise<void> => {
    // Find the rule(s) the batch failed on: each alone, through the per-rule path.
    for (const { rule } of batch) {
      try {
        hits.set(rule, await runRule(store, rule, scope));
      } catch (err) {
        skipped.push(skip(rule, err));
      }
    }
  };
  if (fields.table !== null && options.layout === undefined) {
    const flat = await matchFlat(store, compiled, fields, options.onRulesDone);
    for (const batch of flat.failed) await retry(batch);
    const failed = new Set(flat.failed.flat().map((c) => c.rule));
    for (const { rule } of compiled) {
      if (!failed.has(rule)) hits.set(rule, (flat.matched.get(rule) ?? []).map((e) => ({ events: [e], detail: '' })));
    }
    return { hits, skipped };
  }
  for (let i = 0; i < compiled.length; i += RULES_PER_BATCH) {
    const batch = compiled.slice(i, i + RULES_PER_BATCH);
    try {
      if (options.layout === 'per-rule') throw new Error('per-rule layout');
      const matched = await matchBatch(store, batch, scope, options.layout === 'columns' ? 'columns' : 'union', fields);
      batch.forEach(({ rule }, r) => hits.set(rule, (matched.get(r) ?? []).map((e) => ({ events: [e], detail: '' }))));
    } catch {
      await retry(batch);
    }
    options.onRulesDone?.(batch.length);
  }
  return { hits, skipped };
}

function skip(rule: Rule, err: unknown): SkippedRule {
  return { rule: rule.id, file: rule.file, line: rule.line, reason: err instanceof Error ? err.message : String(err) };
}

/** Events matched per rule (index within the batch), in time order, at most MAX_EVENTS_PER_RULE each. */
async function matchBatch(store: CaseStore, batch: Compiled[], scope: TriageScope, layout: 'columns' | 'union', fields: FieldCache): Promise<Map<number, TriageEvent[]>> {
  const pairs = layout === 'columns' ? columnsQuery(batch, scope, fields) : unionQuery(batch, scope, fields);
  await store.exec(sql`CREATE OR REPLACE TEMP TABLE triage_batch_matches AS ${pairs}`);
  try {
    const matches = await store.rows(sql`SELECT r, event_id FROM triage_batch_matches ORDER BY r, ts_us, event_id`, { r: 'num', event_id: 'num' });
    const out = new Map<number, TriageEvent[]>();
    if (matches.length === 0) return out;
    const events = (await store.rows(
      sql`SELECT ${SELECT}, NULL AS corr_value FROM ${FROM}
          WHERE e.event_id IN (SELECT DISTINCT event_id FROM triage_batch_matches)`,
      { ...SPEC, corr_value: 'str?' },
    )) as TriageEvent[];
    const byId = new Map(events.map((e) => [e.event_id, e]));
    for (const m of matches) {
      const e = byId.get(m.event_id);
      if (!e) continue;
      const list = out.get(m.r);
      if (list) list.push(e);
      else out.set(m.r, [e]);
    }
    return out;
  } finally {
    await store.exec(sql`DROP TABLE IF EXISTS triage_batch_matches`);
  }
}

/**
 * One scan for the rules that read event columns only and one (with the process-tree join) for
 * those that read process ancestry: a predicate over `p` cannot be pushed below the join, so
 * mixing them would drag every event through it. Each candidate row lists the rules it matches;
 * the pairs are capped per rule.
 */
function columnsQuery(batch: Compiled[], scope: TriageScope, fields: FieldCache): Sql {
  const indexed = batch.map((c, r) => ({ ...c, r })).filter((c) => c.ops === null || c.ops.length > 0);
  const scans: Sql[] = [];
  for (const gated of [true, false]) {
    for (const joined of [false, true]) {
      const rules = indexed.filter((c) => (c.ops !== null) === gated && readsProcessTree(c.where) === joined);
      if (rules.length === 0) continue;
      const ops = gated ? [...new Set(rules.flatMap((c) => c.ops ?? []))] : null;
      scans.push(scan(rules, joined || fields !== NO_FIELD_CACHE ? fields.from : sql`event_rows e`, ops, scope));
    }
  }
  if (scans.length === 0) return sql`SELECT 0 AS r, 0 AS event_id, 0 AS ts_us WHERE FALSE`;
  return sql`SELECT r, event_id, ts_us FROM (${joinSql(scans, ' UNION ALL ')})
             QUALIFY row_number() OVER (PARTITION BY r ORDER BY ts_us, event_id) <= ${MAX_EVENTS_PER_RULE}`;
}

function scan(rules: { where: Sql; r: number }[], from: Sql, ops: string[] | null, scope: TriageScope): Sql {
  // list_distinct drops the NULLs of the rules a row does not match. The op gate and the OR of
  // the predicates filter the scan, so the CASE list only runs on the few rows some rule matches.
  // The gate alone (a predicate over e only) also goes below the process-tree join.
  const flags = joinSql(rules.map(({ where, r }) => sql`CASE WHEN ${where} THEN CAST(${r} AS INTEGER) END`), ', ');
  return sql`SELECT e.event_id, e.ts_us, unnest(list_distinct([${flags}])) AS r
             FROM ${from} WHERE ${inScope(scope)} AND ${gated(sql`TRUE`, ops)} AND ${gated(sql`(${joinSql(rules.map(({ where }) => where), ' OR ')})`, ops)}`;
}

/** The compiled predicate reads a column of the process tree (alias p, see engine.ts FROM). */
export function readsProcessTree(where: Sql): boolean {
  return /\bp\.[a-z_]+/.test(where.render().text);
}

/** One SELECT per rule, glued with UNION ALL (DuckDB may share the scan between them). */
function unionQuery(batch: Compiled[], scope: TriageScope, fields: FieldCache): Sql {
  const parts = batch
    .map((c, r) => ({ ...c, r }))
    .filter((c) => c.ops === null || c.ops.length > 0)
    .map(
      ({ where, ops, r }) => sql`(SELECT ${r} AS r, e.event_id, e.ts_us FROM ${fields.from} WHERE ${inScope(scope)} AND ${gated(sql`TRUE`, ops)} AND ${gated(where, ops)}
                                 ORDER BY e.ts_us, e.event_id LIMIT ${MAX_EVENTS_PER_RULE})`,
    );
  if (parts.length === 0) return sql`SELECT 0 AS r, 0 AS event_id, 0 AS ts_us WHERE FALSE`;
  return joinSql(parts, ' UNION ALL ');
}
