import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventFilter } from '../api.ts';
import { addCapture } from '../api/testing-case.ts';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { tempDir } from '../testing/temp.ts';
import { filterToSql } from './event-filter.ts';
import { EventCountCache, eventPage, orderBy } from './event-page.ts';
import { idsOf } from './rows-by-id.ts';
import { caseTimeSpan, idsFromTimeWindows, windowShares } from './time-window.ts';

describe('windowShares', () => {
  it('asks for a window expected to hold a few times the rows needed, none when it would save little', () => {
    expect(windowShares(200, null).length).toBeGreaterThan(0);
    expect(windowShares(200, 150)).toEqual([]); // fewer matches than needed: the whole span anyway
    expect(windowShares(200, 600)).toEqual([]); // most of the span
    const [share] = windowShares(200, 100_000);
    expect(share).toBeGreaterThan(200 / 100_000);
    expect(share).toBeLessThan(0.01);
  });
});

describe('idsFromTimeWindows', () => {
  const dir = tempDir();
  let store: CaseStore;

  beforeAll(async () => {
    store = await CaseStore.open(dir.file('windows.duckdb'));
    // Two captures over the same hour, ties on ts_us, a rare op crowded at the end of the span.
    for (const [name, n] of [['a', 400], ['b', 300]] as const) {
      await addCapture(
        store,
        name,
        Array.from({ length: n }, (_, i) => ({
          ts_us: 1_000_000_000 + Math.floor(i / 2) * 9_000_000 + (name === 'b' ? 3 : 0),
          op: i % 97 === 0 || i > n - 12 ? 'execve' : i % 3 === 0 ? 'openat' : 'read',
          target: `/t/${i % 11}`,
        })),
      );
    }
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });

  it('gives exactly the plain query\'s page, or null when no window held enough rows', async () => {
    const span = await caseTimeSpan(store);
    expect(span).not.toBeNull();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<EventFilter>({ ops: ['execve'] }, { ops: ['openat'] }, { text: '/t/3' }, { ops: ['read'], text: '/t/1' }),
        fc.boolean(),
        fc.nat(60),
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.double({ min: 0.001, max: 1, noNaN: true }), { minLength: 1, maxLength: 3 }),
        async (filter, desc, offset, limit, shares) => {
          const where = filterToSql(filter);
          const order = orderBy({ column: 'ts_us', desc });
          const plain = await idsOf(store, sql`SELECT e.event_id FROM event_rows e WHERE ${where} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`);
          const windowed = await idsFromTimeWindows(store, { where, order, desc, offset, limit, span: span!, shares });
          if (windowed === null) expect(plain.length === limit && shares.includes(1)).toBe(false);
          else expect(windowed).toEqual(plain);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('serves the filtered time-ordered table pages (eventPage gives the plain query\'s rows)', async () => {
    const cache = new EventCountCache();
    for (const desc of [false, true]) {
      for (const filter of [{ ops: ['execve'] }, { ops: ['openat'] }] satisfies EventFilter[]) {
        const page = await eventPage(store, cache, { filter, sort: { column: 'ts_us', desc }, offset: 0, limit: 10 });
        const plain = await idsOf(
          store,
          sql`SELECT e.event_id FROM event_rows e WHERE ${filterToSql(filter)} ORDER BY ${orderBy({ column: 'ts_us', desc })} LIMIT 10`,
        );
        expect(page.rows.map((r) => r.event_id)).toEqual(plain);
      }
    }
  });
});
