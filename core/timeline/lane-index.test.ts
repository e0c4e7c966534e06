import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BucketRequest } from '../api.ts';
import type { Category } from '../model/event.ts';
import { addCapture, type EventSpec } from '../api/testing-case.ts';
import { alignCapture } from '../case/align.ts';
import { CaseStore } from '../store/case-store.ts';
import { tempDir } from '../testing/temp.ts';
import { mulberry32 } from '../testing/prng.ts';
import { bucketWidthFor, laneBuckets } from './buckets.ts';
import { bucketsFromIndex } from './lane-index.ts';
import { listLanes } from './lanes.ts';

const T0 = 1_764_000_000_000_000;
const HOUR = 3_600_000_000;

/** Events of a few processes and a log, with mixed categories (ties included) and failures. */
function events(seed: number, n: number, host: string): EventSpec[] {
  const next = mulberry32(seed);
  const categories: Category[] = ['file', 'network', 'ipc', 'memory'];
  return Array.from({ length: n }, (_, i) => {
    const ts = T0 + Math.floor(next() < 0.3 ? HOUR + next() * 5_000_000 : next() * 2 * HOUR);
    if (next() < 0.1) return { ts_us: ts, kind: 'log', op: 'line', category: 'log', host, source_line: i + 1 };
    return {
      ts_us: ts,
      host,
      pid: 100 + Math.floor(next() * 4),
      op: 'op',
      category: categories[Math.floor(next() * categories.length)] ?? 'file',
      error: next() < 0.05 ? (next() < 0.5 ? 'ENOENT' : '') : null,
    };
  });
}

describe('in-memory lane index', () => {
  const dir = tempDir();
  let store: CaseStore;

  beforeAll(async () => {
    store = await CaseStore.open(dir.file('index.duckdb'));
    await addCapture(store, 'a.strace', events(1, 4000, 'hmi-01'));
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });

  /** Answers from the index once it has loaded the lanes asked for. */
  async function fromIndex(request: BucketRequest) {
    const width = bucketWidthFor(request);
    // A load already running may be for other lanes: ask again until this one's are in.
    for (let attempt = 0; attempt < 3; attempt++) {
      const result = await bucketsFromIndex(store, request, width, { loadDelayMs: 0 });
      if (result.answer) return result.answer;
      await result.loading;
    }
    return null;
  }

  async function expectSameAsEvents(seed: number, rounds: number): Promise<void> {
    const next = mulberry32(seed);
    const lanes = (await listLanes(store)).map((l) => l.lane_id);
    for (let round = 0; round < rounds; round++) {
      const from = T0 - HOUR + Math.floor(next() * 3 * HOUR);
      const request: BucketRequest = {
        from_us: from,
        to_us: from + 1 + Math.floor(next() * (next() < 0.5 ? 10_000_000 : 3 * HOUR)),
        bucket_us: 1 + Math.floor(next() * 2 ** (10 + Math.floor(next() * 16))),
        lane_ids: [...lanes.filter(() => next() < 0.5), 'api:nowhere:1'],
      };
      const answer = await fromIndex(request);
      expect(answer, JSON.stringify(request)).not.toBeNull();
      // Exactly the events' answer, dominant categories included.
      expect(answer, JSON.stringify(request)).toEqual(await laneBuckets(store, request, { summary: false }));
    }
  }

  it('answers like counting the event rows, for any range, width and lanes', async () => {
    await expectSameAsEvents(3, 40);
  });

  it('is dropped when a capture is imported or aligned, and answers for the new data', async () => {
    const lanes = (await listLanes(store)).map((l) => l.lane_id);
    const request: BucketRequest = { from_us: T0 - HOUR, to_us: T0 + 4 * HOUR, bucket_us: 2 ** 26, lane_ids: lanes };
    expect(await fromIndex(request)).not.toBeNull();
    const second = await addCapture(store, 'b.strace', events(2, 1500, 'hmi-01'));
    // Same lanes, more events: the old index must not answer.
    expect((await bucketsFromIndex(store, request, bucketWidthFor(request), { loadDelayMs: 0 })).answer).toBeNull();
    expect(await fromIndex(request)).toEqual(await laneBuckets(store, request, { summary: false }));
    await alignCapture(store, { capture_id: second, offset_us: 30 * 60_000_000 });
    expect((await bucketsFromIndex(store, request, bucketWidthFor(request), { loadDelayMs: 0 })).answer).toBeNull();
    await expectSameAsEvents(4, 20);
  });

  it('leaves filtered, total-only and lane-less requests to SQL', async () => {
    const base = { from_us: T0, to_us: T0 + HOUR, bucket_us: 2 ** 20 };
    for (const request of [{ ...base }, { ...base, lane_ids: ['api:hmi-01:100'], total_only: true }, { ...base, lane_ids: ['api:hmi-01:100'], filter: { ops: ['op'] } }]) {
      expect((await bucketsFromIndex(store, request, 2 ** 20, { loadDelayMs: 0 })).answer).toBeNull();
    }
  });
});
