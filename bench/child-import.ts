// Runs one import in its own process so its time and peak memory are measured alone.
// Prints one JSON line: { ms, events, rejected, maxRssMb, cpuMs }.
import { importFile } from '../core/ingest/import-file.ts';
import { CaseStore } from '../core/store/case-store.ts';

/** CPU time of the whole process (every thread: the parse worker, DuckDB's) since `from`, in ms. */
const processCpuMs = (from: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1000;
};

const [casePath, file, format, date] = process.argv.slice(2);
if (!casePath || !file) throw new Error('usage: child-import CASE FILE [FORMAT] [DATE]');
const store = await CaseStore.open(casePath);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const s = await importFile(store, file, { format: format || undefined, date: date || undefined });
const ms = performance.now() - t0;
store.close();
process.stdout.write(`${JSON.stringify({ ms, events: s.events, rejected: s.rejected, maxRssMb: process.resourceUsage().maxRSS / 1024, cpuMs: processCpuMs(cpu0) })}\n`);
