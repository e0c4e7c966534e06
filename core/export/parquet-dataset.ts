// A case as a Parquet dataset that DuckDB, Spark or Trino read as they are: the events
// partitioned Hive-style by capture and day (events/capture_id=N/day=YYYY-MM-DD/*.parquet, sorted
// by time inside each so row-group statistics prune time ranges), every other table of the case
// as one file (tables/<name>.parquet: captures, findings, annotations, incidents, audit log …),
// and tracebench-dataset.json naming the schema version, row counts and each file's SHA-256.
// Written to DIR.partial and renamed when complete, so a failed export never looks whole.
// parquet-case.ts opens such a folder read-only as a case.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { CaseStore } from '../store/case-store.ts';
import { LATEST_SCHEMA_VERSION } from '../store/migrations.ts';
import { ident, sql } from '../store/sql.ts';

export const DATASET_MANIFEST = 'tracebench-dataset.json';
export const DATASET_FORMAT = 'tracebench-parquet-dataset';
/** Bumped when the dataset's layout (not the case schema) changes. */
export const DATASET_LAYOUT_VERSION = 1;

/** Tables that are not copied: the events (written partitioned) and the case's own bookkeeping. */
const NOT_COPIED = new Set(['event_rows', 'schema_migrations']);

export interface DatasetManifest {
  format: typeof DATASET_FORMAT;
  layout_version: number;
  schema_version: number;
  exported_at: string;
  case_file: string;
  events: number;
  partitions: string[];
  tables: Record<string, number>;
  files: Array<{ path: string; bytes: number; sha256: string }>;
}

export interface ParquetExportResult {
  dir: string;
  manifest: DatasetManifest;
}

/** SQL string literal for a path we made (never user SQL): quotes doubled. */
function literal(path: string): string {
  return `'${path.replace(/'/g, "''")}'`;
}

export async function exportParquetDataset(
  casePath: string,
  outDir: string,
  onProgress: (step: string) => void = () => undefined,
): Promise<ParquetExportResult> {
  const dir = resolve(outDir);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} exists and is not empty: choose a new folder`);
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(join(partial, 'tables'), { recursive: true });
  let store: CaseStore | null = null;
  try {
    // Read-only: the export never changes the case; COPY may write only into the new folder.
    store = await CaseStore.open(casePath, { readOnly: true, create: false, allowedDirectories: [`${partial}${sep}`] });
    const session = await store.openSession();
    const conn = session.conn;
    try {
      await conn.run('BEGIN TRANSACTION READ ONLY'); // one consistent state for every file
      onProgress('events');
      await conn.run(
        `COPY (SELECT *, strftime(make_timestamp(ts_us), '%Y-%m-%d') AS day FROM event_rows ORDER BY capture_id, ts_us, event_id)
         TO ${literal(join(partial, 'events'))} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (capture_id, day))`,
      );
      const tables = await session.rows(
        sql`SELECT table_name AS name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' ORDER BY name`,
        { name: 'str' },
      );
      const copied = tables.map((t) => t.name).filter((name) => !NOT_COPIED.has(name));
      const counts: Record<string, number> = {};
      for (const name of copied) {
        onProgress(name);
        const quoted = `"${name.replace(/"/g, '""')}"`;
        await conn.run(`COPY (SELECT * FROM ${quoted}) TO ${literal(join(partial, 'tables', `${name}.parquet`))} (FORMAT parquet, COMPRESSION zstd)`);
        const n = await session.one(sql`SELECT count(*) AS n FROM ${ident(name, copied)}`, { n: 'num' });
        counts[name] = n?.n ?? 0;
      }
      const events = await session.one(sql`SELECT count(*) AS n FROM event_rows`, { n: 'num' });
      await conn.run('ROLLBACK');
      onProgress('hashes');
      const files = await hashFiles(partial);
      const manifest: DatasetManifest = {
        format: DATASET_FORMAT,
        layout_version: DATASET_LAYOUT_VERSION,
        schema_version: LATEST_SCHEMA_VERSION,
        exported_at: new Date().toISOString(),
        case_file: resolve(casePath),
        events: events?.n ?? 0,
        partitions: [...new Set(files.filter((f) => f.path.startsWith('events/')).map((f) => f.path.split('/').slice(1, -1).join('/')))].sort(),
        tables: counts,
        files,
      };
      writeFileSync(join(partial, DATASET_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
      session.close();
      store.close();
      store = null;
      if (existsSync(dir)) rmSync(dir, { recursive: true }); // empty, checked above
      renameSync(partial, dir);
      return { dir, manifest };
    } catch (err) {
      session.close();
      throw err;
    }
  } catch (err) {
    store?.close();
    rmSync(partial, { recursive: true, force: true });
    throw err;
  }
}

async function hashFiles(root: string): Promise<DatasetManifest['files']> {
  const out: DatasetManifest['files'] = [];
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  for (const file of walk(root).sort()) {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    out.push({ path: relative(root, file).split(sep).join('/'), bytes: statSync(file).size, sha256: hash.digest('hex') });
  }
  return out;
}
