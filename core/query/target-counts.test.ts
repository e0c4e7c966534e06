// Stacking by target, directory or endpoint from the per-capture counts gives exactly what the
// scan of the events gives, for every filter the counts can answer; other filters still scan.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventFilter, StackField } from '../api.ts';
import { addCapture } from '../api/testing-case.ts';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { tempDir } from '../testing/temp.ts';
import { EventCountCache } from './event-page.ts';
import { stackEvents } from './stack.ts';
import { countsCanAnswer, ensureTargetCounts, targetCountsComplete } from './target-counts.ts';

const dir = tempDir();
let store: CaseStore;
const TARGETS = ['/etc/plc/a.ini', '/etc/plc/b.ini', '/var/log/x', 'TCP:[10.0.0.2:40100->10.0.0.5:502]', '10.0.0.9:44818', 'HKLM\\Software\\Run\\x', '', null];
const OPS = ['openat', 'read', 'connect', 'RegSetValue'];

beforeAll(async () => {
  store = await CaseStore.open(dir.file('case.duckdb'), { create: true });
  for (const [c, host] of [['a.txt', 'hmi-01'], ['b.txt', 'ews-02'], ['c.txt', null]] as const) {
    await addCapture(
      store,
      c,
      Array.from({ length: 120 }, (_, i) => ({
        ts_us: 1_000_000 + i * 1000,
        op: OPS[(i * 7 + c.length) % OPS.length] ?? 'read',
        kind: i % 5 === 0 ? 'log' : 'api',
        category: i % 3 === 0 ? 'network' : 'file',
        host: i % 11 === 0 ? 'other' : host,
        target: TARGETS[(i * 5 + c.charCodeAt(0)) % TARGETS.length] ?? null,
      })),
      host,
    );
  }
});
afterAll(() => {
  store.close();
  dir.remove();
});

const FIELDS: StackField[] = ['target', 'path_prefix', 'endpoint'];

const countedFilter = fc.record(
  {
    capture_ids: fc.subarray([1, 2, 3]),
    hosts: fc.subarray(['hmi-01', 'ews-02', 'other']),
    kinds: fc.subarray(['api', 'log']),
    categories: fc.subarray(['network', 'file']),
    ops: fc.subarray(OPS),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<EventFilter>;

/** Forgets every capture's counts, as in a case made before the import counted them. */
async function forgetCounts(): Promise<void> {
  await store.exec(sql`DELETE FROM target_counts`);
  await store.exec(sql`DELETE FROM target_counts_captures`);
}

describe('target counts', () => {
  it('are counted by the import itself', async () => {
    expect(await targetCountsComplete(store)).toBe(true);
    const counted = await store.one(sql`SELECT count(*) AS n FROM target_counts_captures`, { n: 'num' });
    expect(counted?.n).toBe(3);
  });

  it('answer every countable filter exactly as the scan of the events does', async () => {
    await forgetCounts();
    const scans = new Map<string, unknown>();
    const samples = fc.sample(fc.tuple(countedFilter, fc.constantFrom(...FIELDS), fc.boolean()), { numRuns: 40, seed: 7 });
    for (const [filter, field, rare] of samples) scans.set(JSON.stringify([filter, field, rare]), await stackEvents(store, new EventCountCache(), { filter, field, limit: 5, rare }));
    expect(await targetCountsComplete(store)).toBe(false);
    expect(await ensureTargetCounts(store)).toBe(true);
    expect(await targetCountsComplete(store)).toBe(true);
    for (const [filter, field, rare] of samples) {
      expect(await stackEvents(store, new EventCountCache(), { filter, field, limit: 5, rare })).toEqual(scans.get(JSON.stringify([filter, field, rare])));
    }
  });

  it('are read only for filters over their own columns, and only when every capture is counted', async () => {
    expect(countsCanAnswer({ hosts: ['hmi-01'], ops: [] })).toBe(true);
    expect(countsCanAnswer({ from_us: 1 })).toBe(false);
    expect(countsCanAnswer({ text: 'plc' })).toBe(false);
    await ensureTargetCounts(store);
    // A time range is answered from the events: only the first 10 ms of each capture.
    const ranged = await stackEvents(store, new EventCountCache(), { filter: { to_us: 1_010_000 }, field: 'target', limit: 50 });
    expect(ranged.rows.reduce((n, r) => n + r.count, 0)).toBe(ranged.with_value);
    expect(ranged.total).toBe(33);
    // A capture whose counts are missing (a case of an older version) is counted when rebuilt:
    // the stack scans meanwhile, still right.
    await addCapture(store, 'd.txt', [{ ts_us: 5_000_000, op: 'openat', target: '/etc/plc/a.ini' }], 'hmi-01');
    expect(await targetCountsComplete(store)).toBe(true);
    await store.exec(sql`DELETE FROM target_counts WHERE capture_id = 4`);
    await store.exec(sql`DELETE FROM target_counts_captures WHERE capture_id = 4`);
    expect(await targetCountsComplete(store)).toBe(false);
    const before = await stackEvents(store, new EventCountCache(), { filter: {}, field: 'target', limit: 50 });
    await ensureTargetCounts(store);
    expect(await stackEvents(store, new EventCountCache(), { filter: {}, field: 'target', limit: 50 })).toEqual(before);
    const counted = await store.one(sql`SELECT count(*) AS n FROM target_counts_captures`, { n: 'num' });
    expect(counted?.n).toBe(4);
  });
});
