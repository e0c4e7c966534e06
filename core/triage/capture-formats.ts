// A `trace` rule of one product never reads the other system's captures: its logsource binding
// says `e.capture_id NOT IN (SELECT capture_id FROM captures WHERE format IN (…))` (taxonomy
// NotFromFormats). Inside one statement evaluating dozens of rules (the tuple pre-filter, a
// correlation's conditions) each of those subqueries is a join DuckDB plans again: on a strace
// import the pre-filter's statement spent most of its time planning them, over 155 tuples.
// A run reads the case's captures once and replaces each with what it is for the captures the
// statement can see: TRUE when none of them is of those formats, FALSE when all are, else a
// bound list of the excluded capture ids.
import type { CaseStore } from '../store/case-store.ts';
import { joinSql, Sql, sql } from '../store/sql.ts';
import { NotFromFormats } from './sigma/taxonomy/index.ts';

/** Capture id → format, for every capture of the case. */
export type CaptureFormatMap = ReadonlyMap<number, string>;

export async function captureFormats(store: CaseStore): Promise<CaptureFormatMap> {
  const rows = await store.rows(sql`SELECT capture_id, format FROM captures`, { capture_id: 'num', format: 'str' });
  return new Map(rows.map((r) => [r.capture_id, r.format]));
}

/**
 * `where` with every format exclusion resolved for events of `visible` captures (null: any
 * capture of the case). Exact for those events: the same rows pass as with the subquery.
 */
export function resolveFormatExclusions(where: Sql, formats: CaptureFormatMap, visible: readonly number[] | null): Sql {
  if (where instanceof NotFromFormats) {
    const ids = visible ?? [...formats.keys()];
    const excluded = ids.filter((id) => where.formats.includes(formats.get(id) ?? ''));
    if (excluded.length === 0) return sql`TRUE`;
    if (excluded.length === ids.length && visible !== null) return sql`FALSE`;
    return sql`NOT list_contains(CAST([${joinSql(excluded.map((id) => sql`${id}`), ', ')}] AS INTEGER[]), e.capture_id)`;
  }
  let changed = false;
  const values = where.values.map((v) => {
    if (!(v instanceof Sql)) return v;
    const r = resolveFormatExclusions(v, formats, visible);
    if (r !== v) changed = true;
    return r;
  });
  return changed ? new Sql(where.parts, values) : where;
}
