import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SORTABLE_COLUMNS, type EventFilter } from '../api.ts';
import { addCapture, type EventSpec } from '../api/testing-case.ts';
import { CaseStore } from '../store/case-store.ts';
import { EVENT_SELECT, readEvents } from '../store/event-rows.ts';
import { rawSql, sql } from '../store/sql.ts';
import { tempDir } from '../testing/temp.ts';
import { columnValuesComplete, fillAllColumnValuesSql, listedHistogram, listedHistograms } from './column-values.ts';
import { filterToSql } from './event-filter.ts';
import { EventCountCache, eventPage, orderBy } from './event-page.ts';

// Mixed case, LIKE wildcards, a backslash and a non-ASCII letter, so a text can match in several
// columns at once, in one only, or nowhere.
const WORDS = ['Open', 'passwd', 'ETC', 'tag_42', 'TAG_42 HI', '50%', 'a_b', '\\x', 'é', 'ENOENT'];

function makeEvents(seed: number): EventSpec[] {
  return Array.from({ length: 80 }, (_, i) => {
    const w = (k: number) => WORDS[(i * k + seed) % WORDS.length] ?? 'x';
    return {
      ts_us: 1_700_000_000_000_000 + ((i * 37 + seed) % 80) * 1000,
      dur_us: i % 9 === 0 ? null : (i * 13) % 11,
      host: i % 4 === 0 ? null : `h${seed}`,
      pid: i % 5 === 0 ? null : 100 + (i % 3),
      process: i % 6 === 0 ? null : `proc-${w(1)}`,
      op: ['openat', 'read', 'connect'][i % 3] ?? 'read',
      target: i % 7 === 0 ? null : `/var/${w(3)}/${i % 5}`,
      args: i % 2 === 0 ? null : `${w(7)}, ${i % 4}`,
      ret: i % 3 === 0 ? '-1' : '0',
      error: i % 3 === 0 ? w(5) : null,
    };
  });
}

describe('column_values (migration 18)', () => {
  const dir = tempDir();
  let store: CaseStore;

  beforeAll(async () => {
    store = await CaseStore.open(dir.file('values.duckdb'));
    await addCapture(store, 'a', makeEvents(0));
    await addCapture(store, 'b', makeEvents(3));
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });

  it('lists every capture at commit, and its histograms are the GROUP BY over the events', async () => {
    expect(await columnValuesComplete(store)).toBe(true);
    const columns = ['dur_us', 'pid', 'process', 'kind', 'level', 'op', 'category', 'target', 'host'] as const;
    for (const column of columns) {
      for (const captureIds of [undefined, [2]]) {
        const where = captureIds ? sql`capture_id = 2` : sql`TRUE`;
        const numeric = column === 'dur_us' || column === 'pid';
        const expected = await store.read.rows(
          sql`SELECT ${rawSql(column)} AS v, count(*) AS n FROM event_rows WHERE ${where} GROUP BY ALL ORDER BY 1 ASC NULLS LAST`,
          { v: numeric ? 'num?' : 'str?', n: 'num' },
        );
        const listed = await listedHistogram(store, column, captureIds, 1000);
        expect(listed?.values).toEqual(expected.map((r) => r.v));
        expect(listed?.counts).toEqual(expected.map((r) => r.n));
        // All columns in one read: the same histograms.
        const together = await listedHistograms(store, columns, captureIds, 1000);
        expect(together.get(column)).toEqual(listed);
      }
    }
    // A column over the limit is left out, the others kept.
    const limited = await listedHistograms(store, ['kind', 'target'], undefined, 3);
    expect([...limited.keys()]).toEqual(['kind']);
  });

  it('free-text pages and counts read through the listed values equal the plain ILIKE scan', async () => {
    const fragments = [...WORDS, 'tag', 'TAG_4', '_', '%', 'e', 'nothing-here', '/var/', 'o', ', 1'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...fragments),
        fc.constantFrom<EventFilter>({}, { capture_ids: [1] }, { ops: ['read', 'openat'] }, { failed_only: true }),
        fc.constantFrom(...SORTABLE_COLUMNS),
        fc.boolean(),
        fc.nat(60),
        async (text, rest, column, desc, offset) => {
          const filter: EventFilter = { ...rest, text };
          const sort = { column, desc };
          // A fresh cache each time: the count is not remembered from an earlier case of the property.
          const page = await eventPage(store, new EventCountCache(), { filter, sort, offset, limit: 15 });
          const plain = filterToSql(filter); // no matches given: the ILIKE scan
          const total = await store.read.one(sql`SELECT count(*) AS n FROM event_rows e WHERE ${plain}`, { n: 'num' });
          const rows = await readEvents(store.read, sql`SELECT ${EVENT_SELECT} FROM event_rows e WHERE ${plain} ORDER BY ${orderBy(sort)} LIMIT 15 OFFSET ${offset}`);
          expect(page.total).toBe(total?.n);
          expect(page.rows.map((r) => r.event_id)).toEqual(rows.map((r) => r.event_id));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a text found nowhere gives no rows and a zero count without reading the events', async () => {
    const cache = new EventCountCache();
    const plan = await cache.plans.plan(store, { text: 'nothing-here' });
    expect(plan.text).toEqual([]);
    expect(plan.where.render().text).toContain('FALSE');
    const page = await eventPage(store, cache, { filter: { text: 'nothing-here' }, offset: 0, limit: 10 });
    expect(page).toEqual({ rows: [], total: 0, offset: 0 });
  });

  it('a capture not listed makes the case unlisted (callers scan); migration 18 lists the captures already there', async () => {
    await store.exec(sql`DELETE FROM column_values_captures WHERE capture_id = 2`);
    expect(await columnValuesComplete(store)).toBe(false);
    expect((await new EventCountCache().plans.plan(store, { text: 'tag' })).text).toBeNull();
    const before = await store.read.rows(sql`SELECT * FROM column_values ORDER BY ALL`, { capture_id: 'num', col: 'str', str_value: 'str?', num_value: 'num?', n: 'num' });
    await store.exec(sql`DELETE FROM column_values`);
    await store.exec(sql`DELETE FROM column_values_captures`);
    for (const statement of fillAllColumnValuesSql()) await store.exec(rawSql(statement));
    expect(await columnValuesComplete(store)).toBe(true);
    const after = await store.read.rows(sql`SELECT * FROM column_values ORDER BY ALL`, { capture_id: 'num', col: 'str', str_value: 'str?', num_value: 'num?', n: 'num' });
    expect(after).toEqual(before);
  });
});
