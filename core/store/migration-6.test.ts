// Migration 6 on a case written at schema 5: event_rows gains `level` (filled from the generic
// log readers' severity field), the events view shows it, and offered_files exists.
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp.ts';
import { CaptureWriter } from './capture-writer.ts';
import { CaseStore } from './case-store.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations.ts';
import { sql } from './sql.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

/** A case file as schema 5 left it, with one jsonl and one strace capture. */
async function caseAtSchema5(path: string): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  await conn.run('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)');
  for (const m of MIGRATIONS.filter((x) => x.version <= 5)) {
    for (const statement of m.statements) await conn.run(statement);
    await conn.run(`INSERT INTO schema_migrations VALUES (${m.version}, 'v${m.version}', now()::TIMESTAMP)`);
  }
  for (const [id, format] of [
    [1, 'jsonl'],
    [2, 'strace'],
  ] as const) {
    await conn.run(`INSERT INTO captures (capture_id, file_name, format, sha256, size_bytes, events, rejected, imported_at, importer_version)
                    VALUES (${id}, 'f${id}', '${format}', 'x', 1, 1, 0, now()::TIMESTAMP, '${format}@0')`);
  }
  await conn.run(`INSERT INTO event_rows VALUES
    (1, 1, 10, 10, NULL, 'h', NULL, NULL, NULL, NULL, 'alarm', 'x', 'alarm', NULL, 'HIGH LEVEL', NULL, NULL, 1, '{"severity":"alarm","tag":"LT-100"}'),
    (2, 1, 11, 11, NULL, 'h', NULL, NULL, NULL, NULL, 'log', 'y', 'log', NULL, 'ok', NULL, NULL, 2, '{"tag":"LT-100"}'),
    (3, 2, 12, 12, NULL, 'h', 1, 1, NULL, 'sh', 'api', 'openat', 'file', NULL, NULL, NULL, NULL, 1, '{"severity":"high"}')`);
  conn.closeSync();
  instance.closeSync();
}

describe('migration 6', () => {
  it('adds level (from the log readers\' severity only), shows it in events, and creates offered_files', async () => {
    const path = dir.file('v5.duckdb');
    await caseAtSchema5(path);
    const store = await CaseStore.open(path);
    expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    const levels = await store.rows(sql`SELECT event_id, level FROM events ORDER BY event_id`, { event_id: 'num', level: 'str?' });
    expect(levels).toEqual([
      { event_id: 1, level: 'alarm' },
      { event_id: 2, level: null },
      { event_id: 3, level: null }, // an strace capture's fields are not a log level
    ]);
    const offered = await store.rows(sql`SELECT count(*) AS n FROM offered_files`, { n: 'num' });
    expect(offered).toEqual([{ n: 0 }]);

    // The packed writer appends to the migrated table, whose level column came last by ALTER.
    const w = await CaptureWriter.begin(store, { fileName: 'new.jsonl', filePath: null, format: 'jsonl', importerVersion: 'jsonl@1', host: null, dateBasis: null, tz: 'UTC' });
    w.addEvent({ ts_us: 20, kind: 'alarm', op: 'z', category: 'alarm', source_line: 1, level: 'crit', fields: { severity: 'crit' } });
    await w.commit({ sha256: 'y', sizeBytes: 1, continuationLines: 0, skippedLines: 0, warnings: [] });
    const added = await store.one(sql`SELECT level, kind FROM events WHERE op = 'z'`, { level: 'str?', kind: 'str' });
    expect(added).toEqual({ level: 'crit', kind: 'alarm' });
    store.close();
  });
});
