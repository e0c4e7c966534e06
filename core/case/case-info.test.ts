import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCapture } from '../api/testing-case.ts';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { tempDir } from '../testing/temp.ts';
import { alignCapture } from './align.ts';
import { readCaseInfo } from './case-info.ts';

describe('case info', () => {
  const dir = tempDir();
  let store: CaseStore;
  beforeAll(async () => {
    store = await CaseStore.open(dir.file('info.duckdb'));
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });

  /** What scanning every event says, to hold the kept lane list to. */
  const scanned = async () => {
    const span = await store.one(sql`SELECT count(*) AS n, min(ts_us) AS first_us, max(ts_us) AS last_us FROM event_rows`, {
      n: 'num',
      first_us: 'num?',
      last_us: 'num?',
    });
    const hosts = await store.rows(sql`SELECT DISTINCT host FROM event_rows WHERE host IS NOT NULL ORDER BY host`, { host: 'str' });
    return { event_count: span?.n, first_us: span?.first_us, last_us: span?.last_us, hosts: hosts.map((h) => h.host) };
  };
  const info = async () => {
    const i = await readCaseInfo(store);
    return { event_count: i.event_count, first_us: i.first_us, last_us: i.last_us, hosts: i.hosts };
  };

  it('counts events, their time span and hosts as a scan of the events would, also after an alignment', async () => {
    expect(await info()).toEqual({ event_count: 0, first_us: null, last_us: null, hosts: [] });
    const a = await addCapture(store, 'a.strace', [{ ts_us: 5_000_000, pid: 1 }, { ts_us: 9_000_000, pid: 2, host: 'plc-gw' }], 'ews-1');
    await addCapture(store, 'b.log', [{ ts_us: 7_000_000, kind: 'log', op: 'x', category: 'log' }, { ts_us: 1_000_000, kind: 'log', op: 'y', category: 'log' }]);
    expect(await info()).toEqual(await scanned());
    expect((await info()).hosts).toEqual(['ews-1', 'plc-gw']);
    await alignCapture(store, { capture_id: a, offset_us: -4_500_000 });
    expect(await info()).toEqual(await scanned());
    expect((await info()).first_us).toBe(500_000);
  });
});
