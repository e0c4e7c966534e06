// What opening a file does to it and what a read-only open lets SQL reach: a database of another
// program stays untouched, and the read-only open's DuckDB temp folder cannot be a way out.
import { DuckDBInstance } from '@duckdb/node-api';
import { symlinkSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp.ts';
import { CaseStore, ForeignDatabaseError } from './case-store.ts';
import { LATEST_SCHEMA_VERSION } from './migrations.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

async function tablesOf(path: string): Promise<string[]> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  const reader = await conn.runAndReadAll('SELECT table_name FROM duckdb_tables() ORDER BY 1');
  const names = reader.getRows().map((r) => String(r[0]));
  conn.closeSync();
  instance.closeSync();
  return names;
}

describe('opening a DuckDB file that is not a case', () => {
  it('refuses it, names what it holds, and leaves it unchanged (writable and read-only)', async () => {
    const path = dir.file('plant-historian.duckdb');
    const instance = await DuckDBInstance.create(path);
    const conn = await instance.connect();
    await conn.run('CREATE TABLE tags (name VARCHAR, value DOUBLE)');
    await conn.run("INSERT INTO tags VALUES ('FIC-101', 4.2)");
    await conn.run('CREATE VIEW recent AS SELECT * FROM tags');
    conn.closeSync();
    instance.closeSync();

    await expect(CaseStore.open(path)).rejects.toThrow(ForeignDatabaseError);
    await expect(CaseStore.open(path)).rejects.toThrow(/not a Tracebench case.*recent, tags.*left unchanged/);
    await expect(CaseStore.open(path, { readOnly: true, create: false })).rejects.toThrow(/not a Tracebench case/);
    expect(await tablesOf(path)).toEqual(['tags']);
  });

  it('still makes a case of a new path and of an empty DuckDB file', async () => {
    const empty = dir.file('empty.duckdb');
    (await DuckDBInstance.create(empty)).closeSync();
    for (const path of [empty, dir.file('new.duckdb')]) {
      const store = await CaseStore.open(path);
      expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
      store.close();
      // and opens again afterwards as the case it now is
      const again = await CaseStore.open(path, { readOnly: true, create: false });
      again.close();
    }
  });
});

describe('a read-only open', () => {
  it('does not let SQL read through a <case>.tmp symlink (DuckDB allows its temp folder)', async () => {
    const path = dir.file('case.duckdb');
    (await CaseStore.open(path)).close();
    const outside = dir.file('outside');
    symlinkSync(dir.path, `${path}.tmp`); // stands for "/etc": any folder outside the case
    writeFileSync(outside, 'root:x:0:0:root:/root:/bin/bash\n');
    const store = await CaseStore.open(path, { readOnly: true, create: false });
    try {
      // The raw connection, bypassing the query console's own checks: the open alone must hold.
      await expect(store.connection().runAndReadAll('SELECT content FROM read_text(?)', [`${path}.tmp/outside`])).rejects.toThrow(
        /disabled by configuration|Permission/,
      );
    } finally {
      store.close();
    }
  });
});
