// An analyst's WHERE clause for `tracebench export --filter`: SQL text that cannot be a bound
// parameter, so it goes through the query console's guard (read-only-query.ts, statement-check.ts)
// as the one statement `SELECT * FROM events WHERE <filter>`, and that statement's parse tree
// must then be exactly that shape: one SELECT of every column of `events`, filtered, with no
// UNION, LIMIT, GROUP BY, CTE or other clause smuggled in after the condition. Only the checked
// statement, whole, is ever run (as a subquery), never the bare text.
import type { DuckDBConnection } from '@duckdb/node-api';
import { assertAllowed } from '../query/read-only-query.ts';
import { QueryRefusedError } from '../query/query-errors.ts';

/** A filter that passed the guard: the full statement to use as a subquery of `events` rows. */
export interface CheckedFilter {
  readonly statement: string;
}

type Node = Record<string, unknown>;

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function emptyList(v: unknown): boolean {
  return Array.isArray(v) && v.length === 0;
}

/** Why the parsed statement is not `SELECT * FROM events WHERE <condition>`, or null when it is. */
function shapeProblem(node: Node): string | null {
  if (node['type'] !== 'SELECT_NODE') return 'it makes more than one SELECT (UNION, INTERSECT…)';
  const cteMap = node['cte_map'];
  if (isNode(cteMap) && !emptyList(cteMap['map'])) return 'it adds a WITH clause';
  if (!emptyList(node['modifiers'])) return 'it adds ORDER BY, LIMIT, OFFSET or DISTINCT';
  const grouped = !emptyList(node['group_expressions']) || !emptyList(node['group_sets']) || node['aggregate_handling'] !== 'STANDARD_HANDLING';
  if (grouped) return 'it adds GROUP BY';
  if (node['having'] !== null || node['qualify'] !== null || node['sample'] !== null) return 'it adds HAVING, QUALIFY or USING SAMPLE';
  const list = node['select_list'];
  const star = Array.isArray(list) && list.length === 1 && isNode(list[0]) ? list[0] : null;
  if (!star || star['class'] !== 'STAR' || star['expr'] !== null || star['columns'] !== false) return 'it changes the selected columns';
  for (const k of ['exclude_list', 'replace_list', 'qualified_exclude_list', 'rename_list']) if (star[k] !== undefined && !emptyList(star[k])) return 'it changes the selected columns';
  const from = node['from_table'];
  if (!isNode(from) || from['type'] !== 'BASE_TABLE' || String(from['table_name']).toLowerCase() !== 'events') return 'it reads from something other than events';
  if (from['sample'] !== null || (from['at_clause'] ?? null) !== null) return 'it samples or time-travels the events table';
  if (node['where_clause'] === null || node['where_clause'] === undefined) return 'it is not a condition';
  return null;
}

/**
 * Checks an analyst's WHERE condition over the `events` view (columns as the query console
 * shows them: ts, pid, op, target…). Throws QueryRefusedError naming what was refused.
 */
export async function checkAnalystFilter(conn: DuckDBConnection, where: string): Promise<CheckedFilter> {
  if (where.trim() === '') throw new QueryRefusedError('the filter is empty: give a condition such as "op = \'execve\'"');
  // A newline before the end: a trailing "-- comment" in the filter cannot swallow what follows.
  const statement = `SELECT * FROM events WHERE ${where}\n`;
  const node = await assertAllowed(conn, statement).catch((err: unknown) => {
    if (err instanceof QueryRefusedError) throw new QueryRefusedError(`the filter is refused: ${err.message.replace(/ in the query console/g, '')}`);
    throw err;
  });
  const problem = shapeProblem(node);
  if (problem) throw new QueryRefusedError(`the filter must be one condition over events (a WHERE clause): ${problem}`);
  return { statement };
}
