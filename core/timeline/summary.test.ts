import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BucketRequest, BucketResponse, EventFilter } from '../api.ts';
import type { Category } from '../model/event.ts';
import { addCapture, type EventSpec } from '../api/testing-case.ts';
import { alignCapture } from '../case/align.ts';
import { importFile } from '../ingest/import-file.ts';
import { CaseStore } from '../store/case-store.ts';
import { LATEST_SCHEMA_VERSION } from '../store/migrations.ts';
import type { ColumnSpec, RowOf } from '../store/rows.ts';
import { rawSql, sql } from '../store/sql.ts';
import { fixture } from '../testing/corpus.ts';
import { tempDir } from '../testing/temp.ts';
import { laneBuckets } from './buckets.ts';
import { listLanes } from './lanes.ts';
import { COARSE_SHIFTS, SUMMARY_BUCKET_US } from './summary.ts';
import { mulberry32 } from '../testing/prng.ts';

const PROCMON = fixture('procmon-csv/win7-mixed.rows2881-3000.csv');


const withoutCategories = (r: BucketResponse) => ({ ...r, lanes: r.lanes.map((l) => ({ ...l, categories: [] })) });

const T0 = 1_764_000_000_000_000; // 2025-11-24, µs
const HOUR = 3_600_000_000;

/** Events spread over three hours: a few processes on two hosts, bursts, failures, other sources. */
function syntheticEvents(seed: number, n: number, host: string): EventSpec[] {
  const next = mulberry32(seed);
  const ops: [string, Category][] = [
    ['read', 'file'],
    ['connect', 'network'],
    ['futex', 'ipc'],
    ['mmap', 'memory'],
  ];
  return Array.from({ length: n }, (_, i) => {
    const burst = next() < 0.3;
    const ts = T0 + Math.floor(burst ? HOUR + next() * 20_000_000 : next() * 3 * HOUR);
    const [op, category] = ops[Math.floor(next() * ops.length)] ?? ['read', 'file'];
    if (next() < 0.1) return { ts_us: ts, kind: 'network', op: 'conn', category: 'network', host, source_line: i + 1 };
    return {
      ts_us: ts,
      host: next() < 0.1 ? null : host,
      pid: next() < 0.05 ? null : 100 + Math.floor(next() * next() * 6),
      op,
      category,
      error: next() < 0.05 ? 'ENOENT' : null,
    };
  });
}

describe('timeline summary level (lane_summary)', () => {
  const dir = tempDir();
  let store: CaseStore;
  let moved: number;

  const fromEvents = (r: BucketRequest) => laneBuckets(store, r, { summary: false });
  const summaryTotals = () =>
    store.rows(
      sql`SELECT capture_id, CAST(sum(events) AS BIGINT) AS n, CAST(sum(failed) AS BIGINT) AS failed FROM lane_summary GROUP BY ALL ORDER BY capture_id`,
      { capture_id: 'num', n: 'num', failed: 'num' },
    );
  /** Each coarse level's totals, which must equal the events' too. */
  const coarseTotals = (shift: number) =>
    store.rows(
      sql`SELECT capture_id, CAST(sum(events) AS BIGINT) AS n, CAST(sum(failed) AS BIGINT) AS failed FROM lane_summary_coarse
          WHERE bucket_shift = ${shift} GROUP BY ALL ORDER BY capture_id`,
      { capture_id: 'num', n: 'num', failed: 'num' },
    );
  const expectLevelsComplete = async () => {
    const events = await eventTotals();
    expect(await summaryTotals()).toEqual(events);
    for (const shift of COARSE_SHIFTS) expect(await coarseTotals(shift), `level 2^${shift}`).toEqual(events);
    const misaligned = await store.one(
      sql`SELECT count(*) AS n FROM lane_summary_coarse WHERE bucket_start_us % CAST(pow(2, bucket_shift) AS BIGINT) <> 0`,
      { n: 'num' },
    );
    expect(misaligned?.n).toBe(0);
  };
  const eventTotals = () =>
    store.rows(
      sql`SELECT capture_id, count(*) AS n, count(*) FILTER (WHERE error IS NOT NULL AND error <> '') AS failed FROM event_rows GROUP BY ALL ORDER BY capture_id`,
      { capture_id: 'num', n: 'num', failed: 'num' },
    );

  beforeAll(async () => {
    store = await CaseStore.open(dir.file('summary.duckdb'));
    await importFile(store, PROCMON);
    moved = await addCapture(store, 'hmi.strace', syntheticEvents(1, 3000, 'hmi-01'));
    await addCapture(store, 'ews.strace', syntheticEvents(2, 2000, 'ews-02'));
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });

  it('is filled at import with every event of every capture, at every level', async () => {
    await expectLevelsComplete();
    const aligned = await store.one(sql`SELECT count(*) AS n FROM lane_summary WHERE bucket_start_us % ${SUMMARY_BUCKET_US} <> 0`, { n: 'num' });
    expect(aligned?.n).toBe(0);
  });

  /** Random zoomed-out requests (width ≥ 2^20 µs) answered from the summary and from the events. */
  async function expectSameAnswers(seed: number, rounds: number): Promise<void> {
    const next = mulberry32(seed);
    const lanes = (await listLanes(store)).map((l) => l.lane_id);
    const pick = <T>(items: readonly T[]): T[] => items.filter(() => next() < 0.4);
    for (let round = 0; round < rounds; round++) {
      const from = T0 - HOUR + Math.floor(next() * 4 * HOUR);
      const to = from + Math.floor(next() * 4 * HOUR) + 1;
      const width = 2 ** (20 + Math.floor(next() * 9)) - (next() < 0.3 ? Math.floor(next() * 1000) : 0);
      const filter: EventFilter = {};
      if (next() < 0.3) filter.capture_ids = [1 + Math.floor(next() * 3)];
      if (next() < 0.2) filter.kinds = ['api'];
      if (next() < 0.2) filter.hosts = ['hmi-01'];
      if (next() < 0.2) filter.pids = [100, 101, 103];
      if (next() < 0.2) filter.from_us = from + Math.floor(next() * HOUR);
      if (next() < 0.2) filter.to_us = to - Math.floor(next() * HOUR);
      const request: BucketRequest = { from_us: from, to_us: to, bucket_us: width, filter };
      if (next() < 0.4) request.lane_ids = pick(lanes);
      if (next() < 0.2) request.total_only = true;
      const summary = await laneBuckets(store, request);
      expect(summary.bucket_us).toBeGreaterThanOrEqual(SUMMARY_BUCKET_US);
      const events = await fromEvents(request);
      if (summary.bucket_us === SUMMARY_BUCKET_US && !request.total_only && filter.capture_ids?.length === 1) {
        // Each bucket is one summary row (or counted from events at the ends): all equal.
        expect(summary, JSON.stringify(request)).toEqual(events);
      } else {
        // Buckets made of several summary rows (wider, or several captures): counts and failures
        // add up exactly; the dominant category is that of the busiest part, which may differ
        // from counting every event's category.
        expect(withoutCategories(summary), JSON.stringify(request)).toEqual(withoutCategories(events));
      }
    }
  }

  it('answers like the event rows over random ranges, widths, filters and lanes', async () => {
    const whole = await laneBuckets(store, { from_us: T0 - HOUR, to_us: T0 + 4 * HOUR, bucket_us: SUMMARY_BUCKET_US });
    expect(whole.lanes.reduce((s, l) => s + l.counts.reduce((a, b) => a + b, 0), 0)).toBe(5000);
    await expectSameAnswers(7, 40);
  });

  it('answers only the lanes asked for, and one total row when asked', async () => {
    const lanes = (await listLanes(store)).filter((l) => l.first_us >= T0);
    const wanted = lanes.slice(0, 2).map((l) => l.lane_id);
    const request = { from_us: T0, to_us: T0 + 3 * HOUR, bucket_us: 1 << 22 };
    const some = await laneBuckets(store, { ...request, lane_ids: wanted });
    expect(some.lanes.map((l) => l.lane_id).sort()).toEqual([...wanted].sort());
    const total = await laneBuckets(store, { ...request, total_only: true });
    expect(total.lanes.map((l) => l.lane_id)).toEqual(['']);
    expect(total.lanes[0]?.counts.reduce((a, b) => a + b, 0)).toBe(5000);
    expect(await laneBuckets(store, { ...request, lane_ids: [] })).toEqual({ bucket_us: 1 << 22, lanes: [] });
    await expect(laneBuckets(store, { ...request, lane_ids: ['nope'] })).rejects.toThrow(/lane id/);
  });

  it('stays equal to the event rows after a capture is aligned (and aligned again)', async () => {
    await alignCapture(store, { capture_id: moved, offset_us: 1_234_567 });
    await expectLevelsComplete();
    await expectSameAnswers(11, 15);
    await alignCapture(store, { capture_id: moved, offset_us: -HOUR / 2 - 3 });
    await expectLevelsComplete();
    await expectSameAnswers(13, 15);
  });
});

const SUMMARY_ROW = {
  capture_id: 'num',
  kind: 'str',
  host: 'str?',
  pid: 'num?',
  bucket_start_us: 'num',
  events: 'num',
  failed: 'num',
  category: 'str',
} as const;

/**
 * Builds a case as an import does, takes `table` and the record of migration `version` away (as
 * the version before it left the file), reopens it and expects the migration to rebuild the
 * table exactly as imports had filled it.
 */
async function expectMigrationRebuilds<T extends Record<string, ColumnSpec>>(path: string, version: number, table: string, spec: T, seed: number): Promise<RowOf<T>[]> {
  let store = await CaseStore.open(path);
  await addCapture(store, 'hmi.strace', syntheticEvents(seed, 500, 'hmi-01'));
  await addCapture(store, 'ews.strace', syntheticEvents(seed + 1, 300, 'ews-02'));
  const read = (s: CaseStore) => s.rows(sql`SELECT * FROM ${rawSql(table)} ORDER BY ALL`, spec);
  const expected = await read(store);
  expect(expected.length).toBeGreaterThan(0);
  await store.exec(sql`DROP TABLE ${rawSql(table)}`);
  await store.exec(sql`DELETE FROM schema_migrations WHERE version = ${version}`);
  store.close();
  store = await CaseStore.open(path);
  try {
    expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    expect(await read(store)).toEqual(expected);
    return expected;
  } finally {
    store.close();
  }
}

describe('summary migrations on older cases', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('migration 3 creates lane_summary and fills it from the events already there', async () => {
    await expectMigrationRebuilds(dir.file('v2.duckdb'), 3, 'lane_summary', SUMMARY_ROW, 3);
  });

  it('migration 5 creates the coarse levels and fills them as imports do', async () => {
    const rows = await expectMigrationRebuilds(dir.file('v4.duckdb'), 5, 'lane_summary_coarse', { bucket_shift: 'num', ...SUMMARY_ROW } as const, 5);
    expect(new Set(rows.map((r) => r.bucket_shift))).toEqual(new Set([22, 24, 26]));
  });
});
