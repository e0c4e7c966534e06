// `npm run bench [-- NAME...]`: import throughput benchmarks against DuckDB's own CSV reader.
// Figures are printed and written to bench/out/results.json; docs/benchmarks.md records them.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { generateStrace } from './gen-strace.ts';
import { BENCHES_EXTRA } from './extra.ts';
import { findLnav, lnavStraceLines, lnavVersion, runLnavLoad, writeWithoutPids } from './lnav.ts';

const OUT = join(import.meta.dirname, 'out');
const MB = 1024 * 1024;

export interface ChildResult {
  ms: number;
  maxRssMb: number;
  /** CPU time of the process, all threads (user + system): steadier than wall time on a shared machine. */
  cpuMs?: number;
  events?: number;
  rejected?: number;
  rows?: number;
}

export function runChild(script: string, args: string[]): ChildResult {
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, script), ...args], {
    encoding: 'utf8',
    maxBuffer: 16 * MB,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const last = stdout.trim().split('\n').pop() ?? '{}';
  return JSON.parse(last) as ChildResult;
}

/**
 * Runs the children `BENCH_RUNS` times (default 3), alternating them so drift on a shared machine
 * hits every side alike, and keeps each side's median run (by time); also the spread of times.
 */
export function medianRuns(children: Record<string, () => ChildResult>): Record<string, ChildResult & { spread: string }> {
  const runs = Math.max(1, Number(process.env['BENCH_RUNS'] ?? 3));
  const all: Record<string, ChildResult[]> = {};
  for (let i = 0; i < runs; i++) {
    for (const [name, run] of Object.entries(children)) (all[name] ??= []).push(run());
  }
  const out: Record<string, ChildResult & { spread: string }> = {};
  for (const [name, results] of Object.entries(all)) {
    const sorted = [...results].sort((a, b) => a.ms - b.ms);
    const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
    out[name] = { ...median, spread: sorted.map((r) => (r.ms / 1000).toFixed(2)).join(' / ') };
  }
  return out;
}

export function freshPath(name: string): string {
  const p = join(OUT, name);
  rmSync(p, { force: true });
  rmSync(`${p}.wal`, { force: true });
  return p;
}

async function straceBench(): Promise<Record<string, number | string>> {
  const targetMb = Number(process.env['BENCH_STRACE_MB'] ?? 200);
  const tracePath = join(OUT, `strace-${targetMb}mb.txt`);
  const csvPath = join(OUT, `strace-${targetMb}mb.csv`);
  if (!existsSync(tracePath) || !existsSync(csvPath)) {
    process.stderr.write(`generating a ${targetMb} MB strace capture…\n`);
    await generateStrace(tracePath, csvPath, targetMb * MB);
  }
  const bytes = statSync(tracePath).size;
  // lnav (when installed) loads the same capture with its pid prefix stripped (bench/lnav.ts).
  const lnav = findLnav();
  const lnavPath = tracePath.replace(/\.txt$/, '.nopid.txt');
  if (lnav) await writeWithoutPids(tracePath, lnavPath);
  const loadBefore = loadAverage();
  const runs = medianRuns({
    imp: () => runChild('child-import.ts', [freshPath('strace-bench.duckdb'), tracePath, 'strace', '2026-11-26']),
    ref: () => runChild('child-read-csv.ts', [freshPath('strace-readcsv.duckdb'), csvPath]),
    ...(lnav ? { lnav: () => runLnavLoad(lnavPath) } : {}),
  });
  const [imp, ref] = [runs['imp']!, runs['ref']!];
  const calls = imp.events ?? 0;
  return {
    load_average_before_after: `${loadBefore} → ${loadAverage()}`,
    ...straceVsLnav(imp, runs['lnav'], lnav ? lnavPath : null),
    file_mb: +(bytes / MB).toFixed(1),
    calls,
    rejected: imp.rejected ?? 0,
    runs: process.env['BENCH_RUNS'] ?? '3',
    import_s: +(imp.ms / 1000).toFixed(2),
    import_s_all_runs: imp.spread,
    calls_per_s: Math.round(calls / (imp.ms / 1000)),
    mb_per_s: +(bytes / MB / (imp.ms / 1000)).toFixed(1),
    import_peak_rss_mb: Math.round(imp.maxRssMb),
    import_cpu_s: cpuSeconds(imp),
    read_csv_s: +(ref.ms / 1000).toFixed(2),
    read_csv_s_all_runs: ref.spread,
    read_csv_rows_per_s: Math.round((ref.rows ?? 0) / (ref.ms / 1000)),
    read_csv_peak_rss_mb: Math.round(ref.maxRssMb),
    read_csv_cpu_s: cpuSeconds(ref),
  };
}

/** The 1, 5 and 15 minute load averages: every figure on this shared machine is noted with them. */
export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

/** CPU seconds (all threads) of the median run, when the side reports them. */
export function cpuSeconds(r: ChildResult): number | string {
  return r.cpuMs === undefined ? '—' : +(r.cpuMs / 1000).toFixed(2);
}

/** Target (issue #16): the import (without triage) at least this many times as fast as lnav's load. */
const LNAV_RATIO_TARGET = 1.5;

function straceVsLnav(imp: ChildResult, lnav: (ChildResult & { spread: string }) | undefined, lnavPath: string | null): Record<string, number | string> {
  if (!lnav || !lnavPath) return { lnav: 'not installed (apt-get install -y lnav): no ratio' };
  const ratio = lnav.ms / imp.ms;
  return {
    lnav: lnavVersion(),
    lnav_load_s: +(lnav.ms / 1000).toFixed(2),
    lnav_load_s_all_runs: lnav.spread,
    lnav_cpu_s: cpuSeconds(lnav),
    lnav_peak_rss_mb: Math.round(lnav.maxRssMb),
    lnav_strace_lines: lnavStraceLines(lnavPath),
    ratio_lnav_to_import: `${ratio.toFixed(2)} (target ≥ ${LNAV_RATIO_TARGET}: ${ratio >= LNAV_RATIO_TARGET ? 'PASS' : 'FAIL'})`,
  };
}

const BENCHES: Record<string, () => Promise<Record<string, number | string>>> = { strace: straceBench, ...BENCHES_EXTRA };

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const chosen = names.length > 0 ? names : Object.keys(BENCHES);
  const results: Record<string, unknown> = { machine: `${process.platform} ${process.arch}, node ${process.version}`, at: new Date().toISOString() };
  for (const name of chosen) {
    const bench = BENCHES[name];
    if (!bench) throw new Error(`unknown benchmark ${name}; have: ${Object.keys(BENCHES).join(', ')}`);
    process.stderr.write(`bench ${name}…\n`);
    const r = await bench();
    results[name] = r;
    process.stdout.write(`\n## ${name}\n`);
    for (const [k, v] of Object.entries(r)) process.stdout.write(`  ${k.padEnd(24)} ${v}\n`);
  }
  writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
}

await main();
