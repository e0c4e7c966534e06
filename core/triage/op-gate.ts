// The ops a single-event rule can possibly match, read from its detection: when every way the
// condition can be true passes through an `op: [name, …]` matcher with plain values, an event
// whose op is none of those names cannot match. The batch scan (batch.ts) then filters on
// `e.op IN (…)` first — a filter DuckDB pushes into the scan of the dictionary-compressed op
// column — and evaluates the rule's full predicate only on what passes. The gate is a necessary
// condition, never the rule itself: the full predicate still decides.
import { columnValuesComplete, listedHistogram } from '../query/column-values.ts';
import type { CaseStore } from '../store/case-store.ts';
import { joinSql, sql, type Sql } from '../store/sql.ts';
import { expandPattern } from './sigma/condition.ts';
import { resolveField } from './sigma/fields.ts';
import type { ConditionNode, FieldMatcher, Rule, Selection } from './sigma/types.ts';

/** Lower-cased op names the rule needs one of; null when it does not constrain op. */
export type OpGate = Set<string> | null;

export function opGate(rule: Rule): OpGate {
  return rule.condition ? conditionGate(rule, rule.condition) : null;
}

/** The gate of one condition of the rule (its detection, a sequence step, a baseline condition). */
export function conditionGate(rule: Rule, node: ConditionNode): OpGate {
  // Only where the rule's `op` is the event column (a logsource could map the name elsewhere).
  if (resolveField(rule.logsource, 'op')?.render().text !== 'e.op') return null;
  return nodeGate(rule, node);
}

/**
 * `where` evaluated only on events whose op passes the gate. A CASE, not an AND: DuckDB would
 * keep an `op IN (…)` conjunct as an optional (zone-map) scan filter and run the costly string
 * matches of the rule on every row; the CASE evaluates its THEN branch on the rows its WHEN
 * selected.
 */
export function gated(where: Sql, ops: readonly string[] | null): Sql {
  if (ops === null) return where;
  if (ops.length === 0) return sql`FALSE`;
  return sql`CASE WHEN e.op IN (${joinSql(ops.map((o) => sql`${o}`), ', ')}) THEN ${where} ELSE FALSE END`;
}

export function nodeGate(rule: Rule, node: ConditionNode): OpGate {
  switch (node.type) {
    case 'ref': {
      const s = rule.selections.get(node.name);
      return s ? selectionGate(s) : null;
    }
    case 'and':
      return all(node.items.map((n) => nodeGate(rule, n)));
    case 'or':
      return any(node.items.map((n) => nodeGate(rule, n)));
    case 'not':
      return null;
    case 'of': {
      const gates = expandPattern(node.pattern, [...rule.selections.keys()]).map((name) => {
        const s = rule.selections.get(name);
        return s ? selectionGate(s) : null;
      });
      return node.quantifier === 'all' ? all(gates) : any(gates);
    }
  }
}

/** Every alternative (map) of the selection must name the op. */
function selectionGate(s: Selection): OpGate {
  if (s.alternatives.length === 0) return null; // keywords are matchers of field '': never a gate
  return any(s.alternatives.map((alt) => all(alt.map(matcherGate))));
}

function matcherGate(m: FieldMatcher): OpGate {
  if (m.field !== 'op' || m.values.length === 0) return null;
  if (!m.modifiers.every((mod) => mod === 'cased' || mod === 'all')) return null;
  const names = new Set<string>();
  for (const v of m.values) {
    // Wildcards and escapes would need pattern matching: leave such a rule ungated.
    if (typeof v !== 'string' || /[*?\\]/.test(v)) return null;
    names.add(v.toLowerCase());
  }
  return names;
}

/** AND: any constraining part is a necessary condition (the smallest is the tightest). */
function all(gates: OpGate[]): OpGate {
  const known = gates.filter((g): g is Set<string> => g !== null);
  if (known.length === 0) return null;
  return known.reduce((a, b) => (a.size <= b.size ? a : b));
}

/** OR: only when every branch constrains op, the union of them. */
function any(gates: OpGate[]): OpGate {
  if (gates.length === 0 || gates.some((g) => g === null)) return null;
  return new Set(gates.flatMap((g) => [...(g as Set<string>)]));
}

/** The distinct op values (as stored) of the events `where` selects (alias e). */
export async function opsWhere(store: CaseStore, where: Sql): Promise<string[]> {
  return (await store.rows(sql`SELECT DISTINCT op FROM event_rows e WHERE ${where} AND op IS NOT NULL`, { op: 'str' })).map((r) => r.op);
}

/**
 * Every op value (as stored) in the case. Read from the values each capture lists at import
 * (column-values.ts: a few hundred rows) when every capture is listed, else from the events
 * (1.5 M calls: ~110 ms).
 */
export async function caseOpValues(store: CaseStore): Promise<string[]> {
  if (!(await columnValuesComplete(store))) return opsWhere(store, sql`TRUE`);
  const listed = await listedHistogram(store, 'op', undefined, Number.POSITIVE_INFINITY);
  return (listed?.values ?? []).filter((op): op is string => typeof op === 'string');
}

/** The case's op values (as stored) that pass the gate. */
export function opsPassing(gate: Set<string>, caseOps: readonly string[]): string[] {
  return caseOps.filter((op) => gate.has(op.toLowerCase()));
}
