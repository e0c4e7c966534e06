import { existsSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCapture } from '../api/testing-case.ts';
import { tempDir } from '../testing/temp.ts';
import { CaseStore } from './case-store.ts';
import { openCaseSnapshot } from './case-snapshot.ts';
import { EVENT_ID_INDEX } from './event-id-index.ts';
import { rawSql, sql } from './sql.ts';

describe('a consistent copy of a case another process has open', () => {
  const dir = tempDir();
  let store: CaseStore;
  const path = dir.file('open.duckdb');

  beforeAll(async () => {
    store = await CaseStore.open(path);
    await addCapture(store, 'a', Array.from({ length: 40 }, (_, i) => ({ ts_us: 1_000_000 + i })));
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });

  it('opens even when the WAL holds an index build, which DuckDB cannot replay read-only', async () => {
    // Committed to the WAL and not checkpointed: the owner still has the case open.
    const session = await store.openSession();
    await session.exec(sql`SET checkpoint_threshold = '1GB'`);
    await session.exec(rawSql(`CREATE INDEX ${EVENT_ID_INDEX} ON event_rows (event_id)`));
    session.close();
    expect(existsSync(`${path}.wal`) && statSync(`${path}.wal`).size > 0).toBe(true);
    const snapshot = await openCaseSnapshot(path);
    try {
      const row = await snapshot.store.read.one(sql`SELECT count(*) AS n FROM event_rows`, { n: 'num' });
      expect(row?.n).toBe(40);
      const indexes = await snapshot.store.read.one(sql`SELECT count(*) AS n FROM duckdb_indexes() WHERE index_name = ${EVENT_ID_INDEX}`, { n: 'num' });
      expect(indexes?.n).toBe(1);
    } finally {
      snapshot.dispose();
    }
  });
});
