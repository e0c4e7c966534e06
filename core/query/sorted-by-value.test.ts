import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SORTABLE_COLUMNS, type EventFilter } from '../api.ts';
import { addCapture } from '../api/testing-case.ts';
import { CaseStore } from '../store/case-store.ts';
import { EVENT_SELECT, readEvents } from '../store/event-rows.ts';
import { sql } from '../store/sql.ts';
import { tempDir } from '../testing/temp.ts';
import { filterToSql } from './event-filter.ts';
import { orderBy } from './event-page.ts';
import { pageByValue, partsFor, servedByValue, ValueHistogramCache } from './sorted-by-value.ts';

describe('partsFor', () => {
  it('cuts rows [offset, offset+limit) out of the values in order, each part inside one value', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 20 }), { maxLength: 12 }), fc.nat(250), fc.integer({ min: 1, max: 40 }), (counts, offset, limit) => {
        const values = counts.map((_, i) => `v${i}`);
        // The listing written out row by row: [value, index within the value].
        const rows = counts.flatMap((n, i) => Array.from({ length: n }, (_, k) => `v${i}#${k}`));
        const parts = partsFor(values, counts, offset, limit);
        const fromParts = parts.flatMap((p) => Array.from({ length: p.take }, (_, k) => `${String(p.value)}#${p.offset + k}`));
        expect(fromParts).toEqual(rows.slice(offset, offset + limit));
      }),
    );
  });
});

describe('pageByValue', () => {
  const dir = tempDir();
  let store: CaseStore;

  beforeAll(async () => {
    store = await CaseStore.open(dir.file('by-value.duckdb'));
    // Two captures of 90 events each (event ids not in value order; 60 of each op), NULLs in every nullable sort column, duplicates.
    for (const name of ['a', 'b']) {
      await addCapture(
        store,
        name,
        Array.from({ length: 90 }, (_, i) => ({
          ts_us: 1_000_000 + ((i * 37) % 90) * 10,
          dur_us: i % 7 === 0 ? null : (i * 11) % 17,
          host: i % 5 === 0 ? null : name === 'a' ? 'hmi' : 'ews',
          pid: i % 6 === 0 ? null : 300 + (i % 9),
          process: i % 4 === 0 ? null : `proc${i % 5}`,
          op: ['read', 'openat', 'connect'][i % 3] ?? 'read',
          target: i % 3 === 0 ? null : `/t/${i % 23}`,
          error: i % 8 === 0 ? 'ENOENT' : null,
        })),
      );
    }
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });

  it('gives the same rows as ORDER BY … LIMIT … OFFSET for every column it serves, both directions', async () => {
    const cache = new ValueHistogramCache();
    const listedCache = new ValueHistogramCache();
    const columns = SORTABLE_COLUMNS.filter(servedByValue);
    expect(columns.length).toBeGreaterThan(5);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...columns),
        fc.boolean(),
        fc.nat(190),
        fc.integer({ min: 1, max: 30 }),
        fc.constantFrom<EventFilter[]>({}, { ops: ['read', 'connect'] }, { failed_only: true }, { capture_ids: [1] }),
        fc.boolean(),
        async (column, desc, offset, limit, filter, listed) => {
          const expected = await readEvents(
            store.read,
            sql`SELECT ${EVENT_SELECT} FROM event_rows e WHERE ${filterToSql(filter)} ORDER BY ${orderBy({ column, desc })} LIMIT ${limit} OFFSET ${offset}`,
          );
          // listed: the histogram from the values listed per capture at import (column-values.ts) or a GROUP BY.
          const rows = await pageByValue(store, listed ? listedCache : cache, { filter, where: filterToSql(filter), listed, column, desc, offset, limit });
          // null: too many values for one page; the caller runs the plain query instead.
          if (rows !== null) expect(rows.map((r) => r.event_id)).toEqual(expected.map((r) => r.event_id));
        },
      ),
      { numRuns: 120 },
    );
  });

  it('answers pages of a few large values itself (not by falling back)', async () => {
    const rows = await pageByValue(store, new ValueHistogramCache(), { filter: {}, where: filterToSql({}), listed: true, column: 'op', desc: false, offset: 30, limit: 20 });
    expect(rows?.length).toBe(20);
    expect(new Set(rows?.map((r) => r.op))).toEqual(new Set(['connect']));
  });
});
