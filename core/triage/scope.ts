// Which events a triage run evaluates. A full run takes the whole case; an incremental run (after
// an import) takes the new captures' events, and for correlation rules also the events of other
// captures that fall inside the rule's window around the new captures' time span, since a
// threshold or sequence may be completed by what another capture of the same host saw.
import type { CaseStore } from '../store/case-store.ts';
import { joinSql, rawSql, sql, type Sql } from '../store/sql.ts';

export interface TriageScope {
  /** The captures evaluated; null: every capture (a full run). */
  captureIds: number[] | null;
  /** Time span of those captures' events (µs); null when they hold no event. */
  span: { firstUs: number; lastUs: number } | null;
  /** A further condition over `e` the events must meet (a pre-filter's candidates, tuple-prefilter.ts). */
  rows?: Sql;
}

export const FULL_SCOPE: TriageScope = { captureIds: null, span: null };

export async function scopeOf(store: CaseStore, captureIds: number[] | undefined): Promise<TriageScope> {
  if (captureIds === undefined) return FULL_SCOPE;
  const ids = [...new Set(captureIds)].sort((a, b) => a - b);
  if (ids.length === 0) return { captureIds: [], span: null };
  const row = await store.one(
    sql`SELECT min(ts_us) AS first_us, max(ts_us) AS last_us FROM event_rows WHERE list_contains(${idList(ids)}, capture_id)`,
    { first_us: 'num?', last_us: 'num?' },
  );
  const span = row?.first_us != null && row.last_us != null ? { firstUs: row.first_us, lastUs: row.last_us } : null;
  return { captureIds: ids, span };
}

/** SQL predicate over `e` (event_rows): the event belongs to the scope's captures. */
export function inScope(scope: TriageScope): Sql {
  const captures = scope.captureIds === null ? rawSql('TRUE') : sql`list_contains(${idList(scope.captureIds)}, e.capture_id)`;
  return scope.rows ? sql`(${captures} AND ${scope.rows})` : captures;
}

/** The scope's events that also meet `rows` (the same captures and span). */
export function restrictScope(scope: TriageScope, rows: Sql): TriageScope {
  return { ...scope, rows: scope.rows ? sql`(${scope.rows} AND ${rows})` : rows };
}

/**
 * SQL predicate over `e`: the event is in scope, or lies within `windowUs` of the scope's time
 * span (any capture) — the events a correlation window over the new captures can reach.
 */
export function inScopeWindow(scope: TriageScope, windowUs: number): Sql {
  if (scope.captureIds === null) return rawSql('TRUE');
  if (!scope.span) return inScope(scope);
  return sql`(${inScope(scope)} OR e.ts_us BETWEEN ${scope.span.firstUs - windowUs} AND ${scope.span.lastUs + windowUs})`;
}

/**
 * The same events as `inScopeWindow` (or, with `pidless`, as the scope OR the window's events
 * without a pid), as disjoint predicates: the scope's captures, then the window's other events.
 * Each part alone is a conjunction DuckDB prunes by zone maps (the window by ts_us), where the OR
 * of the two made it read every row of every capture; callers UNION ALL the parts.
 */
export function scopeWindowParts(scope: TriageScope, windowUs: number, pidless: boolean): Sql[] {
  if (scope.captureIds === null) return [rawSql('TRUE')];
  if (!scope.span) return [inScope(scope)];
  const around = sql`e.ts_us BETWEEN ${scope.span.firstUs - windowUs} AND ${scope.span.lastUs + windowUs} AND NOT ${inScope(scope)}`;
  return [inScope(scope), pidless ? sql`${around} AND e.pid IS NULL` : around];
}

/** True when the event was evaluated as part of the scope (not only as window context). */
export function eventInScope(scope: TriageScope, captureId: number): boolean {
  return scope.captureIds === null || scope.captureIds.includes(captureId);
}

/** Captures whose events a window of `windowUs` around the scope reaches (for the process tree). */
export async function capturesNear(store: CaseStore, scope: TriageScope, windowUs: number): Promise<number[] | null> {
  if (scope.captureIds === null) return null;
  if (!scope.span) return scope.captureIds;
  const rows = await store.rows(
    sql`SELECT DISTINCT capture_id FROM event_rows e WHERE ${inScopeWindow(scope, windowUs)} ORDER BY capture_id`,
    { capture_id: 'num' },
  );
  return [...new Set([...scope.captureIds, ...rows.map((r) => r.capture_id)])];
}

export function idList(ids: readonly number[]): Sql {
  return sql`CAST([${joinSql(ids.map((id) => sql`${id}`), ', ')}] AS INTEGER[])`;
}
