import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCapture } from '../api/testing-case.ts';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { tempDir } from '../testing/temp.ts';
import { isSameProcess, surrounding } from './surrounding.ts';

describe('surrounding', () => {
  const dir = tempDir();
  let store: CaseStore;
  let anchorId: number;

  beforeAll(async () => {
    store = await CaseStore.open(dir.file('around.duckdb'));
    await addCapture(store, 'strace.txt', [
      { ts_us: 10_000_000, host: 'hmi', pid: 42, process: 'python3', op: 'connect' },
      { ts_us: 10_000_500, host: 'hmi', pid: 42, process: 'python3', op: 'write' },
    ]);
    await addCapture(store, 'conn.log', [
      { ts_us: 9_999_000, host: 'hmi', kind: 'network', op: 'conn', category: 'network' },
      { ts_us: 10_000_200, host: 'hmi', pid: 42, kind: 'network', op: 'conn', category: 'network' },
      { ts_us: 10_003_000, host: 'hmi', pid: 43, kind: 'process', op: 'start', category: 'process' },
      { ts_us: 10_004_000, host: 'hmi', process: '/usr/bin/Python3', kind: 'log', op: 'poll', category: 'log' },
      { ts_us: 16_000_001, host: 'hmi', kind: 'log', op: 'far', category: 'log' },
    ]);
    anchorId = (await store.one(sql`SELECT event_id FROM event_rows WHERE op = 'connect'`, { event_id: 'num' }))?.event_id ?? -1;
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });

  it('lists other captures’ events in the window, nearest first, flagging the same process', async () => {
    const r = await surrounding(store, { event_id: anchorId, window_us: 5_000_000, limit: 10 });
    expect(r.anchor.event_id).toBe(anchorId);
    expect(r.events.map((e) => e.delta_us)).toEqual([200, -1000, 3000, 4000]);
    expect(r.events.map((e) => e.same_process)).toEqual([true, false, false, true]);
    expect(r.truncated).toBe(false);
  });

  it('includes the anchor’s own capture on request, never the anchor itself', async () => {
    const r = await surrounding(store, { event_id: anchorId, window_us: 5_000_000, limit: 10, other_captures_only: false });
    expect(r.events.map((e) => e.op)).toEqual(['conn', 'write', 'conn', 'start', 'poll']);
  });

  it('truncates to the limit and says so', async () => {
    const r = await surrounding(store, { event_id: anchorId, window_us: 5_000_000, limit: 2 });
    expect(r.events).toHaveLength(2);
    expect(r.truncated).toBe(true);
  });

  it('reports an unknown event', async () => {
    await expect(surrounding(store, { event_id: 999_999, window_us: 1, limit: 1 })).rejects.toThrow(/no event 999999/);
  });

  it('compares program names when a pid is unknown', () => {
    expect(isSameProcess({ host: 'a', pid: null, process: 'C:\\Windows\\lsass.exe' }, { host: 'A', pid: 5, process: 'LSASS.EXE' })).toBe(true);
    expect(isSameProcess({ host: 'a', pid: 1, process: 'x' }, { host: 'b', pid: 1, process: 'x' })).toBe(false);
  });
});
