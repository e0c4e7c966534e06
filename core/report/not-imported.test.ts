// A file no importer recognises is never silently dropped: the case records it and the report
// lists it under scope and blind spots until the analyst imports it with a chosen reader.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile, UnrecognisedFormatError } from '../ingest/import-file.ts';
import { CaseStore } from '../store/case-store.ts';
import { listNotImported } from '../store/offered-files.ts';
import { sql } from '../store/sql.ts';
import { fixture } from '../testing/corpus.ts';
import { tempDir } from '../testing/temp.ts';
import { buildReport } from './build.ts';
import type { ReportData } from './model.ts';

const STACK_TRACES = fixture('logs/flowview-stacktraces.log');
const BYTES = readFileSync(STACK_TRACES);
const SHA = createHash('sha256').update(BYTES).digest('hex');

let dir: ReturnType<typeof tempDir>;
let store: CaseStore;
beforeEach(async () => {
  dir = tempDir();
  store = await CaseStore.open(dir.file('c.duckdb'));
});
afterEach(() => {
  store.close();
  dir.remove();
});

describe('files offered but not imported', () => {
  it('an unrecognised file is refused with its closest formats, and recorded with size, SHA-256, reason and time', async () => {
    const err = await importFile(store, STACK_TRACES).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnrecognisedFormatError);
    expect((err as Error).message).toMatch(/^flowview-stacktraces\.log: format not recognised .* textlog \(0\.25\).*--format NAME/);
    const rows = await store.rows(sql`SELECT file_name, file_path, size_bytes, sha256, reason, offered_at IS NOT NULL AS timed FROM offered_files`, {
      file_name: 'str', file_path: 'str?', size_bytes: 'num', sha256: 'str?', reason: 'str', timed: 'bool',
    });
    expect(rows).toEqual([
      {
        file_name: 'flowview-stacktraces.log',
        file_path: STACK_TRACES,
        size_bytes: BYTES.length,
        sha256: SHA,
        reason: expect.stringMatching(/^format not recognised from its content: the closest formats were textlog \(0\.25\)/),
        timed: true,
      },
    ]);
    expect(await store.one(sql`SELECT count(*) AS n FROM captures`, { n: 'num' })).toEqual({ n: 0 });
  });

  it('an import that fails part-way is recorded too (the case stays as it was)', async () => {
    const bad = dir.file('broken.csv');
    writeFileSync(bad, 'alpha,beta\n1,2\n');
    await expect(importFile(store, bad, { format: 'csv' })).rejects.toThrow(/no time column found/);
    const [row] = await listNotImported(store);
    expect(row).toMatchObject({ file_name: 'broken.csv', size_bytes: 15, times_offered: 1 });
    expect(row?.reason).toMatch(/no time column found/);
  });

  it('the report lists the file under scope and blind spots in JSON, Markdown and HTML', async () => {
    await importFile(store, STACK_TRACES).catch(() => undefined);
    await importFile(store, STACK_TRACES).catch(() => undefined); // offered twice: listed once
    const data = JSON.parse((await buildReport(store, { format: 'json' })).content) as ReportData;
    expect(data.coverage.not_imported).toEqual([
      expect.objectContaining({ file_name: 'flowview-stacktraces.log', size_bytes: BYTES.length, sha256: SHA, times_offered: 2 }),
    ]);
    expect(data.coverage.blind_spots[0]).toMatch(/^flowview-stacktraces\.log \(\d+ bytes, SHA-256 [0-9a-f]{64}\) was offered but not imported — format not recognised/);
    const md = (await buildReport(store, { format: 'md' })).content;
    const scope = md.slice(md.indexOf('## Scope, collection governance and blind spots'));
    expect(scope).toContain('### Files offered but not imported');
    expect(scope).toContain(`| flowview\\-stacktraces.log | ${BYTES.length} | ${SHA} |`);
    const html = (await buildReport(store, { format: 'html' })).content;
    const table = html.slice(html.indexOf('data-section="not-imported"'));
    expect(table).toContain('flowview-stacktraces.log');
    expect(table).toContain(SHA);
  });

  it('once imported with a chosen reader the file is no longer a blind spot', async () => {
    await importFile(store, STACK_TRACES).catch(() => undefined);
    expect(await listNotImported(store)).toHaveLength(1);
    const summary = await importFile(store, STACK_TRACES, { format: 'textlog' });
    expect(summary).toMatchObject({ events: 3, format: 'textlog' });
    expect(await listNotImported(store)).toEqual([]);
    const data = JSON.parse((await buildReport(store, { format: 'json' })).content) as ReportData;
    expect(data.coverage.not_imported).toEqual([]);
    expect(data.coverage.blind_spots.join(' ')).not.toMatch(/offered but not imported/);
  });
});
