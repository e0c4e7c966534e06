// `tracebench report --format pdf` as a user runs it: the PDF written without a browser, its
// detached manifest and the full-context HTML report beside it, and `tracebench verify` accepting
// it; --pdf-engine names one of the two engines and goes with --format pdf only.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnnotation } from '../core/annotations/annotations.ts';
import { addCapture } from '../core/api/testing-case.ts';
import { CaseStore } from '../core/store/case-store.ts';
import { tb } from '../core/testing/cli-run.ts';
import { tempDir } from '../core/testing/temp.ts';

const dir = tempDir();
const casePath = dir.file('plant.duckdb');

beforeAll(async () => {
  const store = await CaseStore.open(casePath);
  try {
    await addCapture(store, 'hmi.strace', Array.from({ length: 12 }, (_, i) => ({ ts_us: 1_795_687_200_000_000 + i * 200_000, pid: 7, process: 'hmi', op: `op${i}` })), 'hmi-1');
    await createAnnotation(store, { event_id: 3, tag: 'suspicious', note: 'a write to 40001' }, 'ana');
  } finally {
    store.close();
  }
}, 60_000);
afterAll(() => dir.remove());

describe('tracebench report --format pdf', () => {
  it('writes the PDF, its manifest and the full HTML report, and verify accepts the PDF', () => {
    const out = dir.file('r.pdf');
    const r = tb('report', casePath, '--format', 'pdf', '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(out).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(existsSync(`${out}.manifest.json`)).toBe(true);
    expect(existsSync(dir.file('plant-report-full.html'))).toBe(true);
    const v = tb('verify', casePath, out);
    expect(v.code, v.out + v.err).toBe(0);
    expect(v.out).toContain('verdict: verified');
  }, 120_000);

  it('refuses an unknown engine, and an engine for another format', () => {
    const bad = tb('report', casePath, '--format', 'pdf', '--pdf-engine', 'wkhtmltopdf', '--out', dir.file('x.pdf'));
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--pdf-engine must be one of native, chromium');
    const html = tb('report', casePath, '--format', 'html', '--pdf-engine', 'chromium', '--out', dir.file('x.html'));
    expect(html.code).toBe(2);
    expect(html.err).toContain('--pdf-engine is for --format pdf');
  }, 120_000);
});
