// A frida-trace log imported without --start: the report says which start was assumed, in the
// source's notes and under scope and blind spots, and says so differently once it is aligned.
import { copyFileSync, utimesSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alignCapture } from '../case/align.ts';
import { importFile } from '../ingest/import-file.ts';
import { CaseStore } from '../store/case-store.ts';
import { fixture } from '../testing/corpus.ts';
import { tempDir } from '../testing/temp.ts';
import { buildReport } from './build.ts';

let dir: ReturnType<typeof tempDir>;
let store: CaseStore;
beforeEach(async () => {
  dir = tempDir();
  store = await CaseStore.open(dir.file('case.duckdb'));
});
afterEach(() => {
  store.close();
  dir.remove();
});

async function importFrida(start?: string) {
  const path = dir.file('hmi-frida.txt');
  copyFileSync(fixture('frida-trace/libc-hmi.txt'), path);
  const mtime = new Date('2026-11-26T06:40:00.250Z');
  utimesSync(path, mtime, mtime);
  return importFile(store, path, start === undefined ? {} : { start });
}

describe('report of a frida-trace capture', () => {
  it('names the assumed start in the source notes and the blind spots', async () => {
    const c = await importFrida();
    expect(c.date_basis).toBe('start 2026-11-26T06:40:00.250000Z (file modification time)');
    const html = (await buildReport(store, { format: 'html' })).content;
    expect(html).toContain('Start of relative times: 2026-11-26T06:40:00.250000Z (file modification time) — assumed; correct it with tracebench align.');
    expect(html).toContain('hmi-frida.txt: its times count from an unknown start; the start 2026-11-26T06:40:00.250000Z (file modification time) was assumed (correct it with tracebench align).');
    const md = (await buildReport(store, { format: 'md' })).content;
    expect(md).toContain(String.raw`its times count from an unknown start; the start 2026\-11\-26T06:40:00.250000Z`);
    await alignCapture(store, { capture_id: c.capture_id, offset_us: -60_000_000 });
    const aligned = (await buildReport(store, { format: 'html' })).content;
    expect(aligned).toContain('was assumed, then the capture was aligned.');
  });

  it('does not call a start given with --start an assumption', async () => {
    await importFrida('2019-07-01T10:00:00Z');
    const html = (await buildReport(store, { format: 'html' })).content;
    expect(html).toContain('Start of relative times: 2019-07-01T10:00:00.000000Z (user).');
    expect(html).not.toContain('unknown start');
  });
});
