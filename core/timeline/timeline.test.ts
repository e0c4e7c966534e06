import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../ingest/import-file.ts';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { fixture } from '../testing/corpus.ts';
import { tempDir } from '../testing/temp.ts';
import { bucketStart, bucketWidthFor, laneBuckets, mergeEntries, roundUpToPowerOfTwo } from './buckets.ts';
import { listLanes } from './lanes.ts';
import { timelineEvents } from './timeline-events.ts';

// Excerpts of real captures: a Procmon CSV (API calls of several processes) and a Sysmon
// JSON-lines excerpt (21 lines, one event each) that lands in one source lane per kind.
const PROCMON = fixture('procmon-csv/win7-mixed.rows2881-3000.csv');
const SYSMON = fixture('winevent-jsonl/lsass-campaign.slice104504.lines345-365.json');

describe('timeline over real captures', () => {
  const dir = tempDir();
  let store: CaseStore;
  let total: number;

  beforeAll(async () => {
    store = await CaseStore.open(dir.file('timeline.duckdb'));
    await importFile(store, PROCMON);
    await importFile(store, SYSMON);
    total = (await store.one(sql`SELECT count(*) AS n FROM event_rows`, { n: 'num' }))?.n ?? 0;
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });

  it('has one api lane per (host, pid) labelled "pid name", and source lanes per (capture, kind)', async () => {
    const lanes = await listLanes(store);
    const pids = await store.rows(sql`SELECT DISTINCT host, pid FROM event_rows WHERE kind = 'api'`, { host: 'str?', pid: 'num?' });
    const api = lanes.filter((l) => l.group === 'api');
    expect(api.length).toBe(pids.length);
    expect(api.length).toBeGreaterThan(1);
    for (const l of api) expect(l.label).toMatch(new RegExp(`^${l.pid ?? '\\?'}( |$)`));
    const sysmonLanes = lanes.filter((l) => l.group === 'source' && l.capture_id === 2);
    expect(sysmonLanes.reduce((s, l) => s + l.count, 0)).toBe(21);
    expect(lanes.reduce((s, l) => s + l.count, 0)).toBe(total);
  });

  it('bucket counts sum to the events in range, with a power-of-two width and aligned starts', async () => {
    const span = await store.one(sql`SELECT min(ts_us) AS a, max(ts_us) AS b FROM event_rows WHERE capture_id = 1`, { a: 'num', b: 'num' });
    if (!span) throw new Error('no events');
    const width = span.b - span.a;
    const from = span.a + Math.round(width / 10) + 17;
    const to = span.b - Math.round(width / 7);
    const requested = Math.round(width / 50);
    const r = await laneBuckets(store, { from_us: from, to_us: to, bucket_us: requested });
    expect(Math.log2(r.bucket_us) % 1).toBe(0);
    expect(r.bucket_us).toBeGreaterThanOrEqual(requested);
    expect(r.bucket_us).toBeLessThan(2 * requested);
    const inRange = await store.one(sql`SELECT count(*) AS n FROM event_rows WHERE ts_us >= ${from} AND ts_us < ${to}`, { n: 'num' });
    const sum = r.lanes.reduce((s, l) => s + l.counts.reduce((a, b) => a + b, 0), 0);
    expect(sum).toBe(inRange?.n);
    expect(sum).toBeGreaterThan(0);
    for (const l of r.lanes) {
      for (const start of l.starts) expect(start % r.bucket_us).toBe(0);
      l.failed.forEach((f, i) => expect(f).toBeLessThanOrEqual(l.counts[i] ?? 0));
    }
  });

  it('returns the same bucket starts after a small pan (buckets are reused)', async () => {
    const span = await store.one(sql`SELECT min(ts_us) AS a, max(ts_us) AS b FROM event_rows WHERE capture_id = 1`, { a: 'num', b: 'num' });
    const a = span?.a ?? 0;
    const width = (span?.b ?? 0) - a;
    const bucket = Math.round(width / 20);
    const first = await laneBuckets(store, { from_us: a, to_us: a + width, bucket_us: bucket });
    const panned = await laneBuckets(store, { from_us: a + Math.round(width / 10), to_us: a + width + Math.round(width / 10), bucket_us: bucket });
    const starts = new Set(first.lanes.flatMap((l) => l.starts));
    const shared = panned.lanes.flatMap((l) => l.starts).filter((s) => starts.has(s));
    expect(shared.length).toBeGreaterThan(0);
    expect(first.bucket_us).toBe(panned.bucket_us);
  });

  it('timelineEvents returns events in time order and says when it truncated', async () => {
    const r = await timelineEvents(store, { from_us: 0, to_us: Number.MAX_SAFE_INTEGER, limit: 50 });
    expect(r.events).toHaveLength(50);
    expect(r.truncated).toBe(true);
    for (let i = 1; i < r.events.length; i++) expect(r.events[i]?.ts_us).toBeGreaterThanOrEqual(r.events[i - 1]?.ts_us ?? 0);
    const all = await timelineEvents(store, { from_us: 0, to_us: Number.MAX_SAFE_INTEGER, limit: total });
    expect(all.truncated).toBe(false);
    expect(all.events).toHaveLength(total);
  });
});

describe('bucket arithmetic', () => {
  it('rounds widths up to powers of two', () => {
    expect([1, 2, 3, 1000, 1024, 1025].map(roundUpToPowerOfTwo)).toEqual([1, 2, 4, 1024, 1024, 2048]);
  });
  it('floors bucket starts, also before 1970', () => {
    expect(bucketStart(1030, 1024)).toBe(1024);
    expect(bucketStart(-1, 1024)).toBe(-1024);
  });
  it('widens buckets so one request never asks for more than 65536 of them', () => {
    expect(bucketWidthFor({ from_us: 0, to_us: 86_400_000_000, bucket_us: 1 })).toBe(2_097_152);
  });
  it('merges the entries of a bucket: counts add up, the category with most events wins, ties to the greater name', () => {
    // Bucket 0: file 2+3 (two parts) beats net 4; bucket 8: a tie of 1 and 1 goes to "registry".
    const entry = (b: number, n: number, f: number, c: string) => ({ b, n, f, c });
    const merged = mergeEntries([entry(0, 2, 1, 'file'), entry(0, 3, 0, 'file'), entry(0, 4, 2, 'net'), entry(8, 1, 0, 'file'), entry(8, 1, 1, 'registry'), entry(16, 7, 0, 'process')]);
    expect(merged).toEqual({ starts: [0, 8, 16], counts: [9, 2, 7], failed: [3, 1, 0], categories: ['file', 'registry', 'process'] });
  });
});
