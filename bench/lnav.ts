// lnav, the log viewer an analyst would otherwise open, as the peer of the strace import (issue
// #16: the import must be ≥ 1.5× as fast as lnav's load of the same capture, in the same run).
// lnav's built-in strace_log format has no pid column, so it reads `strace -f` output only with
// the pid prefix stripped: the bench makes that copy once (untimed, cached next to the capture).
// What is timed is lnav's full load in headless mode (`-n`: it indexes every line before it runs
// commands or exits; `-q`: nothing printed afterwards), a fresh process per run.
import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import type { ChildResult } from './run.ts';

/** lnav keeps its configuration and session state under $HOME/.lnav: a home of its own. */
const LNAV_HOME = join(tmpdir(), 'tracebench-bench-lnav-home');

function lnavEnv(): NodeJS.ProcessEnv {
  mkdirSync(LNAV_HOME, { recursive: true });
  return { ...process.env, HOME: LNAV_HOME, TERM: 'dumb' };
}

/** The lnav binary, or null when it is not installed (`apt-get install -y lnav`). */
export function findLnav(): string | null {
  const r = spawnSync('lnav', ['-V'], { encoding: 'utf8', env: lnavEnv() });
  return r.status === 0 ? 'lnav' : null;
}

export function lnavVersion(): string {
  return execFileSync('lnav', ['-V'], { encoding: 'utf8', env: lnavEnv() }).trim();
}

/** `strace -f` lines without their leading pid (`1234  12:00:00.000001 read(…)` → `12:00:00.000001 read(…)`). */
export async function writeWithoutPids(tracePath: string, outPath: string): Promise<void> {
  if (existsSync(outPath) && statSync(outPath).mtimeMs >= statSync(tracePath).mtimeMs) return;
  const out = createWriteStream(outPath);
  const lines = createInterface({ input: createReadStream(tracePath), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!out.write(`${line.replace(/^\d+ +/, '')}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

const GNU_TIME = '/usr/bin/time';

/**
 * One timed headless load of `path` by lnav. Wall time is measured here; lnav's CPU time and peak
 * RSS come from GNU time when it is installed (it adds no work to lnav's).
 */
export function runLnavLoad(path: string): ChildResult {
  const usage = join(LNAV_HOME, 'usage.txt');
  const withTime = existsSync(GNU_TIME);
  const [cmd, args] = withTime ? [GNU_TIME, ['-o', usage, '-f', '%U %S %M', 'lnav', '-n', '-q', path]] : ['lnav', ['-n', '-q', path]];
  const env = lnavEnv();
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env, maxBuffer: 16 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`lnav failed (${r.status}): ${r.stderr.toString().slice(0, 500)}`);
  if (!withTime) return { ms, maxRssMb: 0 };
  const [user, sys, rssKb] = readFileSync(usage, 'utf8').trim().split(/\s+/).map(Number);
  return { ms, cpuMs: ((user ?? 0) + (sys ?? 0)) * 1000, maxRssMb: (rssKb ?? 0) / 1024 };
}

/**
 * How many lines lnav recognised as strace_log (untimed check that the timed load is a load of
 * the whole capture in lnav's strace format, not of a file lnav could not read).
 */
export function lnavStraceLines(path: string): number {
  const out = execFileSync('lnav', ['-n', '-c', ';SELECT count(*) AS n FROM strace_log', path], { encoding: 'utf8', env: lnavEnv(), maxBuffer: 16 * 1024 * 1024 });
  const n = out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^\d+$/.test(l))
    .pop();
  return n === undefined ? 0 : Number(n);
}
