import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importerByFormat } from '../importers/registry.ts';
import { CaseStore } from '../store/case-store.ts';
import { tempDir } from '../testing/temp.ts';
import { importFile } from './import-file.ts';
import { parseWorkerBundle } from './worker-bundle.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  delete process.env['TRACEBENCH_WORKER_BUNDLE'];
  dir.remove();
});

const STRACE = ['1234  10:00:00.000001 openat(AT_FDCWD, "/etc/hmi.conf", O_RDONLY) = 3', '1234  10:00:00.000100 read(3, "x", 1) = 1', ''].join('\n');

describe('the bundled parse worker', () => {
  it('is built once per importer, kept while its inputs are unchanged and rebuilt when one changes', async () => {
    const strace = importerByFormat('strace')!;
    const url = await parseWorkerBundle(strace.module);
    expect(url).not.toBeNull();
    const bundle = fileURLToPath(url!);
    expect(readFileSync(bundle, 'utf8')).toContain('runParseWorker');
    const manifestPath = bundle.replace(/\.mjs$/, '.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { inputs: Record<string, { size: number; mtimeMs: number }> };
    expect(Object.keys(manifest.inputs)).toEqual(expect.arrayContaining(['core/importers/strace.ts', 'core/ingest/parse-worker.ts', 'core/store/event-chunk.ts']));

    const built = statSync(bundle).mtimeMs;
    expect(fileURLToPath((await parseWorkerBundle(strace.module))!)).toBe(bundle);
    expect(statSync(bundle).mtimeMs).toBe(built);

    // An input that no longer matches what was bundled (here: its recorded size) forces a rebuild.
    manifest.inputs['core/importers/strace.ts']!.size += 1;
    writeFileSync(manifestPath, JSON.stringify(manifest));
    await parseWorkerBundle(strace.module);
    const rebuilt = JSON.parse(readFileSync(manifestPath, 'utf8')) as typeof manifest;
    expect(rebuilt.inputs['core/importers/strace.ts']!.size).toBe(statSync(new URL('../importers/strace.ts', import.meta.url)).size);
  });

  it('imports the same events as the worker run from the TypeScript sources', async () => {
    const file = dir.file('t.strace');
    writeFileSync(file, STRACE);
    const store = await CaseStore.open(dir.file('c.duckdb'));
    const bundled = await importFile(store, file, { format: 'strace', date: '2026-11-26' });
    process.env['TRACEBENCH_WORKER_BUNDLE'] = '0';
    expect(await parseWorkerBundle(importerByFormat('strace')!.module)).toBeNull();
    const sources = await importFile(store, file, { format: 'strace', date: '2026-11-26' });
    const { capture_id: a, ...restA } = bundled;
    const { capture_id: b, ...restB } = sources;
    expect(a).not.toBe(b);
    expect(restA).toEqual(restB);
    expect(bundled.events).toBe(2);
    store.close();
  });
});
