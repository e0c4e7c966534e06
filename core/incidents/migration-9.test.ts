// Migration 9 on a case written at schema 8 with findings: the incident and workflow tables
// appear, and the first listing builds the incidents from the findings already there.
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseStore } from '../store/case-store.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../store/migrations.ts';
import { sql } from '../store/sql.ts';
import { tempDir } from '../testing/temp.ts';
import { listIncidents } from './store.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

async function caseAtSchema8(path: string): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  await conn.run('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)');
  for (const m of MIGRATIONS.filter((x) => x.version <= 8)) {
    for (const statement of m.statements) await conn.run(statement);
    await conn.run(`INSERT INTO schema_migrations VALUES (${m.version}, 'v${m.version}', now()::TIMESTAMP)`);
  }
  await conn.run(`INSERT INTO captures (capture_id, file_name, format, sha256, size_bytes, events, rejected, imported_at, importer_version)
                  VALUES (1, 'net.csv', 'csv', 'x', 1, 2, 0, now()::TIMESTAMP, 'csv@0')`);
  // Two process-less findings on one endpoint: joined by the shared entity.
  await conn.run(`INSERT INTO event_rows VALUES
    (1, 1, 10, 10, NULL, 'h', NULL, NULL, NULL, NULL, 'network', 'connect', 'network', '10.0.0.5:502', NULL, NULL, NULL, 1, NULL, NULL),
    (2, 1, 20, 20, NULL, 'h', NULL, NULL, NULL, NULL, 'ics', 'modbus.write_single_coil', 'ics', '10.0.0.5:502', NULL, NULL, NULL, 2, NULL, NULL)`);
  for (const [id, ev, attack] of [[1, 1, 'T0886'], [2, 2, 'T0855']] as const) {
    await conn.run(`INSERT INTO findings VALUES (${id}, 'r${id}', NULL, 'finding ${id}', 70, 'high', 'x', [${ev}], ['${attack}'],
                    make_timestamp(${ev * 10}), make_timestamp(${ev * 10}), [], 'h', [], now()::TIMESTAMP)`);
  }
  conn.closeSync();
  instance.closeSync();
}

describe('migration 9', () => {
  it('adds incidents, incident_findings, incidents_built and workflow_states; incidents are built on first listing', async () => {
    const path = dir.file('v8.duckdb');
    await caseAtSchema8(path);
    const store = await CaseStore.open(path);
    expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    expect(await store.rows(sql`SELECT count(*) AS n FROM workflow_states`, { n: 'num' })).toEqual([{ n: 0 }]);
    const incidents = await listIncidents(store);
    expect(incidents.map((i) => [i.finding_ids, i.tactics, i.touched.endpoints])).toEqual([[[1, 2], ['Initial Access', 'Impair Process Control'], ['10.0.0.5:502']]]);
    expect(await store.rows(sql`SELECT count(*) AS n FROM incident_findings`, { n: 'num' })).toEqual([{ n: 2 }]);
    // Built once: a read does not rebuild them again (triage runs do), so listing stays a read.
    await store.exec(sql`DELETE FROM incident_findings`);
    await store.exec(sql`DELETE FROM incidents`);
    expect(await listIncidents(store)).toEqual([]);
    store.close();
  });
});
