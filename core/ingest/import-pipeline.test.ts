import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseStore } from '../store/case-store.ts';
import { fixture } from '../testing/corpus.ts';
import { tempDir } from '../testing/temp.ts';
import { importFile } from './import-file.ts';
import { ImportPipeline, importFiles } from './import-pipeline.ts';

/** Everything an import leaves in a case, in a comparable form (import times left out). */
async function caseContent(store: CaseStore) {
  const conn = store.connection();
  const read = async (q: string) => (await conn.runAndReadAll(q)).getRowObjectsJson();
  return {
    captures: await read('SELECT * EXCLUDE (imported_at) FROM captures ORDER BY capture_id'),
    events: await read('SELECT * FROM event_rows ORDER BY event_id'),
    rejects: await read('SELECT * FROM rejects ORDER BY capture_id, source_line'),
    offered: await read('SELECT file_name, file_path, size_bytes, sha256, reason FROM offered_files ORDER BY file_name'),
  };
}

describe('importing several files at once', () => {
  const dir = tempDir();
  let files: string[];

  beforeAll(() => {
    // Enough lines that its parse is still running while the file before it is written.
    const big = dir.file('ticks.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < 60_000; i++) lines.push(JSON.stringify({ ts: 1_700_000_000 + i / 1000, event: 'tick', n: i }));
    writeFileSync(big, `${lines.join('\n')}\nnot json\n`);
    // Bytes no importer recognises: this file fails, the others must not.
    const unknown = dir.file('unknown.bin');
    writeFileSync(unknown, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37 + 11) % 256)));
    files = [
      fixture('strace/strace_f_tt_T.head200.log'),
      big,
      unknown,
      fixture('winevent-jsonl/lsass-campaign.slice104504.lines345-365.json'),
      fixture('procmon-csv/win10-process.head100.csv'),
      dir.file('no-such-file.log'),
      fixture('strace/sh-f-mixed.txt'),
    ];
  });
  afterAll(() => dir.remove());

  it('leaves the same captures (same ids, in the order given), events, rejects and offered files as importing them one by one', async () => {
    const oneByOne = await CaseStore.open(dir.file('one-by-one.duckdb'));
    const sequentialOutcome: string[] = [];
    for (const file of files) {
      await importFile(oneByOne, file).then(
        (s) => sequentialOutcome.push(`capture ${s.capture_id}: ${s.events} events`),
        (e: unknown) => sequentialOutcome.push(`failed: ${e instanceof Error ? e.message : String(e)}`),
      );
    }

    const atOnce = await CaseStore.open(dir.file('at-once.duckdb'));
    // Three parses ahead of the writer, whatever this machine's cores: the overlap is exercised.
    const settled = await Promise.all(importFiles(atOnce, files, {}, undefined, 3));
    const parallelOutcome = settled.map((r) =>
      r.status === 'fulfilled' ? `capture ${r.value.capture_id}: ${r.value.events} events` : `failed: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`,
    );

    expect(parallelOutcome).toEqual(sequentialOutcome);
    expect(sequentialOutcome.filter((o) => o.startsWith('failed'))).toHaveLength(2);
    expect(sequentialOutcome[0]).toMatch(/^capture 1: [1-9]\d* events$/);
    expect(sequentialOutcome[1]).toBe('capture 2: 60000 events');
    const [a, b] = [await caseContent(oneByOne), await caseContent(atOnce)];
    expect(b.captures.map((c) => c['file_name'])).toEqual(['strace_f_tt_T.head200.log', 'ticks.jsonl', 'lsass-campaign.slice104504.lines345-365.json', 'win10-process.head100.csv', 'sh-f-mixed.txt']);
    expect(b.events.length).toBeGreaterThan(60_000);
    expect(b).toEqual(a);
    oneByOne.close();
    atOnce.close();
  });

  it('a file cancelled while it waits its turn is neither written nor recorded, and the next one still is', async () => {
    const store = await CaseStore.open(dir.file('cancel.duckdb'));
    const pipeline = new ImportPipeline(store, 2);
    const cancel = new AbortController();
    const first = pipeline.import(files[1]!);
    const second = pipeline.import(files[0]!, {}, { signal: cancel.signal });
    const third = pipeline.import(files[3]!);
    cancel.abort();
    expect((await first).capture_id).toBe(1);
    await expect(second).rejects.toMatchObject({ name: 'AbortError' });
    expect((await third).capture_id).toBe(2);
    const content = await caseContent(store);
    expect(content.captures.map((c) => c['file_name'])).toEqual(['ticks.jsonl', 'lsass-campaign.slice104504.lines345-365.json']);
    expect(content.offered).toEqual([]);
    store.close();
  });
});
