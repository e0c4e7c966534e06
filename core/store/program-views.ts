// Views the program itself made on a connection's database and vouches for, although their SQL
// names what the query console refuses: a Parquet dataset's `event_rows` is a view over
// read_parquet() of the dataset's own folder (parquet-case.ts). The console's allow-list
// (core/query/sql-allow-list.ts) treats these as tables; any other view must pass its check.
import type { DuckDBConnection } from '@duckdb/node-api';

const vouched = new WeakMap<DuckDBConnection, ReadonlySet<string>>();

export function vouchForViews(conn: DuckDBConnection, names: ReadonlySet<string>): void {
  if (names.size > 0) vouched.set(conn, names);
}

export function programViews(conn: DuckDBConnection): ReadonlySet<string> {
  return vouched.get(conn) ?? new Set();
}
