import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SORTABLE_COLUMNS, type EventFilter } from '../api.ts';
import { addCapture } from '../api/testing-case.ts';
import { CaseStore } from '../store/case-store.ts';
import { tempDir } from '../testing/temp.ts';
import { EventCountCache, eventIndex, eventPage } from './event-page.ts';

describe('eventPage / eventIndex', () => {
  const dir = tempDir();
  let store: CaseStore;
  const counts = new EventCountCache();

  beforeAll(async () => {
    store = await CaseStore.open(dir.file('page.duckdb'));
    // Duplicate times, NULL pids/processes/durations: the order must still be total and stable.
    await addCapture(
      store,
      'fixture',
      Array.from({ length: 57 }, (_, i) => ({
        ts_us: 1_000_000 + Math.floor(i / 3) * 10,
        dur_us: i % 4 === 0 ? null : (i * 7) % 13,
        pid: i % 5 === 0 ? null : 200 + (i % 6),
        process: i % 3 === 0 ? null : `p${i % 4}`,
        op: i % 2 ? 'read' : 'openat',
        error: i % 9 === 0 ? 'EACCES' : null,
      })),
    );
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });

  it('pages cover the listing exactly once, and eventIndex agrees with the pages, for every sort', async () => {
    const filters: EventFilter[] = [{}, { ops: ['read'] }, { failed_only: true }];
    for (const filter of filters) {
      for (const column of SORTABLE_COLUMNS) {
        for (const desc of [false, true]) {
          const sort = { column, desc };
          const ids: number[] = [];
          let total: number;
          for (let offset = 0; ; offset += 10) {
            const page = await eventPage(store, counts, { filter, sort, offset, limit: 10 });
            total = page.total;
            ids.push(...page.rows.map((r) => r.event_id));
            if (page.rows.length < 10) break;
          }
          expect(ids).toHaveLength(total);
          expect(new Set(ids).size).toBe(total);
          for (const [i, id] of ids.entries()) {
            expect(await eventIndex(store, id, filter, sort), `${column} ${desc} id ${id}`).toBe(i);
          }
        }
      }
    }
  });

  it('returns null for an event the filter excludes', async () => {
    const page = await eventPage(store, counts, { filter: { ops: ['openat'] }, offset: 0, limit: 1 });
    const id = page.rows[0]?.event_id ?? -1;
    expect(await eventIndex(store, id, { ops: ['read'] })).toBeNull();
  });

  it('caches counts until cleared', async () => {
    const cache = new EventCountCache();
    expect(await cache.count(store, {})).toBe(57);
    await addCapture(store, 'more', [{ ts_us: 5 }]);
    expect(await cache.count(store, {})).toBe(57);
    cache.clear();
    expect(await cache.count(store, {})).toBe(58);
  });
});
