// `tracebench export` as a user runs it: a file in the chosen format, a refused --filter with a
// non-zero exit and no file left behind.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../core/testing/temp.ts';
import { tb } from '../core/testing/cli-run.ts';



const dir = tempDir();
const casePath = dir.file('case.duckdb');
beforeAll(() => {
  const log = dir.file('app.jsonl');
  writeFileSync(
    log,
    ['{"ts":"2026-11-26T06:13:22.100Z","event":"start","pid":10}', '{"ts":"2026-11-26T06:13:25.000Z","event":"=alarm()","pid":11}'].join('\n') + '\n',
  );
  expect(tb('import', casePath, log).code).toBe(0);
}, 120_000);
afterAll(() => dir.remove());

describe('tracebench export', { timeout: 180_000 }, () => {
  it('writes Timesketch JSONL of the events a --filter keeps', () => {
    const out = dir.file('ts.jsonl');
    const r = tb('export', casePath, '--format', 'timesketch', '--filter', 'pid = 11', '--out', out);
    expect(r.err).toContain('1 event written');
    expect(r.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ datetime: '2026-11-26T06:13:25.000000Z', timestamp_desc: 'Event Time', pid: 11, capture: 'app.jsonl' });
    expect(String(lines[0]?.['message'])).toContain('=alarm()');
  });

  it('writes CSV with formula text made inert', () => {
    const out = dir.file('all.csv');
    expect(tb('export', casePath, '--format', 'csv', '--out', out).code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.split('\n')).toHaveLength(4); // header, two events, final newline
    expect(text).toContain(",'=alarm(),");
  });

  it('refuses a filter that is more than a condition, and leaves no file', () => {
    const out = dir.file('refused.csv');
    const r = tb('export', casePath, '--format', 'csv', '--filter', '1=1; DROP TABLE events', '--out', out);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/one statement/);
    expect(existsSync(out) || existsSync(`${out}.partial`)).toBe(false);
  });

  it('writes the case as a Parquet dataset that `query`-style SQL reads, and refuses --filter with it', () => {
    const out = dir.file('dataset');
    const r = tb('export', casePath, '--format', 'parquet', '--out', out);
    expect(r.err).toMatch(/2 events in 1 partitions/);
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'tracebench-dataset.json'), 'utf8')) as { partitions: string[]; tables: Record<string, number> };
    expect(manifest.partitions).toEqual(['capture_id=1/day=2026-11-26']);
    expect(manifest.tables['captures']).toBe(1);
    const refused = tb('export', casePath, '--format', 'parquet', '--filter', 'pid = 11', '--out', dir.file('other'));
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/--filter does not apply/);
  });
});
