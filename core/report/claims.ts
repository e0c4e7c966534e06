// The report's "queries behind each claim": a count or list the report states is read by a query
// kept here with the claim, and the evidence appendix prints the query with its bound values
// written in, so anyone with the case file can run it in `tracebench query` and get the same rows.
import type { Sql, SqlValue } from '../store/sql.ts';
import type { ClaimQuery } from './model.ts';

/** The query as text with each bound value written as a SQL literal (for reading, never run). */
export function showSql(q: Sql): string {
  const { text, params } = q.render();
  return text
    .replace(/\$(\d+)/g, (_, n: string) => literal(params[Number(n) - 1] as SqlValue))
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

function literal(v: SqlValue | undefined): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return `'${v.replace(/'/g, "''")}'`;
}

/** Collects the claims of one report in the order they are made. */
export class ClaimLog {
  readonly list: ClaimQuery[] = [];
  add(claim: string, q: Sql): Sql {
    this.list.push({ claim, sql: showSql(q) });
    return q;
  }
}
