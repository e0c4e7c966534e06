// The lane list from capture_lanes (kept at import and alignment) must be the lane list a scan
// of the events gives. A filter that matches every event forces the scan path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventFilter, Lane } from '../api.ts';
import { addCapture, type EventSpec } from '../api/testing-case.ts';
import { alignCapture } from '../case/align.ts';
import { importFile } from '../ingest/import-file.ts';
import { CaseStore } from '../store/case-store.ts';
import { LATEST_SCHEMA_VERSION } from '../store/migrations.ts';
import { sql } from '../store/sql.ts';
import { fixture } from '../testing/corpus.ts';
import { tempDir } from '../testing/temp.ts';
import { listLanes } from './lanes.ts';

const PROCMON = fixture('procmon-csv/win7-mixed.rows2881-3000.csv');
const T0 = 1_764_000_000_000_000;
const MATCHES_ALL: EventFilter = { from_us: 0 };

function events(host: string, n: number, pidBase: number): EventSpec[] {
  return Array.from({ length: n }, (_, i) =>
    i % 7 === 0
      ? { ts_us: T0 + i * 1000, kind: 'log', op: 'line', category: 'log', host }
      : { ts_us: T0 + i * 1000, pid: pidBase + (i % 5), process: i % 5 === 0 ? 'sh' : 'python3', op: 'read', category: 'file', host },
  );
}

const sorted = (lanes: Lane[]) => [...lanes].sort((a, b) => a.lane_id.localeCompare(b.lane_id));

describe('timeline lanes from capture_lanes', () => {
  const dir = tempDir();
  let store: CaseStore;
  let second: number;
  beforeAll(async () => {
    store = await CaseStore.open(dir.file('lanes.duckdb'));
    await importFile(store, PROCMON);
    await addCapture(store, 'hmi.strace', events('hmi-01', 700, 100));
    second = await addCapture(store, 'ews.strace', events('ews-02', 400, 200));
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });

  it('equal the lanes a scan of the events gives', async () => {
    const fast = await listLanes(store);
    expect(fast.length).toBeGreaterThan(5);
    expect(sorted(fast)).toEqual(sorted(await listLanes(store, MATCHES_ALL)));
  });

  it('stay equal after a capture is aligned', async () => {
    await alignCapture(store, { capture_id: second, offset_us: 90_000_000 });
    expect(sorted(await listLanes(store))).toEqual(sorted(await listLanes(store, MATCHES_ALL)));
  });

  it('are rebuilt by migration 4 for a case made before it', async () => {
    const expected = sorted(await listLanes(store));
    await store.exec(sql`DROP TABLE capture_lanes`);
    await store.exec(sql`DELETE FROM schema_migrations WHERE version = 4`);
    store.close();
    store = await CaseStore.open(dir.file('lanes.duckdb'));
    expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    expect(sorted(await listLanes(store))).toEqual(expected);
  });
});
