// Runs one rule over the case: single-event rules select events in SQL; threshold, sequence and
// novelty rules select their candidate events in SQL and correlate them here. Output: hits, each
// a set of events that together satisfy the rule (grouping into findings is in findings-build.ts).
import type { StoredEvent } from '../model/event.ts';
import type { CaseStore } from '../store/case-store.ts';
import { EVENT_SELECT, EVENT_SPEC } from '../store/event-rows.ts';
import { joinSql, sql, type Sql } from '../store/sql.ts';
import { IN_BASELINE } from './baseline-scope.ts';
import { FULL_SCOPE, eventInScope, inScope, scopeWindowParts, type TriageScope } from './scope.ts';
import { compileCondition } from './sigma/compile.ts';
import { sigmaCorrelationHits } from './sigma/correlation.ts';
import { fieldExpr } from './sigma/fields.ts';
import { conditionGate, gated, opsPassing } from './op-gate.ts';
import { resolveFormatExclusions, type CaptureFormatMap } from './capture-formats.ts';
import { LIGHT_SELECT, LIGHT_SPEC, withWholeEvents, type HitOf, type LightEvent } from './hit-events.ts';
import type { ConditionNode, GroupBy, Rule } from './sigma/types.ts';

/** An event with what the process tree adds. */
export interface TriageEvent extends StoredEvent {
  image: string | null;
  parent_image: string | null;
  tgid: number | null;
  root_pid: number | null;
  /** The value of a threshold rule's `distinct` field, when it has one. */
  corr_value?: string | null;
}

export interface Hit {
  events: TriageEvent[];
  /** Extra words for the explanation (e.g. "12 distinct targets within 10 s"). */
  detail: string;
  /** For novelty rules: the key value the baseline never saw (e.g. the new program's path). */
  novelty?: string;
}

/** Most events one rule may pull from the case: a rule matching more is too broad to be a finding. */
export const MAX_EVENTS_PER_RULE = 20_000;

export const SPEC = { ...EVENT_SPEC, image: 'str?', parent_image: 'str?', tgid: 'num?', root_pid: 'num?' } as const;
export const FROM = sql`event_rows e LEFT JOIN triage_proc p ON p.capture_id = e.capture_id AND p.pid = e.pid`;
export const SELECT = sql`${EVENT_SELECT}, p.image, p.parent_image, p.tgid, p.root_pid`;

/**
 * Events matching `condition` within the scope `parts` (disjoint predicates, their union is the
 * scope: contextWindow), in time order, at most MAX_EVENTS_PER_RULE: the few columns a correlation
 * reads (hit-events.ts), the rest is read for the hits' events only.
 */
async function selectEvents(store: CaseStore, parts: Sql[], condition: Sql, distinct: string | null = null): Promise<LightEvent[]> {
  const value = distinct ? sql`CAST(${fieldExpr(distinct)} AS VARCHAR)` : sql`NULL`;
  const selects = parts.map((part) => sql`SELECT ${LIGHT_SELECT}, ${value} AS corr_value FROM ${FROM} WHERE ${part} AND ${condition}`);
  const query =
    selects.length === 1
      ? sql`${selects[0] as Sql} ORDER BY e.ts_us, e.event_id LIMIT ${MAX_EVENTS_PER_RULE}`
      : sql`SELECT * FROM (${joinSql(selects, ' UNION ALL ')}) ORDER BY ts_us, event_id LIMIT ${MAX_EVENTS_PER_RULE}`;
  return store.rows(query, { ...LIGHT_SPEC, corr_value: 'str?' });
}

/**
 * The rule's hits. With an incremental scope (core/triage/scope.ts), single-event and novelty
 * rules look at the scope's events only; threshold and sequence rules also read the events their
 * window reaches around it, and keep the hits that include at least one event in scope.
 */
export async function runRule(store: CaseStore, rule: Rule, scope: TriageScope = FULL_SCOPE, caseOps?: readonly string[], formats?: CaptureFormatMap): Promise<Hit[]> {
  const c = rule.correlation;
  // With the case's captures known, the product's format exclusions become constants (any capture
  // may be in a window: resolved over them all).
  const resolved = (where: Sql): Sql => (formats ? resolveFormatExclusions(where, formats, null) : where);
  const condition = (node: ConditionNode | null): Sql => resolved(gatedCondition(rule, req(node), caseOps));
  if (!c) return withWholeEvents(store, (await selectEvents(store, [inScope(scope)], condition(rule.condition))).map((e) => ({ events: [e], detail: '' })));
  switch (c.type) {
    case 'threshold': {
      const events = await selectEvents(store, contextWindow(scope, c.withinUs, c.groupBy), condition(rule.condition), c.distinct);
      return withWholeEvents(store, touchingScope(thresholdHits(events, c.count, c.distinct, c.withinUs, c.groupBy), scope));
    }
    case 'sequence': {
      const window = contextWindow(scope, c.withinUs, c.groupBy);
      const stepEvents = await Promise.all(c.steps.map((s: ConditionNode) => selectEvents(store, window, condition(s))));
      return withWholeEvents(store, touchingScope(sequenceHits(stepEvents, c.withinUs, c.groupBy), scope));
    }
    case 'novel':
      return novelHits(store, condition(rule.condition), c.baseline ? condition(c.baseline) : null, c.key, scope);
    case 'sigma':
      // Sigma correlations are evaluated over the whole case and their findings replaced whole (run.ts).
      return sigmaCorrelationHits(store, c);
  }
}

/**
 * A condition of the rule, compiled; with the case's ops (`caseOps`, every op any event of the
 * case has), evaluated only on events whose op its detection admits (op-gate.ts): the same events
 * match, but the string matches skip the calls of every other op.
 */
function gatedCondition(rule: Rule, node: ConditionNode, caseOps: readonly string[] | undefined): Sql {
  const compiled = compileCondition(rule, node);
  const gate = caseOps ? conditionGate(rule, node) : null;
  if (!gate || !caseOps) return compiled;
  // The gate alone (over e only) is also a conjunct of its own, so DuckDB filters by it below the
  // process tree's join (batch.ts does the same).
  const ops = opsPassing(gate, caseOps);
  return sql`(${gated(sql`TRUE`, ops)} AND ${gated(compiled, ops)})`;
}

/**
 * The events a correlation over the scope can group with: other captures' events share a host or
 * target group, but a process or tree group only when they have no pid (groupKey falls back to
 * the target), since those groups are per capture.
 */
function contextWindow(scope: TriageScope, withinUs: number, by: GroupBy): Sql[] {
  return scopeWindowParts(scope, withinUs, !crossesCaptures(by));
}

export function crossesCaptures(by: GroupBy): boolean {
  return by === 'host' || by === 'target';
}

/** Hits made only of window context (other captures' events) were found by an earlier run. */
function touchingScope<E extends LightEvent>(hits: HitOf<E>[], scope: TriageScope): HitOf<E>[] {
  return scope.captureIds === null ? hits : hits.filter((h) => h.events.some((e) => eventInScope(scope, e.capture_id)));
}

function req(node: ConditionNode | null): ConditionNode {
  if (!node) throw new Error('rule without condition');
  return node;
}

/** What groupKey reads of an event. */
type Grouped = Pick<TriageEvent, 'capture_id' | 'host' | 'pid' | 'target' | 'tgid' | 'root_pid'>;

/** The key events are grouped by (one process, one process tree, one host, one target). */
export function groupKey(e: Grouped, by: GroupBy): string {
  const proc = e.tgid ?? e.pid;
  switch (by) {
    case 'process':
      return proc === null ? `t:${e.host}:${e.target}` : `p:${e.capture_id}:${proc}`;
    case 'tree':
      return proc === null ? `t:${e.host}:${e.target}` : `r:${e.capture_id}:${e.root_pid ?? proc}`;
    case 'host':
      return `h:${e.host}`;
    case 'target':
      return `t:${e.host}:${e.target}`;
  }
}

function byGroup<E extends Grouped>(events: E[], by: GroupBy): Map<string, E[]> {
  const m = new Map<string, E[]>();
  for (const e of events) {
    const k = groupKey(e, by);
    const list = m.get(k);
    if (list) list.push(e);
    else m.set(k, [e]);
  }
  return m;
}

/** Windows of ≤ withinUs holding ≥ count events (or distinct values); overlapping windows merge. */
export function thresholdHits<E extends LightEvent>(events: E[], count: number, distinct: string | null, withinUs: number, by: GroupBy): HitOf<E>[] {
  const hits: HitOf<E>[] = [];
  for (const list of byGroup(events, by).values()) {
    let current: E[] | null = null;
    let start = 0;
    for (let end = 0; end < list.length; end++) {
      const last = list[end] as E;
      while (last.ts_us - (list[start] as E).ts_us > withinUs) start++;
      const window = list.slice(start, end + 1);
      const size = distinct ? new Set(window.map((e) => e.corr_value ?? null)).size : window.length;
      if (size >= count) {
        if (current && (window[0] as E).ts_us <= (current[current.length - 1] as E).ts_us) {
          for (const e of window) if (!current.includes(e)) current.push(e);
        } else {
          current = [...window];
          hits.push({ events: current, detail: '' });
        }
      }
    }
  }
  for (const h of hits) {
    const n = distinct ? new Set(h.events.map((e) => e.corr_value ?? null)).size : h.events.length;
    const span = ((h.events[h.events.length - 1]?.ts_us ?? 0) - (h.events[0]?.ts_us ?? 0)) / 1e6;
    h.detail = `${n} ${distinct ? `distinct ${distinct} values` : 'matching events'} within ${span.toFixed(1)} s (threshold ${count} within ${withinUs / 1e6} s)`;
  }
  return hits;
}

/** Step 1, then step 2 … by the same group, each within `withinUs` of the first step. */
export function sequenceHits<E extends LightEvent>(stepEvents: E[][], withinUs: number, by: GroupBy): HitOf<E>[] {
  const hits: HitOf<E>[] = [];
  const groups = stepEvents.map((evs) => byGroup(evs, by));
  for (const [k, firsts] of groups[0] ?? new Map<string, E[]>()) {
    let after = -Infinity;
    for (const first of firsts) {
      if (first.ts_us < after) continue; // already part of an earlier match
      const chain: E[] = [first];
      let t = first.ts_us;
      for (let s = 1; s < groups.length; s++) {
        const next = (groups[s]?.get(k) ?? []).find((e) => e.ts_us >= t && e.ts_us - first.ts_us <= withinUs && e.event_id !== chain[chain.length - 1]?.event_id);
        if (!next) break;
        chain.push(next);
        t = next.ts_us;
      }
      if (chain.length === groups.length) {
        hits.push({ events: chain, detail: `in order within ${((t - first.ts_us) / 1e6).toFixed(1)} s` });
        after = t;
      }
    }
  }
  return hits;
}

/** Matching events outside the baseline whose key never occurs among matching baseline events. */
async function novelHits(store: CaseStore, cond: Sql, baselineCond: Sql | null, key: string[], scope: TriageScope): Promise<Hit[]> {
  const keyExpr = sql`concat_ws(chr(31), ${joinSql(key.map((k) => sql`coalesce(CAST(${fieldExpr(k)} AS VARCHAR), '')`), ', ')})`;
  // The keys known from the baseline: of events matching `baseline` when given (e.g. all ICS
  // traffic, so a write on a long-standing polling connection is not new), else the condition.
  const baseCond = baselineCond ?? cond;
  // The known keys read the baseline stretch of every capture; most runs over a new capture find
  // no candidate at all, and then there is nothing to compare.
  const candidate = await store.one(
    sql`SELECT 1 AS found FROM ${FROM} JOIN triage_baseline b ON b.capture_id = e.capture_id
        WHERE ${inScope(scope)} AND ${cond} AND NOT ${IN_BASELINE} LIMIT 1`,
    { found: 'num' },
  );
  if (!candidate) return [];
  // The novel events' ids and keys first; whole rows for those only (hit-events.ts).
  const novel = await store.rows(
    sql`WITH m AS (
          SELECT e.event_id, e.ts_us, ${keyExpr} AS novelty_key
          FROM ${FROM} JOIN triage_baseline b ON b.capture_id = e.capture_id
          WHERE ${inScope(scope)} AND ${cond} AND NOT ${IN_BASELINE}),
        known AS (
          SELECT DISTINCT ${keyExpr} AS novelty_key
          FROM ${FROM} JOIN triage_baseline b ON b.capture_id = e.capture_id
          WHERE ${baseCond} AND ${IN_BASELINE})
        SELECT event_id, novelty_key FROM m
        WHERE novelty_key NOT IN (SELECT novelty_key FROM known)
        ORDER BY ts_us, event_id LIMIT ${MAX_EVENTS_PER_RULE}`,
    { event_id: 'num', novelty_key: 'str' },
  );
  const hits = await withWholeEvents(store, novel.map((n) => ({ events: [{ event_id: n.event_id }], detail: '' })));
  return hits.map((h, i) => ({
    events: h.events,
    detail: `never seen in the baseline (${key.join(', ')})`,
    novelty: (novel[i]?.novelty_key ?? '').split(String.fromCharCode(31)).filter(Boolean).join(' '),
  }));
}
