// The `tracebench` command on web access logs: listed by `formats`, detected by `import`.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture } from '../core/testing/corpus.ts';
import { tempDir } from '../core/testing/temp.ts';
import { isoToUs, usToIso } from '../core/util/time.ts';
import { tb } from '../core/testing/cli-run.ts';

const dir = tempDir();
afterAll(() => dir.remove());


describe('tracebench on access logs', () => {
  it('formats lists the access-log importer', () => {
    const r = tb('formats', '--json');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as { format: string; reads: string }[];
    expect(rows.find((f) => f.format === 'access-log')?.reads).toMatch(/combined.*nginx JSON.*IIS W3C/);
  });

  it('import detects an nginx JSON log without --format and reports its UTC times', () => {
    const file = fixture('access-log/nginx-json.log');
    const first = JSON.parse(readFileSync(file, 'utf8').split('\n')[0] ?? '') as { time_iso8601: string };
    const r = tb('import', dir.file('case.duckdb'), file, '--json');
    expect(r.err).toBe('');
    const [capture] = (JSON.parse(r.out) as { captures: { format: string; events: number; rejected: number; first_ts: string }[] }).captures;
    expect(capture).toMatchObject({ format: 'access-log', events: 12, rejected: 0, first_ts: usToIso(isoToUs(first.time_iso8601) ?? 0) });
  });
});
