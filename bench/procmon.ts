// Procmon CSV import against DuckDB's own read_csv of the same file (target, issue #16: import at ≥ 0.9× the
// speed of read_csv). The capture is built from the real rows of the public Procmon exports
// (see procmon-gen.ts) and cached under bench/out/. Each side runs in its own process so times
// and peak memory are measured alone; a third process runs the importer without the store, to
// show how the import time splits between parsing and writing. A fourth runs the import as
// `tracebench import CASE FILE` does by default (bench/child-import-triage.ts: the capture, then
// the derived tables and triage over it): what a user waits for, printed beside the import alone.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cpuSeconds, freshPath, loadAverage, medianRuns, runChild } from './run.ts';
import { generateProcmonCsv } from './procmon-gen.ts';

const OUT = join(import.meta.dirname, 'out');
const MB = 1024 * 1024;

/** Target (issue #16): the import's rows/s at least this fraction of read_csv's. */
const READ_CSV_RATIO_TARGET = 0.9;

export async function procmonBench(): Promise<Record<string, number | string>> {
  const targetMb = Number(process.env['BENCH_PROCMON_MB'] ?? 160);
  const csvPath = join(OUT, `procmon-${targetMb}mb.csv`);
  if (!existsSync(csvPath)) {
    process.stderr.write(`generating a ${targetMb} MB Procmon CSV…\n`);
    generateProcmonCsv(csvPath, targetMb * MB);
  }
  const bytes = statSync(csvPath).size;
  const loadBefore = loadAverage();
  const runs = medianRuns({
    imp: () => runChild('child-import.ts', [freshPath('procmon-bench.duckdb'), csvPath, 'procmon-csv', '']),
    parse: () => runChild('child-parse.ts', [csvPath, 'procmon-csv', '', '--no-pack']),
    ref: () => runChild('child-read-csv.ts', [freshPath('procmon-readcsv.duckdb'), csvPath]),
    user: () => runChild('child-import-triage.ts', [freshPath('procmon-user.duckdb'), csvPath, 'procmon-csv', '', 'triage']),
  });
  const [imp, parse, ref, user] = [runs['imp']!, runs['parse']!, runs['ref']!, runs['user']!];
  const rows = ref.rows ?? 0;
  const events = imp.events ?? 0;
  const importRate = events / (imp.ms / 1000);
  const refRate = rows / (ref.ms / 1000);
  const ratio = importRate / refRate;
  const userRatio = (user.events ?? 0) / (user.ms / 1000) / refRate;
  const verdict = (r: number): string => `${r.toFixed(2)} (target ≥ ${READ_CSV_RATIO_TARGET}: ${r >= READ_CSV_RATIO_TARGET ? 'PASS' : 'FAIL'})`;
  return {
    load_average_before_after: `${loadBefore} → ${loadAverage()}`,
    file_mb: +(bytes / MB).toFixed(1),
    rows,
    events,
    rejected: imp.rejected ?? 0,
    runs: process.env['BENCH_RUNS'] ?? '3',
    import_s: +(imp.ms / 1000).toFixed(2),
    import_s_all_runs: imp.spread,
    import_rows_per_s: Math.round(importRate),
    parse_only_s: +(parse.ms / 1000).toFixed(2),
    parse_only_cpu_s: cpuSeconds(parse),
    write_share_s: +((imp.ms - parse.ms) / 1000).toFixed(2),
    read_csv_s: +(ref.ms / 1000).toFixed(2),
    read_csv_s_all_runs: ref.spread,
    read_csv_rows_per_s: Math.round(refRate),
    ratio_import_to_read_csv: verdict(ratio),
    user_import_with_triage_s: +(user.ms / 1000).toFixed(2),
    user_import_with_triage_s_all_runs: user.spread,
    user_import_parts_s: userParts(user),
    ratio_user_import_with_triage_to_read_csv: verdict(userRatio),
    import_peak_rss_mb: Math.round(imp.maxRssMb),
    import_cpu_s: cpuSeconds(imp),
    read_csv_cpu_s: cpuSeconds(ref),
    read_csv_peak_rss_mb: Math.round(ref.maxRssMb),
  };
}

/** "import + derived + triage" seconds of a child-import-triage run. */
function userParts(run: object): string {
  const part = (key: string): string => (Number((run as Record<string, unknown>)[key] ?? 0) / 1000).toFixed(2);
  return `${part('import_ms')} + ${part('derived_ms')} + ${part('triage_ms')}`;
}
