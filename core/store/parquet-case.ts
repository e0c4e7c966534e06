// Opens a Parquet dataset (core/export/parquet-dataset.ts) read-only as a case, so a team whose
// captures live on a shared store keeps the same timeline, table and queries. A scratch case file
// in a private temporary folder gets the current schema, the dataset's small tables copied in,
// and `event_rows` replaced by a view over the partitioned Parquet files (the events stay where
// they are; DuckDB prunes files by capture and row groups by time). The scratch case is then
// opened read-only, with SQL allowed to read the dataset's folder and nothing else.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { z } from 'zod';
import { DATASET_FORMAT, DATASET_LAYOUT_VERSION, DATASET_MANIFEST, type DatasetManifest } from '../export/parquet-dataset.ts';
import { CaseStore } from './case-store.ts';
import { LATEST_SCHEMA_VERSION } from './migrations.ts';
import { rawSql, sql } from './sql.ts';

const ManifestSchema = z.object({
  format: z.literal(DATASET_FORMAT),
  layout_version: z.number().int(),
  schema_version: z.number().int().positive(),
  events: z.number().int().nonnegative(),
  tables: z.record(z.string().regex(/^[a-z_][a-z0-9_]*$/), z.number().int().nonnegative()),
});

export class DatasetError extends Error {
  constructor(dir: string, problem: string) {
    super(`${dir} is not a usable Tracebench Parquet dataset: ${problem}`);
    this.name = 'DatasetError';
  }
}

/** True when `path` is a folder holding a dataset manifest. */
export function isParquetDataset(path: string): boolean {
  try {
    return statSync(path).isDirectory() && existsSync(join(path, DATASET_MANIFEST));
  } catch {
    return false;
  }
}

export function readDatasetManifest(dir: string): Pick<DatasetManifest, 'schema_version' | 'events' | 'tables' | 'layout_version'> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(dir, DATASET_MANIFEST), 'utf8'));
  } catch (err) {
    throw new DatasetError(dir, `${DATASET_MANIFEST}: ${(err as Error).message}`);
  }
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) throw new DatasetError(dir, `${DATASET_MANIFEST}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const m = parsed.data;
  if (m.layout_version > DATASET_LAYOUT_VERSION) throw new DatasetError(dir, `layout ${m.layout_version} is newer than this Tracebench reads (${DATASET_LAYOUT_VERSION})`);
  if (m.schema_version > LATEST_SCHEMA_VERSION) throw new DatasetError(dir, `written by a newer Tracebench (schema ${m.schema_version}, this one knows ${LATEST_SCHEMA_VERSION})`);
  return m;
}

export interface OpenedDataset {
  store: CaseStore;
  manifest: ReturnType<typeof readDatasetManifest>;
  /** Closes the case and deletes the scratch file. */
  dispose(): void;
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export async function openParquetDataset(datasetDir: string): Promise<OpenedDataset> {
  const dir = resolve(datasetDir);
  const manifest = readDatasetManifest(dir);
  const allowed = [`${dir}${sep}`];
  const scratchDir = mkdtempSync(join(tmpdir(), 'tracebench-dataset-'));
  const scratch = join(scratchDir, 'case.duckdb');
  try {
    const builder = await CaseStore.open(scratch, { create: true, allowedDirectories: allowed });
    try {
      await fillScratchCase(builder, dir, manifest.tables);
    } finally {
      builder.close();
    }
    const store = await CaseStore.open(scratch, { readOnly: true, create: false, allowedDirectories: allowed });
    store.vouchedViews.add('event_rows'); // ours: a view over this dataset's files only
    return {
      store,
      manifest,
      dispose: () => {
        store.close();
        rmSync(scratchDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(scratchDir, { recursive: true, force: true });
    if (err instanceof DatasetError) throw err;
    throw new DatasetError(dir, (err as Error).message);
  }
}

async function fillScratchCase(store: CaseStore, dir: string, tables: Record<string, number>): Promise<void> {
  const conn = store.connection();
  const present = new Set(
    (await store.rows(sql`SELECT table_name AS name FROM duckdb_tables() WHERE database_name = current_database()`, { name: 'str' })).map((r) => r.name),
  );
  const columns = await store.rows(
    sql`SELECT column_name AS name, data_type AS type FROM duckdb_columns()
        WHERE database_name = current_database() AND table_name = 'event_rows' ORDER BY column_index`,
    { name: 'str', type: 'str' },
  );
  const eventsGlob = literal(join(dir, 'events', '**', '*.parquet'));
  const source = `read_parquet(${eventsGlob}, hive_partitioning = true, union_by_name = true)`;
  const inFiles = new Set(
    (await store.rows(sql`SELECT column_name AS name FROM (DESCRIBE SELECT * FROM ${rawSql(source)})`, { name: 'str' })).map((r) => r.name),
  );
  await conn.run('BEGIN TRANSACTION');
  try {
    for (const name of Object.keys(tables)) {
      // A table this version no longer has is left out; one it added keeps its defaults (BY NAME).
      if (!present.has(name)) continue;
      const quoted = `"${name}"`;
      await conn.run(`DELETE FROM ${quoted}`);
      await conn.run(`INSERT INTO ${quoted} BY NAME SELECT * FROM read_parquet(${literal(join(dir, 'tables', `${name}.parquet`))})`);
    }
    // Columns the files lack (a dataset from an older schema) read as NULL, typed as the table's.
    const select = columns
      .map((c) => (inFiles.has(c.name) ? `CAST("${c.name}" AS ${c.type}) AS "${c.name}"` : `CAST(NULL AS ${c.type}) AS "${c.name}"`))
      .join(', ');
    await conn.run('DROP TABLE event_rows');
    await conn.run(`CREATE VIEW event_rows AS SELECT ${select} FROM ${source}`);
    await conn.run('COMMIT');
  } catch (err) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
