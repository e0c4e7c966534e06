// Stacking (Procmon's Count Occurrences, Timesketch's aggregations): how many of the filtered
// events carry each value of one field, most frequent or rarest first. One GROUP BY in DuckDB
// over the same filter the table uses (bound values), so a count and the table it filters to agree.
import type { StackField, StackRequest, StackResponse } from '../api.ts';
import type { CaseStore } from '../store/case-store.ts';
import { rawSql, sql, type Sql } from '../store/sql.ts';
import { ENDPOINT_SQL, PATH_PREFIX_SQL } from './derived-columns.ts';
import { filterToSql } from './event-filter.ts';
import type { EventCountCache } from './event-page.ts';

/** Each field's value over `event_rows e`: a column. */
const COLUMN_SQL: Record<Exclude<StackField, DerivedField>, Sql> = {
  process: sql`e.process`,
  op: sql`e.op`,
  category: sql`e.category`,
  kind: sql`e.kind`,
  host: sql`e.host`,
  target: sql`e.target`,
};

/** Values derived from the target (derived-columns.ts), over rows with a `target` column aliased e. */
type DerivedField = 'path_prefix' | 'endpoint';
const DERIVED_SQL: Record<DerivedField, Sql> = { path_prefix: PATH_PREFIX_SQL, endpoint: ENDPOINT_SQL };

function isDerived(field: StackField): field is DerivedField {
  return field === 'path_prefix' || field === 'endpoint';
}

/**
 * Counts per value. A derived value is computed once per distinct target, not once per event:
 * the targets are counted first and the regular expressions run over those (on 5M events, the
 * directories took seconds derived row by row).
 */
function groupedSql(request: StackRequest): Sql {
  const where = filterToSql(request.filter);
  if (!isDerived(request.field)) return sql`SELECT ${COLUMN_SQL[request.field]} AS value, count(*) AS n FROM event_rows e WHERE ${where} GROUP BY 1`;
  return sql`SELECT ${DERIVED_SQL[request.field]} AS value, sum(e.n) AS n
             FROM (SELECT e.target, count(*) AS n FROM event_rows e WHERE ${where} AND e.target IS NOT NULL GROUP BY 1) e
             GROUP BY 1`;
}

export async function stackEvents(store: CaseStore, counts: EventCountCache, request: StackRequest): Promise<StackResponse> {
  const direction = rawSql(request.rare ? 'ASC' : 'DESC');
  // The window sums run over every group before the LIMIT keeps the first ones.
  const [total, rows] = await Promise.all([
    counts.count(store, request.filter),
    store.read.rows(
      sql`WITH grouped AS (${groupedSql(request)})
          SELECT value, CAST(n AS BIGINT) AS n, count(*) OVER () AS distinct_values, CAST(sum(n) OVER () AS BIGINT) AS with_value
          FROM grouped WHERE value IS NOT NULL AND value <> ''
          ORDER BY n ${direction}, value LIMIT ${request.limit}`,
      { value: 'str', n: 'num', distinct_values: 'num', with_value: 'num' },
    ),
  ]);
  return {
    field: request.field,
    rows: rows.map((r) => ({ value: r.value, count: r.n })),
    distinct: rows[0]?.distinct_values ?? 0,
    total,
    with_value: rows[0]?.with_value ?? 0,
  };
}
