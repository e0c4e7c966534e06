import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCapture } from '../api/testing-case.ts';
import { readRowsByIds } from '../query/rows-by-id.ts';
import { SortKeyBuilder } from '../query/sort-keys.ts';
import { tempDir } from '../testing/temp.ts';
import { CaptureWriter } from './capture-writer.ts';
import { CaseStore } from './case-store.ts';
import { buildEventIdIndex, hasEventIdIndex } from './event-id-index.ts';
import { getEvent } from './event-rows.ts';
import { sql } from './sql.ts';

function events(n: number, seed: number) {
  return Array.from({ length: n }, (_, i) => ({ ts_us: 1_000_000 + i * 10, target: `/t/${(i * 7 + seed) % 13}`, pid: 100 + (i % 5) }));
}

const meta = { fileName: 'open.log', filePath: null, format: 'test', importerVersion: 'test@0', host: null, dateBasis: null, tz: 'UTC' };
const totals = { sha256: '0'.repeat(64), sizeBytes: 0, continuationLines: 0, skippedLines: 0, warnings: [] };

describe('event id index', () => {
  const dir = tempDir();
  let store: CaseStore;

  beforeAll(async () => {
    store = await CaseStore.open(dir.file('index.duckdb'));
    await addCapture(store, 'a', events(300, 1));
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });

  it('is made once, and an import drops it before its rows are appended', async () => {
    expect(await hasEventIdIndex(store)).toBe(false);
    expect(await buildEventIdIndex(store)).toBe(true);
    expect(await hasEventIdIndex(store)).toBe(true);
    expect(await buildEventIdIndex(store)).toBe(false); // already there
    await addCapture(store, 'b', events(50, 2));
    expect(await hasEventIdIndex(store)).toBe(false);
    expect(await buildEventIdIndex(store)).toBe(true);
  });

  it('is not made while an import is open, and is made once it has committed or aborted', async () => {
    const writer = await CaptureWriter.begin(store, meta);
    expect(await hasEventIdIndex(store)).toBe(false);
    events(20, 3).forEach((e, i) => writer.addEvent({ kind: 'api', op: 'openat', category: 'file', source_line: i + 1, ...e }));
    expect(await buildEventIdIndex(store)).toBe(false);
    expect(await hasEventIdIndex(store)).toBe(false);
    await writer.commit(totals);
    expect(await buildEventIdIndex(store)).toBe(true);

    const aborted = await CaptureWriter.begin(store, meta);
    expect(await buildEventIdIndex(store)).toBe(false);
    await aborted.abort();
    expect(await buildEventIdIndex(store)).toBe(true);
    expect(store.importsOpen).toBe(0);
  });

  it('gives the same rows for any ids as the read without it', async () => {
    const total = 370;
    const withIndex: Record<string, unknown>[][] = [];
    const lists = fc.sample(fc.uniqueArray(fc.integer({ min: 1, max: total + 5 }), { minLength: 1, maxLength: 60 }), { numRuns: 40, seed: 7 });
    expect(await hasEventIdIndex(store)).toBe(true);
    for (const ids of lists) withIndex.push((await readRowsByIds(store, ids)) as unknown as Record<string, unknown>[]);
    await addCapture(store, 'c', []); // an import drops it (no events: the ids stay the same)
    expect(await hasEventIdIndex(store)).toBe(false);
    for (const [i, ids] of lists.entries()) expect(await readRowsByIds(store, ids)).toEqual(withIndex[i]);
    // Rows come back in the order asked for.
    expect((await readRowsByIds(store, [5, 1, 300])).map((r) => r.event_id)).toEqual([5, 1, 300]);
  });

  it('is made again by the background builder after an import', async () => {
    const builder = new SortKeyBuilder(store, () => {}, 0);
    await addCapture(store, 'd', events(30, 4));
    expect(await hasEventIdIndex(store)).toBe(false);
    builder.start();
    await builder.idle();
    expect(await hasEventIdIndex(store)).toBe(true);
    await builder.stop();
  });

  it('does not stop the case from being reopened and upgraded', async () => {
    store.close();
    store = await CaseStore.open(dir.file('index.duckdb'));
    expect(await hasEventIdIndex(store)).toBe(true);
    expect((await readRowsByIds(store, [1, 400])).map((r) => r.event_id)).toEqual([1, 400]);
  });
});

describe('rows read by far-apart ids, with and without the index', () => {
  const dir = tempDir();
  let store: CaseStore;
  const EVENTS = 400_000;

  beforeAll(async () => {
    store = await CaseStore.open(dir.file('far.duckdb'));
    // Rows straight into the table: only their columns matter here, and an import of 400 k would be slow.
    await store.exec(sql`INSERT INTO event_rows (event_id, capture_id, ts_us, ts_raw_us, dur_us, host, pid, process, kind, op, category, target, source_line, level)
      SELECT i, 1, 1000000 + i, 1000000 + i, CASE WHEN i % 3 = 0 THEN NULL ELSE i % 97 END, 'h', i % 300, 'p' || (i % 7), 'api', 'openat', 'file', '/t/' || (i % 1000), i, NULL
      FROM range(1, CAST(${EVENTS + 1} AS BIGINT)) t(i)`);
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });

  it('are the rows asked for, in the order asked for, for narrow and wide spans', async () => {
    // Ids more than a run's gap apart (rows-by-id.ts), over spans below and above the index's.
    const lists = fc.sample(
      fc.tuple(fc.integer({ min: 1, max: 1_000 }), fc.constantFrom(100_000, 390_000), fc.uniqueArray(fc.integer({ min: 0, max: 99 }), { minLength: 10, maxLength: 40 })),
      { numRuns: 16, seed: 11 },
    ).map(([start, span, steps]) => steps.map((s) => start + Math.floor((s * span) / 100)).concat([EVENTS + 7]));
    const expected = async (ids: number[]) =>
      (await Promise.all(ids.map((id) => getEvent(store, id)))).filter((e): e is NonNullable<typeof e> => e !== undefined);
    for (const indexed of [false, true]) {
      if (indexed) expect(await buildEventIdIndex(store)).toBe(true);
      for (const ids of lists) expect(await readRowsByIds(store, ids)).toEqual(await expected(ids));
    }
  });
});
