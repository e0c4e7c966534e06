import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SORTABLE_COLUMNS, type EventFilter } from '../api.ts';
import { addCapture } from '../api/testing-case.ts';
import type { EventSpec } from '../api/testing-case.ts';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { tempDir } from '../testing/temp.ts';
import { filterToSql } from './event-filter.ts';
import { EventCountCache, eventPage, orderBy } from './event-page.ts';
import { PageIdWindows, READ_AHEAD_PAGES } from './page-windows.ts';

describe('PageIdWindows', () => {
  const listing = Array.from({ length: 47 }, (_, i) => 1000 + i);
  const reader = () => {
    const calls: [number, number][] = [];
    const read = async (offset: number, count: number) => {
      calls.push([offset, count]);
      return listing.slice(offset, offset + count);
    };
    return { calls, read };
  };

  it('serves the next pages from the ids read ahead with the first, up to the listing end', async () => {
    const windows = new PageIdWindows();
    const { calls, read } = reader();
    const never = () => Promise.reject(new Error('not expected'));
    for (let offset = 0; offset < 60; offset += 4) {
      expect(await windows.ids('k', offset, 4, read, never)).toEqual(listing.slice(offset, offset + 4));
    }
    // Pages of 4: the first alone, then windows of 4 × READ_AHEAD_PAGES ids from the second on, one read each.
    const windowReads = Math.ceil((60 - 4) / (4 * READ_AHEAD_PAGES));
    expect(calls).toEqual([[0, 4], ...Array.from({ length: windowReads }, (_, i) => [4 + i * 4 * READ_AHEAD_PAGES, 4 * READ_AHEAD_PAGES])]);
    // Another listing, or the same after clear(), reads again.
    await windows.ids('other', 4, 4, read, never);
    windows.clear();
    await windows.ids('k', 4, 4, read, never);
    expect(calls.length).toBe(1 + windowReads + 2);
  });

  it('reads just the page when the read ahead is refused, and does not keep the refusal', async () => {
    const windows = new PageIdWindows();
    let pages = 0;
    const refuse = async () => null;
    const page = async () => {
      pages++;
      return [7, 8];
    };
    expect(await windows.ids('k', 10, 2, refuse, page)).toEqual([7, 8]);
    expect(await windows.ids('k', 10, 2, refuse, page)).toEqual([7, 8]);
    expect(await windows.ids('k', 0, 2, refuse, page)).toEqual([7, 8]);
    expect(pages).toBe(3);
  });
});

describe('eventPage with read-ahead', () => {
  const dir = tempDir();
  let store: CaseStore;

  // Duplicates, NULLs in every nullable sort column, ids not in any sort order.
  const events = (n: number, seed: number): EventSpec[] =>
    Array.from({ length: n }, (_, i) => ({
      ts_us: 1_000_000 + ((i * 37 + seed) % n) * 10,
      dur_us: i % 7 === 0 ? null : (i * 11 + seed) % 17,
      host: i % 5 === 0 ? null : seed % 2 ? 'hmi' : 'ews',
      pid: i % 6 === 0 ? null : 300 + (i % 9),
      process: i % 4 === 0 ? null : `proc${(i + seed) % 5}`,
      op: ['read', 'openat', 'connect'][i % 3] ?? 'read',
      target: i % 3 === 0 ? null : `/t/tag_${(i + seed) % 23}`,
      error: i % 8 === 0 ? 'ENOENT' : null,
    }));

  beforeAll(async () => {
    store = await CaseStore.open(dir.file('windows.duckdb'));
    await addCapture(store, 'a', events(90, 1));
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });

  const plainIds = async (filter: EventFilter, column: (typeof SORTABLE_COLUMNS)[number], desc: boolean) =>
    (await store.read.rows(sql`SELECT e.event_id FROM event_rows e WHERE ${filterToSql(filter)} ORDER BY ${orderBy({ column, desc })}`, { event_id: 'num' })).map(
      (r) => r.event_id,
    );

  it('pages read one after another (and jumps) equal the plain ORDER BY, before and after a second import', async () => {
    const counts = new EventCountCache();
    let imported = false;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SORTABLE_COLUMNS),
        fc.boolean(),
        fc.integer({ min: 1, max: 25 }),
        fc.array(fc.nat(200), { minLength: 1, maxLength: 6 }),
        fc.constantFrom<EventFilter>({}, { ops: ['read', 'connect'] }, { failed_only: true }, { text: 'tag_1' }, { text: 'T/TAG' }, { capture_ids: [1] }),
        fc.boolean(),
        async (column, desc, limit, jumps, filter, secondImport) => {
          if (secondImport && !imported) {
            // Events change: the caches are cleared, as the import job does.
            await addCapture(store, 'b', events(70, 2));
            counts.clear();
            imported = true;
          }
          const expected = await plainIds(filter, column, desc);
          // Consecutive pages from the first jump on, then the other jumps as offsets.
          const offsets = [jumps[0] ?? 0, (jumps[0] ?? 0) + limit, (jumps[0] ?? 0) + 2 * limit, ...jumps.slice(1)];
          for (const offset of offsets) {
            const page = await eventPage(store, counts, { filter, sort: { column, desc }, offset, limit });
            expect(page.rows.map((r) => r.event_id)).toEqual(expected.slice(offset, offset + limit));
            expect(page.total).toBe(expected.length);
          }
        },
      ),
      { numRuns: 80 },
    );
    expect(imported).toBe(true);
  });
});
