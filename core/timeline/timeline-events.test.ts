import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeEventColumns, type TimelineEvent } from '../api.ts';
import { importFile } from '../ingest/import-file.ts';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { fixture } from '../testing/corpus.ts';
import { tempDir } from '../testing/temp.ts';
import { apiLaneId } from './lane-id.ts';
import { listLanes } from './lanes.ts';
import { timelineEvents } from './timeline-events.ts';

// The same real excerpts as timeline.test.ts: Procmon API calls of several processes and Sysmon events.
const PROCMON = fixture('procmon-csv/win7-mixed.rows2881-3000.csv');
const SYSMON = fixture('winevent-jsonl/lsass-campaign.slice104504.lines345-365.json');

describe('timelineEvents read as columns', () => {
  const dir = tempDir();
  let store: CaseStore;
  let all: TimelineEvent[];
  let laneIds: string[];

  beforeAll(async () => {
    store = await CaseStore.open(dir.file('timeline-events.duckdb'));
    await importFile(store, PROCMON);
    await importFile(store, SYSMON);
    // The reference: every event through the plain row reader, in time order.
    all = await store.rows(
      sql`SELECT event_id, capture_id, ts_us, dur_us, host, pid, tid, process, kind, op, category, target, error FROM event_rows ORDER BY ts_us, event_id`,
      { event_id: 'num', capture_id: 'num', ts_us: 'num', dur_us: 'num?', host: 'str?', pid: 'num?', tid: 'num?', process: 'str?', kind: 'str', op: 'str', category: 'str', target: 'str?', error: 'str?' },
    ) as TimelineEvent[];
    laneIds = (await listLanes(store)).map((l) => l.lane_id);
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });

  it('returns exactly the events of the range and lanes, every field, in (ts, id) order; the first `limit` when truncated', async () => {
    expect(all.length).toBeGreaterThan(100);
    const first = all[0]!.ts_us;
    const last = all.at(-1)!.ts_us;
    const laneOf = (e: TimelineEvent) => (e.kind === 'api' ? apiLaneId(e.host, e.pid) : null);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: first - 10, max: last }),
        fc.integer({ min: 1, max: last - first + 20 }),
        fc.integer({ min: 1, max: 200 }),
        fc.option(fc.subarray(laneIds.filter((id) => id.startsWith('api:')), { minLength: 1 }), { nil: undefined }),
        async (from_us, span, limit, lanes) => {
          const to_us = from_us + span;
          const answer = await timelineEvents(store, { from_us, to_us, limit, ...(lanes ? { lane_ids: lanes } : {}) });
          const expected = all.filter((e) => e.ts_us >= from_us && e.ts_us < to_us && (!lanes || lanes.includes(laneOf(e) ?? '')));
          expect(answer.truncated).toBe(expected.length > limit);
          expect(answer.events).toEqual(expected.slice(0, limit));
          // The same answer as columns.
          const compact = await timelineEvents(store, { from_us, to_us, limit, columns: true, ...(lanes ? { lane_ids: lanes } : {}) });
          expect(compact.events).toEqual([]);
          expect(compact.truncated).toBe(answer.truncated);
          expect(decodeEventColumns(compact.columns!)).toEqual(answer.events);
        },
      ),
      { numRuns: 40 },
    );
  });
});
