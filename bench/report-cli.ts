// One `tracebench report CASE --format F` run in a fresh process, as a user runs it: its wall
// time (start-up and exit included), the report's bytes, and its error if it failed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', 'bin', 'tracebench.js');

export interface CliRun {
  seconds: number;
  bytes: number;
  content: Buffer;
  error?: string;
}

export function reportByCli(casePath: string, format: 'pdf' | 'html' | 'md' | 'json', extraArgs: readonly string[] = []): CliRun {
  const dir = mkdtempSync(join(tmpdir(), 'tracebench-bench-report-'));
  try {
    const out = join(dir, `report.${format}`);
    const t = performance.now();
    const run = spawnSync(process.execPath, [BIN, 'report', casePath, '--format', format, '--out', out, ...extraArgs], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    const seconds = (performance.now() - t) / 1000;
    if (run.status !== 0) return { seconds, bytes: 0, content: Buffer.alloc(0), error: `exit ${run.status ?? run.signal}: ${run.stderr.trim().split('\n').slice(-2).join(' ').slice(0, 200)}` };
    const content = readFileSync(out);
    return { seconds, bytes: content.length, content };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
