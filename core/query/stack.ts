// Stacking (Procmon's Count Occurrences, Timesketch's aggregations): how many of the filtered
// events carry each value of one field, most frequent or rarest first. One GROUP BY in DuckDB
// over the same filter the table uses (bound values), so a count and the table it filters to agree.
import type { StackField, StackRequest, StackResponse } from '../api.ts';
import type { CaseStore } from '../store/case-store.ts';
import { rawSql, sql, type Sql } from '../store/sql.ts';
import { ENDPOINT_SQL, PATH_PREFIX_SQL } from './derived-columns.ts';
import { filterToSql } from './event-filter.ts';
import type { EventCountCache } from './event-page.ts';

/** Each field's value over `event_rows e`: a column, or one derived from the target. */
const VALUE_SQL: Record<StackField, Sql> = {
  process: sql`e.process`,
  op: sql`e.op`,
  category: sql`e.category`,
  kind: sql`e.kind`,
  host: sql`e.host`,
  target: sql`e.target`,
  path_prefix: PATH_PREFIX_SQL,
  endpoint: ENDPOINT_SQL,
};

export async function stackEvents(store: CaseStore, counts: EventCountCache, request: StackRequest): Promise<StackResponse> {
  const direction = rawSql(request.rare ? 'ASC' : 'DESC');
  // The window sums run over every group before the LIMIT keeps the first ones.
  const [total, rows] = await Promise.all([
    counts.count(store, request.filter),
    store.read.rows(
      sql`WITH grouped AS (
            SELECT ${VALUE_SQL[request.field]} AS value, count(*) AS n FROM event_rows e WHERE ${filterToSql(request.filter)} GROUP BY 1)
          SELECT value, n, count(*) OVER () AS distinct_values, CAST(sum(n) OVER () AS BIGINT) AS with_value
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
