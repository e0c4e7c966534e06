// An index on event_rows(event_id), for reading a few hundred events by id when they lie far
// apart in the case. Without it DuckDB reads such a list as a join over every column of every row
// between the first and the last id: a table page sorted by duration, longest first, holds ids
// spread over the whole case (10 M events: 450–580 ms a page); through the index each row is
// fetched on its own (the same page: 40 ms). Ids that lie close together read no faster through
// it, and DuckDB chooses the scan for them itself.
//
// It costs about 15 % more per row appended to an indexed table, so an import drops it before
// its transaction begins and the case's background builder (sort-keys.ts) makes it again once the
// imports are over (1.4 s at 10 M events). It is never made while an import's transaction is
// open: DuckDB would have to add that transaction's rows to an index made after it began.
import type { CaseStore } from './case-store.ts';
import { sql } from './sql.ts';

export const EVENT_ID_INDEX = 'event_rows_event_id';

/** Whether the case has the index now. */
export async function hasEventIdIndex(store: CaseStore): Promise<boolean> {
  const row = await store.read.one(sql`SELECT count(*) AS n FROM duckdb_indexes() WHERE index_name = ${EVENT_ID_INDEX}`, { n: 'num' });
  return (row?.n ?? 0) > 0;
}

/**
 * Drops the index ahead of an import (committed on its own, holding the write gate, so that
 * the import's transaction starts without it) and counts the import as open until `ended`.
 */
export async function dropEventIdIndexForImport(store: CaseStore): Promise<{ ended(): void }> {
  await store.exclusively(async () => {
    if (!store.readOnly) await store.exec(sql`DROP INDEX IF EXISTS event_rows_event_id`);
    store.importsOpen++;
  });
  let ended = false;
  return {
    ended() {
      if (!ended) store.importsOpen--;
      ended = true;
    },
  };
}

/**
 * Makes the index when the case lacks it and no import is open; true when it was made. Holds the
 * write gate, so an import beginning meanwhile waits and then drops it again.
 */
export async function buildEventIdIndex(store: CaseStore): Promise<boolean> {
  if (store.readOnly) return false;
  return store.exclusively(async () => {
    if (store.importsOpen > 0 || (await hasEventIdIndex(store))) return false;
    // On a session of its own: the main connection stays free for reads meanwhile.
    const session = await store.openSession();
    try {
      await session.exec(sql`CREATE INDEX IF NOT EXISTS event_rows_event_id ON event_rows (event_id)`);
      // Into the case file now: a WAL holding an index cannot be replayed read-only (a report
      // or verify run beside the app reads a copy of the case that way: case-snapshot.ts).
      await session.exec(sql`CHECKPOINT`).catch(() => undefined);
    } finally {
      session.close();
    }
    return true;
  });
}
