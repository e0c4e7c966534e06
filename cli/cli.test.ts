// The `tracebench` command as a user runs it: a child process, stdout/stderr and exit codes.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../core/testing/temp.ts';
import { tb } from '../core/testing/cli-run.ts';



let dir: ReturnType<typeof tempDir>;
let casePath: string;
let logPath: string;
beforeAll(() => {
  dir = tempDir();
  casePath = dir.file('case.duckdb');
  logPath = dir.file('app.jsonl');
  writeFileSync(
    logPath,
    [
      '{"ts":"2026-11-26T06:13:22.100Z","event":"start","pid":10}',
      'not json at all',
      '{"ts":"2026-11-26T06:13:25.000Z","event":"alarm","pid":10}',
    ].join('\n') + '\n',
  );
});
afterAll(() => dir.remove());

// Each test spawns several `node bin/tracebench.js` processes (TypeScript loaded through tsx, DuckDB
// started each time): a few seconds apiece on a loaded shared machine, so more than the default.
describe('tracebench CLI', { timeout: 180_000 }, () => {
  it('prints help with every contract command', () => {
    const r = tb('--help');
    expect(r.code).toBe(0);
    for (const c of ['import', 'query', 'annotate', 'report', 'formats']) expect(r.out).toContain(`  ${c} `);
  });

  it('import --json prints counts and a sha256 that matches the file', () => {
    const r = tb('import', casePath, logPath, '--format', 'jsonl', '--json');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out) as { captures: { sha256: string; events: number; rejected: number; file_name: string; first_ts: string }[] };
    const [c] = summary.captures;
    expect(c?.file_name).toBe('app.jsonl');
    expect(c?.sha256).toBe(createHash('sha256').update(readFileSync(logPath)).digest('hex'));
    expect(c?.events).toBe(2);
    expect(c?.rejected).toBe(1);
    expect(c?.first_ts).toBe('2026-11-26T06:13:22.100000Z');
  });

  it('query reads and refuses writes, COPY, ATTACH and file access', () => {
    const ok = tb('query', casePath, 'SELECT count(*) AS n FROM events', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toEqual([{ n: 2 }]);
    const csv = tb('query', casePath, 'SELECT source_line, reason FROM rejects', '--csv');
    expect(csv.out.split('\n')[1]).toMatch(/^2,/);
    for (const bad of ['DELETE FROM annotations', "COPY events TO '/tmp/x.csv'", "ATTACH '/tmp/other.duckdb'", "SELECT * FROM read_text('/etc/passwd')", 'DROP TABLE captures']) {
      const r = tb('query', casePath, bad);
      expect(r.code, bad).not.toBe(0);
      expect(r.err, bad).toMatch(/only SELECT|not allowed/);
    }
    expect(JSON.parse(tb('query', casePath, 'SELECT count(*) AS n FROM captures', '--json').out)).toEqual([{ n: 1 }]);
  });

  it('query --csv makes formula text inert and keeps numbers numbers', () => {
    const r = tb('query', casePath, "SELECT '=HYPERLINK(\"http://x\")' AS f, '@SUM(A1)' AS a, -5 AS n, '-1' AS ret, 'openat' AS op", '--csv');
    expect(r.code, r.err).toBe(0);
    expect(r.out.split('\n')[1]).toBe('"\'=HYPERLINK(""http://x"")",\'@SUM(A1),-5,-1,openat');
  });

  it('annotate then report shows the note next to its event', () => {
    const a = tb('annotate', casePath, '--event', '1', '--tag', 'suspicious', '--note', 'first look <b>bold</b>');
    expect(a.code).toBe(0);
    expect(a.out).toMatch(/annotation 1: \[suspicious\] event 1/);
    const range = tb('annotate', casePath, '--from', '2026-11-26T06:13:24Z', '--to', '2026-11-26T06:13:26Z', '--tag', 'needs-review');
    expect(range.code).toBe(0);
    const out = dir.file('r.html');
    expect(tb('report', casePath, '--out', out).code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('first look &lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('needs-review');
    const md = dir.file('r.md');
    expect(tb('report', casePath, '--out', md, '--format', 'md').code).toBe(0);
    expect(readFileSync(md, 'utf8')).toContain('# Tracebench case report');
  });

  it('errors go to stderr with a non-zero exit code', () => {
    const r = tb('annotate', casePath, '--event', '999', '--tag', 'x');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no event 999/);
    const u = tb('import', casePath);
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/usage: tracebench import/);
    const missing = tb('query', dir.file('none.duckdb'), 'SELECT 1');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no case file/);
  });
});
