// Bulk writes through DuckDB's appender, for derived tables rebuilt after an import: bound
// parameters cost about a millisecond per hundred rows, and a traced server has a socket-call link
// per send and recv (millions), a long trace thousands of short-lived processes.
import type { DuckDBAppender } from '@duckdb/node-api';
import type { CaseStore } from './case-store.ts';

/** Appends `rows` to `table` (its columns in table order, written by `append`). */
export async function appendRows<T>(store: CaseStore, table: string, rows: readonly T[], append: (row: T, a: DuckDBAppender) => void): Promise<void> {
  if (rows.length === 0) return;
  const appender = await store.connection().createAppender(table);
  try {
    for (const row of rows) {
      append(row, appender);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/** Appends `v` with `put`, or NULL. */
export function orNull<T>(a: DuckDBAppender, v: T | null, put: (v: T) => void): void {
  if (v === null) a.appendNull();
  else put(v);
}
