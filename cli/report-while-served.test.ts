// `tracebench report` while `tracebench serve` has the case open: DuckDB's lock keeps every
// other process out, so the CLI reads a consistent copy (core/store/case-snapshot.ts). The
// report succeeds, names the real case, matches one made after the server stopped, and verifies.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServeProcess, stopServeProcess } from '../core/testing/serve-process.ts';
import { tempDir } from '../core/testing/temp.ts';
import { tb } from '../core/testing/cli-run.ts';



let dir: ReturnType<typeof tempDir>;
let casePath: string;
beforeAll(() => {
  dir = tempDir();
  casePath = dir.file('case.duckdb');
  const log = dir.file('app.jsonl');
  writeFileSync(log, '{"ts":"2026-11-26T06:13:22.100Z","event":"start","pid":10}\n{"ts":"2026-11-26T06:13:25.000Z","event":"alarm","pid":10}\n');
  expect(tb('import', casePath, log).code).toBe(0);
  expect(tb('annotate', casePath, '--event', '1', '--tag', 'suspicious', '--note', 'first').code).toBe(0);
});
afterAll(() => dir.remove());

describe('tracebench report while the browser shell has the case open', { timeout: 300_000 }, () => {
  it('writes the report from a consistent copy, and it verifies against the case', async () => {
    const server = await startServeProcess({ args: [casePath, '--workspace', dir.file('ws')] });
    const served = dir.file('served.json');
    let result: ReturnType<typeof tb>;
    try {
      result = tb('report', casePath, '--out', served, '--format', 'json');
      expect(tb('verify', casePath, served).code, 'verify while served').toBe(0);
    } finally {
      await stopServeProcess(server.child);
    }
    expect(result.err).toMatch(/open in another window\/process.*reading a copy/);
    expect(result.code).toBe(0);
    const report = JSON.parse(readFileSync(served, 'utf8')) as { case: { path: string }; manifest: { case: { state_sha256: string } }; annotations: unknown[] };
    expect(report.case.path).toBe(casePath);
    expect(report.annotations).toHaveLength(1);

    const after = dir.file('after.json');
    expect(tb('report', casePath, '--out', after, '--format', 'json').code).toBe(0);
    const fresh = JSON.parse(readFileSync(after, 'utf8')) as typeof report;
    expect(report.manifest.case.state_sha256).toBe(fresh.manifest.case.state_sha256);
    const verified = tb('verify', casePath, served);
    expect(verified.out).toMatch(/verdict: verified/);
    expect(verified.code).toBe(0);
  });
});
