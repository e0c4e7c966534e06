// Migration 14 on a case written before it: annotations' one-string tags become tag lists (split
// on commas), the legacy `tag` column keeps the joined text, and saved_views appears.
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseStore } from '../store/case-store.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../store/migrations.ts';
import { sql } from '../store/sql.ts';
import { tempDir } from '../testing/temp.ts';
import { listAnnotations, listAnnotationTags } from './annotations.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

async function caseBefore14(path: string, tags: string[]): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  await conn.run('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)');
  for (const m of MIGRATIONS.filter((x) => x.version < 14)) {
    for (const statement of m.statements) await conn.run(statement);
    await conn.run(`INSERT INTO schema_migrations VALUES (${m.version}, 'v${m.version}', now()::TIMESTAMP)`);
  }
  // The column list of migration 1: what an older Tracebench wrote.
  for (const [i, tag] of tags.entries()) {
    await conn.run(
      `INSERT INTO annotations VALUES (${i + 1}, NULL, make_timestamp(${i * 10}), make_timestamp(${i * 10 + 5}), $tag, 'old note', 'ana', now()::TIMESTAMP, now()::TIMESTAMP)`,
      { tag },
    );
  }
  conn.closeSync();
  instance.closeSync();
}

describe('migration 14', () => {
  it('splits each old tag text on commas into the tags list and keeps the joined text in tag', async () => {
    const path = dir.file('old.duckdb');
    await caseBefore14(path, ['malicious, initial-access', 'benign', 'Suspicious,,suspicious , T0855', ' , ']);
    const store = await CaseStore.open(path);
    try {
      expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
      const annotations = await listAnnotations(store);
      expect(annotations.map((a) => a.tags)).toEqual([['malicious', 'initial-access'], ['benign'], ['Suspicious', 'T0855'], [' , ']]);
      expect(annotations.map((a) => a.tag)).toEqual(['malicious, initial-access', 'benign', 'Suspicious, T0855', ' , ']);
      expect(annotations.every((a) => a.note === 'old note' && a.author === 'ana')).toBe(true);
      expect((await listAnnotationTags(store)).find((t) => t.tag === 'malicious')).toEqual({ tag: 'malicious', count: 1 });
      expect(await store.rows(sql`SELECT count(*) AS n FROM saved_views`, { n: 'num' })).toEqual([{ n: 0 }]);
    } finally {
      store.close();
    }
  });
});
