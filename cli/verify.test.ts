// `tracebench verify` as a user runs it: exit 0 for an untouched case and report, 1 for a report
// whose body changed, 2 when there is nothing to check against (a report without a manifest).
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
afterAll(() => dir.remove());

describe('tracebench verify', { timeout: 180_000 }, () => {
  it('verifies an untouched case and report, fails a changed report, cannot check one without a manifest', () => {
    const report = dir.file('r.md');
    expect(tb('report', casePath, '--out', report, '--format', 'md').code).toBe(0);
    const ok = tb('verify', casePath, report);
    expect(ok.out).toMatch(/verdict: verified/);
    expect(ok.code).toBe(0);
    const json = tb('verify', casePath, report, '--json');
    expect((JSON.parse(json.out) as { verdict: string }).verdict).toBe('verified');

    writeFileSync(report, readFileSync(report, 'utf8').replace('# Tracebench case report', '# Tracebench case rep0rt'));
    const bad = tb('verify', casePath, report);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/body was changed/);

    const plain = dir.file('plain.md');
    writeFileSync(plain, '# not a report\n');
    const none = tb('verify', casePath, plain);
    expect(none.code).toBe(2);
    expect(none.out).toMatch(/NOT CHECKED.*no manifest/);
  });
});
