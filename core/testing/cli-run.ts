// The `tracebench` command run as a user runs it, for tests: a child process with its exit code,
// stdout and stderr. One place for the binary's path and the time limit, which every CLI test
// used to repeat.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';

export const TRACEBENCH_BIN = join(import.meta.dirname, '..', '..', 'bin', 'tracebench.js');

export interface CliRunOptions {
  /** Extra environment variables, on top of this process's. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** Runs `tracebench ARGS…` and returns what spawnSync returns (status, stdout, stderr, signal). */
export function runCli(args: readonly string[], options: CliRunOptions = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [TRACEBENCH_BIN, ...args], {
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
    env: options.env ? { ...process.env, ...options.env } : process.env,
  });
}

/** `tracebench ARGS…` as {code, out, err}. */
export function tb(...args: string[]): { code: number | null; out: string; err: string } {
  const r = runCli(args);
  return { code: r.status, out: r.stdout, err: r.stderr };
}
