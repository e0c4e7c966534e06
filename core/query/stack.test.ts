// Stacking: counts per value agree with the events themselves, and with the table's filter that
// a click on the value applies (the same derived SQL on both sides).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STACK_FIELDS, stackValueFilter } from '../api.ts';
import { addCapture } from '../api/testing-case.ts';
import { CaseStore } from '../store/case-store.ts';
import { tempDir } from '../testing/temp.ts';
import { EventCountCache } from './event-page.ts';
import { stackEvents } from './stack.ts';

const dir = tempDir();
let store: CaseStore;
const counts = new EventCountCache();

beforeAll(async () => {
  store = await CaseStore.open(dir.file('case.duckdb'));
  await addCapture(
    store,
    'strace.txt',
    [
      { ts_us: 1, pid: 10, process: 'hmi', op: 'openat', target: '/etc/plc/config.ini' },
      { ts_us: 2, pid: 10, process: 'hmi', op: 'openat', target: '/etc/plc/tags.csv' },
      { ts_us: 3, pid: 10, process: 'hmi', op: 'read', target: '/etc/passwd' },
      { ts_us: 4, pid: 11, process: 'bash', op: 'connect', category: 'network', target: 'TCP:[10.0.0.2:40100->10.0.0.5:502]' },
      { ts_us: 5, pid: 11, process: 'bash', op: 'connect', category: 'network', target: '10.0.0.5:502' },
      { ts_us: 6, pid: 11, process: 'bash', op: 'sendto', category: 'network', target: '[fe80::1]:44818' },
      { ts_us: 7, pid: 12, process: 'sh', op: 'connect', category: 'network', target: 'socket:[35511]' },
      { ts_us: 8, pid: 12, process: 'sh', op: 'RegSetValue', category: 'registry', target: 'HKLM\\Software\\Run\\x' },
      { ts_us: 9, pid: 12, process: 'sh', op: 'getpid', target: null },
    ],
    'hmi-01',
  );
});
afterAll(() => {
  store.close();
  dir.remove();
});


describe('stack', () => {
  it('counts by process, most frequent first, with the filter total', async () => {
    const r = await stackEvents(store, counts, { filter: {}, field: 'process', limit: 10 });
    expect(r.rows).toEqual([
      { value: 'bash', count: 3 },
      { value: 'hmi', count: 3 },
      { value: 'sh', count: 3 },
    ]);
    expect(r).toMatchObject({ distinct: 3, total: 9, with_value: 9 });
  });

  it('puts rare values first and cuts at the limit, still counting every distinct value', async () => {
    const r = await stackEvents(store, counts, { filter: {}, field: 'op', limit: 2, rare: true });
    expect(r.rows).toEqual([
      { value: 'RegSetValue', count: 1 },
      { value: 'getpid', count: 1 },
    ]);
    expect(r.distinct).toBe(6);
  });

  it('derives directories and remote endpoints from targets', async () => {
    const dirs = await stackEvents(store, counts, { filter: {}, field: 'path_prefix', limit: 10 });
    expect(dirs.rows).toEqual([
      { value: '/etc/plc/', count: 2 },
      { value: '/etc/', count: 1 },
      { value: 'HKLM\\Software\\Run\\', count: 1 },
    ]);
    const endpoints = await stackEvents(store, counts, { filter: {}, field: 'endpoint', limit: 10 });
    expect(endpoints.rows).toEqual([
      { value: '10.0.0.5:502', count: 2 },
      { value: '[fe80::1]:44818', count: 1 },
    ]);
    expect(endpoints.with_value).toBe(3);
  });

  it('counts within the filter', async () => {
    const r = await stackEvents(store, counts, { filter: { categories: ['network'] }, field: 'process', limit: 10 });
    expect(r.rows).toEqual([
      { value: 'bash', count: 3 },
      { value: 'sh', count: 1 },
    ]);
    expect(r.total).toBe(4);
  });

  it.each(STACK_FIELDS)('a click on any %s value filters the table to the events it counts', async (field) => {
    const r = await stackEvents(store, counts, { filter: {}, field, limit: 100 });
    expect(r.rows.length).toBeGreaterThan(0);
    for (const row of r.rows) {
      // A directory keeps what lies under it, its subdirectories included.
      const expected = field === 'path_prefix' ? r.rows.filter((o) => o.value.startsWith(row.value)).reduce((n, o) => n + o.count, 0) : row.count;
      expect(await counts.count(store, stackValueFilter(field, row.value))).toBe(expected);
    }
  });
});
