import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventFilter } from '../api.ts';
import { addCapture } from '../api/testing-case.ts';
import { CaseStore } from '../store/case-store.ts';
import { rawSql, sql } from '../store/sql.ts';
import { tempDir } from '../testing/temp.ts';
import { filterToSql } from './event-filter.ts';
import { EventCountCache, eventPage, orderBy } from './event-page.ts';
import { keyedPageIds, readKeyedHistogram } from './keyed-pages.ts';
import { idsOf } from './rows-by-id.ts';
import { buildMissingSortKeys, keyedCaptures, KEYED_COLUMNS, SortKeyBuilder } from './sort-keys.ts';

/** Events with thin and thick values, NULLs, ties and event ids out of value order. */
function events(seed: number, n: number) {
  return Array.from({ length: n }, (_, i) => ({
    ts_us: 1_000_000 + ((i * 37 + seed) % n) * 10,
    dur_us: i % 7 === seed % 7 ? null : ((i + seed) * 11) % 29,
    target: i % 5 === seed % 5 ? null : i % 4 === 0 ? '/etc/hosts' : `/t/${(i * 13 + seed) % 41}`,
    op: ['read', 'openat', 'connect'][i % 3] ?? 'read',
  }));
}

describe('sort keys', () => {
  const dir = tempDir();
  let store: CaseStore;

  beforeAll(async () => {
    store = await CaseStore.open(dir.file('keys.duckdb'));
    await addCapture(store, 'a', events(1, 70));
    await addCapture(store, 'b', events(2, 45));
    await addCapture(store, 'c', events(3, 60));
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });

  it('are missing until built, then every capture is keyed for every keyed column', async () => {
    for (const col of KEYED_COLUMNS) expect(await keyedCaptures(store, col, undefined)).toBeNull();
    expect(await buildMissingSortKeys(store, () => false)).toBe(3 * KEYED_COLUMNS.length);
    expect(await buildMissingSortKeys(store, () => false)).toBe(0);
    for (const col of KEYED_COLUMNS) expect((await keyedCaptures(store, col, undefined))?.map((c) => c.capture_id)).toEqual([1, 2, 3]);
  });

  it('give the same page as ORDER BY … LIMIT … OFFSET, any column, direction, depth and capture set', async () => {
    await buildMissingSortKeys(store, () => false);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...KEYED_COLUMNS),
        fc.boolean(),
        fc.nat(180),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom<number[] | undefined>(undefined, [1], [2, 3], [1, 3]),
        async (col, desc, offset, limit, captureIds) => {
          const filter: EventFilter = captureIds ? { capture_ids: captureIds } : {};
          const expected = await idsOf(
            store,
            sql`SELECT e.event_id FROM event_rows e WHERE ${filterToSql(filter)} ORDER BY ${orderBy({ column: col, desc })} LIMIT ${limit} OFFSET ${offset}`,
          );
          const captures = await keyedCaptures(store, col, captureIds);
          const histogram = captures && (await readKeyedHistogram(store, col, captures));
          expect(histogram).not.toBeNull();
          expect(await keyedPageIds(store, col, histogram!, desc, offset, limit)).toEqual(expected);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('serve the table pages once built (eventPage gives the same rows, read ahead included)', async () => {
    await buildMissingSortKeys(store, () => false);
    const cache = new EventCountCache();
    for (const desc of [false, true]) {
      for (const offset of [0, 20, 40, 60, 160]) {
        const page = await eventPage(store, cache, { filter: {}, sort: { column: 'target', desc }, offset, limit: 20 });
        const expected = await idsOf(
          store,
          sql`SELECT e.event_id FROM event_rows e ORDER BY ${orderBy({ column: 'target', desc })} LIMIT 20 OFFSET ${offset}`,
        );
        expect(page.rows.map((r) => r.event_id)).toEqual(expected);
      }
    }
  });

  it('answer a free text that matched a few targets: the same rows as the text condition, any sort', async () => {
    await buildMissingSortKeys(store, () => false);
    const cache = new EventCountCache();
    for (const text of ['/t/1', 'HOSTS', '/t/40', 'no such path']) {
      for (const sort of [{ column: 'ts_us', desc: false }, { column: 'ts_us', desc: true }, { column: 'target', desc: false }, { column: 'pid', desc: true }] as const) {
        for (const offset of [0, 7]) {
          const filter: EventFilter = { text };
          const page = await eventPage(store, cache, { filter, sort, offset, limit: 9 });
          const plain = await idsOf(store, sql`SELECT e.event_id FROM event_rows e WHERE ${filterToSql(filter)} ORDER BY ${orderBy(sort)} LIMIT 9 OFFSET ${offset}`);
          expect(page.rows.map((r) => r.event_id), `${text} ${sort.column} ${sort.desc} ${offset}`).toEqual(plain);
        }
      }
    }
  });

  it('are rebuilt for a capture whose events changed, and a stale capture is not used meanwhile', async () => {
    await buildMissingSortKeys(store, () => false);
    await store.exec(sql`UPDATE sort_keys_captures SET events = events - 1 WHERE capture_id = 2 AND col = 'target'`);
    expect(await keyedCaptures(store, 'target', undefined)).toBeNull();
    expect(await keyedCaptures(store, 'target', [1, 3])).not.toBeNull();
    expect(await buildMissingSortKeys(store, () => false)).toBe(1);
    expect(await keyedCaptures(store, 'target', undefined)).not.toBeNull();
    const rows = await store.read.one(sql`SELECT count(*) AS n FROM sort_keys WHERE capture_id = 2 AND col = 'target'`, { n: 'num' });
    expect(rows?.n).toBe(45);
  });

  it('are built on a connection of their own: statements other code runs meanwhile on the main one are not taken into the build', async () => {
    await store.exec(sql`DELETE FROM sort_keys_captures WHERE capture_id = 1`);
    const building = buildMissingSortKeys(store, () => false);
    // What a pin or a failed query does on the main connection while the build runs.
    for (let i = 0; i < 20; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      await store.exec(sql`SELECT error('a statement of someone else that fails')`).catch(() => undefined);
      await store.exec(sql`CREATE TEMP TABLE IF NOT EXISTS scratch_${rawSql(String(i))} AS SELECT 1 AS x`);
    }
    expect(await building).toBe(KEYED_COLUMNS.length);
    expect((await keyedCaptures(store, 'target', undefined))?.length).toBeGreaterThan(0);
  });

  it('are built in the background by SortKeyBuilder after a new capture, and the caches hear of it', async () => {
    await addCapture(store, 'd', events(4, 30));
    expect(await keyedCaptures(store, 'dur_us', undefined)).toBeNull();
    let built = 0;
    const builder = new SortKeyBuilder(store, () => built++, 0);
    builder.start();
    await builder.idle();
    expect(built).toBe(KEYED_COLUMNS.length);
    expect((await keyedCaptures(store, 'dur_us', undefined))?.length).toBe(4);
    await builder.stop();
    builder.start(); // stopped: does nothing
    await builder.idle();
  });
});
