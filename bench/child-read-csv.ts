// DuckDB's own CSV reader on a file, as the reference for import speed: loads the file into a
// table of a fresh database file, like an import does. Prints { ms, rows, maxRssMb, cpuMs }.
import { DuckDBInstance } from '@duckdb/node-api';

/** CPU time of the whole process (every thread: the parse worker, DuckDB's) since `from`, in ms. */
const processCpuMs = (from: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1000;
};

const [dbPath, csvPath] = process.argv.slice(2);
if (!dbPath || !csvPath) throw new Error('usage: child-read-csv DB CSV');
const db = await DuckDBInstance.create(dbPath, { threads: '2', memory_limit: '4GB' });
const conn = await db.connect();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await conn.run('CREATE TABLE t AS SELECT * FROM read_csv($1, header = true, all_varchar = false)', [csvPath]);
const ms = performance.now() - t0;
const rows = Number((await conn.runAndReadAll('SELECT count(*) FROM t')).getRows()[0]?.[0] ?? 0);
conn.closeSync();
db.closeSync();
process.stdout.write(`${JSON.stringify({ ms, rows, maxRssMb: process.resourceUsage().maxRSS / 1024, cpuMs: processCpuMs(cpu0) })}\n`);
