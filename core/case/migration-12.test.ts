// Migration 12 on a case written at schema 11: the governance tables appear empty, the case reads
// as "nothing recorded", and a first write is kept and logged.
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseStore } from '../store/case-store.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../store/migrations.ts';
import { tempDir } from '../testing/temp.ts';
import { readGovernance, writeGovernance } from './governance.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

async function caseAtSchema11(path: string): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  await conn.run('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)');
  for (const m of MIGRATIONS.filter((x) => x.version <= 11)) {
    for (const statement of m.statements) await conn.run(statement);
    await conn.run(`INSERT INTO schema_migrations VALUES (${m.version}, 'v${m.version}', now()::TIMESTAMP)`);
  }
  conn.closeSync();
  instance.closeSync();
}

describe('migration 12', () => {
  it('adds governance, governance_devices and custody_notes to an older case', async () => {
    const path = dir.file('old.duckdb');
    await caseAtSchema11(path);
    const store = await CaseStore.open(path, { create: false });
    try {
      expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
      expect(await readGovernance(store)).toMatchObject({ devices: [], trigger: null, custody: [], updated_at: null });
      const g = await writeGovernance(store, { devices: [{ host: 'hmi-1', role: null, zone: null }], custody_note: 'received' });
      expect(g.devices).toEqual([{ host: 'hmi-1', role: null, zone: null }]);
      expect(g.custody.map((c) => c.note)).toEqual(['received']);
    } finally {
      store.close();
    }
  });
});
