// `tracebench import` of a frida-trace log without --start: it imports, assumes the file's
// modification time as the start, and says so in --json (date_basis, warnings) and in the text
// summary.
import { copyFileSync, utimesSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../core/testing/corpus.ts';
import { tempDir } from '../core/testing/temp.ts';
import { tb } from '../core/testing/cli-run.ts';

const MTIME = new Date('2026-11-26T06:40:00.250Z');


interface JsonCapture {
  format: string;
  events: number;
  rejected: number;
  first_ts: string;
  date_basis: string | null;
  warnings: string[];
}

let dir: ReturnType<typeof tempDir>;
let logPath: string;
beforeAll(() => {
  dir = tempDir();
  logPath = dir.file('hmi-frida.txt');
  copyFileSync(fixture('frida-trace/libc-hmi.txt'), logPath);
  utimesSync(logPath, MTIME, MTIME);
});
afterAll(() => dir.remove());

describe('tracebench import of frida-trace without --start', () => {
  it('succeeds and reports the assumed start in --json', () => {
    const r = tb('import', dir.file('a.duckdb'), logPath, '--json', '--no-triage');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const [c] = (JSON.parse(r.out) as { captures: JsonCapture[] }).captures;
    expect(c).toMatchObject({ format: 'frida-trace', events: 4, rejected: 0 });
    expect(c?.first_ts).toBe('2026-11-26T06:40:00.370000Z'); // the start plus the first "120 ms"
    expect(c?.date_basis).toBe('start 2026-11-26T06:40:00.250000Z (file modification time)');
    expect(c?.warnings.join('\n')).toMatch(/assumed the start 2026-11-26T06:40:00\.250000Z/);
  });

  it('counts from --start when given, recorded as the analyst\'s', () => {
    const r = tb('import', dir.file('b.duckdb'), logPath, '--start', '2019-07-01T10:00:00Z', '--json', '--no-triage');
    expect(r.code).toBe(0);
    const [c] = (JSON.parse(r.out) as { captures: JsonCapture[] }).captures;
    expect(c?.first_ts).toBe('2019-07-01T10:00:00.120000Z');
    expect(c?.date_basis).toBe('start 2019-07-01T10:00:00.000000Z (user)');
    expect(c?.warnings).toEqual([]);
  });

  it('says the start was assumed in the text summary', () => {
    const r = tb('import', dir.file('c.duckdb'), logPath, '--no-triage');
    expect(r.code).toBe(0);
    expect(r.out).toContain('  start    2026-11-26T06:40:00.250000Z (file modification time) (assumed)');
  });
});
