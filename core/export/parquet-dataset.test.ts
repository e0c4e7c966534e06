// A case exported as a Parquet dataset reads back the same through DuckDB alone and through the
// workbench (read-only): same events, pages, timeline and queries; writes are refused; a dataset
// whose manifest is damaged is refused with its folder named.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnnotation } from '../annotations/annotations.ts';
import { Session } from '../api/session.ts';
import { addCapture } from '../api/testing-case.ts';
import { createWorkbench } from '../api/workbench.ts';
import { CaseStore } from '../store/case-store.ts';
import { openParquetDataset } from '../store/parquet-case.ts';
import { tempDir } from '../testing/temp.ts';
import { DATASET_MANIFEST, exportParquetDataset } from './parquet-dataset.ts';

const DAY_US = 86_400_000_000;
const T0 = Date.UTC(2026, 10, 30, 23, 59, 58) * 1000; // two seconds before midnight: two days

const dir = tempDir();
const casePath = join(dir.path, 'plant.duckdb');
const datasetDir = join(dir.path, 'plant-dataset');

beforeAll(async () => {
  const store = await CaseStore.open(casePath, { create: true });
  await addCapture(
    store,
    'strace.txt',
    [
      { ts_us: T0, pid: 5, process: 'hmi', op: 'openat', target: '/etc/plc/a.ini' },
      { ts_us: T0 + 1_000_000, pid: 5, process: 'hmi', op: 'connect', category: 'network', target: '10.0.0.5:502' },
      { ts_us: T0 + 3_000_000, pid: 6, process: 'sh', op: 'execve', category: 'process', target: "/bin/it's" },
    ],
    'hmi-01',
  );
  await addCapture(store, 'alarms.log', [{ ts_us: T0 + DAY_US, kind: 'log', op: 'record', category: 'alarm', args: 'HIGH PRESSURE' }], 'plc-01');
  await createAnnotation(store, { event_id: 1, tag: 'malicious', note: 'first look' }, 'ana');
  store.close();
  await exportParquetDataset(casePath, datasetDir);
});
afterAll(() => dir.remove());

describe('exportParquetDataset', () => {
  it('partitions the events by capture and day and lists every file with its hash', () => {
    const manifest = JSON.parse(readFileSync(join(datasetDir, DATASET_MANIFEST), 'utf8'));
    expect(manifest.events).toBe(4);
    expect(manifest.partitions).toEqual(['capture_id=1/day=2026-11-30', 'capture_id=1/day=2026-12-01', 'capture_id=2/day=2026-12-01']);
    expect(manifest.tables.captures).toBe(2);
    expect(manifest.tables.annotations).toBe(1);
    expect(manifest.tables).not.toHaveProperty('event_rows');
    for (const f of manifest.files) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(`${datasetDir}.partial`)).toBe(false);
  });

  it('is read by plain DuckDB as it is, with the partition columns', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const reader = await conn.runAndReadAll(
      `SELECT capture_id, day::VARCHAR AS day, count(*) AS n FROM read_parquet('${datasetDir}/events/**/*.parquet', hive_partitioning = true)
       GROUP BY ALL ORDER BY ALL`,
    );
    expect(reader.getRowObjectsJS().map((r) => `${r['capture_id']}/${r['day']}/${r['n']}`)).toEqual([
      '1/2026-11-30/2',
      '1/2026-12-01/1',
      '2/2026-12-01/1',
    ]);
    conn.closeSync();
    db.closeSync();
  });

  it('refuses a folder that is not empty, and leaves it as it was', async () => {
    await expect(exportParquetDataset(casePath, datasetDir)).rejects.toThrow(/not empty/);
    expect(readdirSync(datasetDir).sort()).toEqual(['events', 'tables', DATASET_MANIFEST].sort());
  });
});

describe('a dataset opened as a case', () => {
  const session = new Session({ shell: 'browser', home: join(dir.path, 'home'), workspace: join(dir.path, 'cases') });
  const api = createWorkbench(session);
  afterAll(() => session.close());

  it('serves the same events, pages, timeline and queries as the case file', async () => {
    const info = await session.openCase(datasetDir);
    expect(info).toMatchObject({ name: 'plant-dataset', path: datasetDir, event_count: 4, read_only: true, hosts: ['hmi-01', 'plc-01'] });
    expect(session.info().case_path).toBe(datasetDir);
    const page = await api.eventPage({ filter: { hosts: ['hmi-01'] }, sort: { column: 'ts_us', desc: false }, offset: 0, limit: 10 });
    expect(page.rows.map((r) => r.target)).toEqual(['/etc/plc/a.ini', '10.0.0.5:502', "/bin/it's"]);
    const ev = await api.event({ event_id: 3 });
    expect(ev.op).toBe('execve');
    const q = await api.query({ sql: "SELECT count(*) AS n FROM events WHERE category = 'alarm'" });
    expect(q.rows).toEqual([[1]]);
    const annotations = await api.annotations({});
    expect(annotations.map((a) => a.note)).toEqual(['first look']);
    expect((await api.processes({})).length).toBeGreaterThan(0);
    await api.findings({});
    await api.incidents({});
    const report = await api.report({ format: 'md' });
    expect(report.content).toContain('first look');
    const lanes = await api.lanes({});
    const buckets = await api.buckets({ from_us: T0 - 1_000_000, to_us: T0 + 2 * DAY_US, bucket_us: 3_600_000_000, lane_ids: lanes.map((l) => l.lane_id) });
    // The same answers as the case file gives.
    const original = new Session({ shell: 'browser', home: join(dir.path, 'home2'), workspace: join(dir.path, 'cases') });
    const originalApi = createWorkbench(original);
    await original.openCase(casePath);
    try {
      expect(lanes).toEqual(await originalApi.lanes({}));
      expect(buckets).toEqual(await originalApi.buckets({ from_us: T0 - 1_000_000, to_us: T0 + 2 * DAY_US, bucket_us: 3_600_000_000, lane_ids: lanes.map((l) => l.lane_id) }));
      expect(buckets.lanes.length).toBeGreaterThan(0);
    } finally {
      await original.close();
    }
  });

  it('refuses writes with a clear error, and SQL reads outside the dataset', async () => {
    await session.openCase(datasetDir);
    await expect(api.annotate({ event_id: 2, tag: 'suspicious', note: '' })).rejects.toThrow(/read-only/);
    await expect(api.query({ sql: "SELECT * FROM read_csv('/etc/passwd')" })).rejects.toThrow();
  });
});

describe('openParquetDataset', () => {
  it('names the folder and the problem when the manifest is damaged', async () => {
    const broken = join(dir.path, 'broken');
    await exportParquetDataset(casePath, broken);
    const path = join(broken, DATASET_MANIFEST);
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...manifest, schema_version: 10_000 }));
    await expect(openParquetDataset(broken)).rejects.toThrow(new RegExp(`${broken}.*newer Tracebench`));
    writeFileSync(path, '{');
    await expect(openParquetDataset(broken)).rejects.toThrow(/tracebench-dataset\.json/);
  });
});
