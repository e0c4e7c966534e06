// The scope of an incremental run as disjoint parts (scopeWindowParts) selects exactly the events
// the single OR predicate selected, each once: random captures, pids and times, checked in DuckDB.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseStore } from '../store/case-store.ts';
import { joinSql, sql, type Sql } from '../store/sql.ts';
import { tempDir } from '../testing/temp.ts';
import { inScope, inScopeWindow, scopeOf, scopeWindowParts } from './scope.ts';
import { addCapture, call } from './testing/build-case.ts';

const dir = tempDir();
let store: CaseStore;
const captureIds: number[] = [];

beforeAll(async () => {
  store = await CaseStore.open(dir.file('case.duckdb'));
  const rand = fc.sample(fc.array(fc.record({ sec: fc.integer({ min: 0, max: 600 }), pid: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }) }), { minLength: 5, maxLength: 40 }), { numRuns: 4, seed: 7 });
  for (const [i, events] of rand.entries()) {
    captureIds.push(
      await addCapture(
        store,
        events.map((e) => ({ ...call(e.sec, e.pid ?? 0, 'read', null), pid: e.pid ?? null })),
        `c${i}.txt`,
      ),
    );
  }
});
afterAll(() => {
  store.close();
  dir.remove();
});

async function ids(where: Sql): Promise<number[]> {
  const rows = await store.rows(sql`SELECT e.event_id FROM event_rows e WHERE ${where} ORDER BY e.event_id`, { event_id: 'num' });
  return rows.map((r) => r.event_id);
}

describe('scopeWindowParts', () => {
  it('selects what the OR predicate selects, each event once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.subarray(captureIds, { minLength: 1 }), fc.integer({ min: 0, max: 300 }), fc.boolean(), async (scoped, windowSec, pidless) => {
        const scope = await scopeOf(store, scoped);
        const windowUs = windowSec * 1_000_000;
        const expected = await ids(pidless ? sql`(${inScope(scope)} OR (e.pid IS NULL AND ${inScopeWindow(scope, windowUs)}))` : inScopeWindow(scope, windowUs));
        const parts = scopeWindowParts(scope, windowUs, pidless);
        const got = (await Promise.all(parts.map(ids))).flat().sort((a, b) => a - b);
        expect(got).toEqual(expected);
        const union = await ids(sql`(${joinSql(parts, ' OR ')})`);
        expect(union).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });
});
