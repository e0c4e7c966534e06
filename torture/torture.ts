// `npm run torture [-- --rounds N --seed S --big CALLS]`: kills the backend with SIGKILL at
// random moments of imports, triage, annotation and report writing (seeded, so a failing round
// can be replayed), and after each kill checks the case (check-case.ts). Prints one line per
// round and exits non-zero when anything was lost. A 5-round run is part of `npm test`
// (torture.test.ts).
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateStrace } from '../bench/gen-strace.ts';
import { mulberry32 } from '../core/testing/prng.ts';
import { checkCase, type KnownState } from './check-case.ts';
import { writeUniformStrace } from './captures.ts';

const REPO = join(import.meta.dirname, '..');
const CLI = join(REPO, 'bin', 'tracebench.js');

export interface TortureOptions {
  rounds: number;
  seed: number;
  /** Working folder (emptied first). */
  dir: string;
  /** Calls in the large capture (imports of it span several row groups). */
  bigCalls?: number;
  log?: (line: string) => void;
}

export interface TortureRound {
  round: number;
  op: Operation;
  /** How the kill was aimed: a phase name and delay, or a delay after the start. */
  aim: string;
  /** 'killed' or the exit code when the command finished before the kill. */
  ended: string;
  problems: string[];
}

type Operation = 'import-big' | 'import-small' | 'triage' | 'annotate' | 'report';
const OPERATIONS: readonly Operation[] = ['import-big', 'import-big', 'import-small', 'triage', 'annotate', 'report'];
/** Phases each operation passes (core/store/test-hooks.ts); a kill may be aimed at one of them. */
const PHASES: Record<Operation, readonly string[]> = {
  'import-big': ['import:begin', 'import:rows-written', 'import:before-commit', 'import:before-commit', 'import:committed', 'txn:before-commit'],
  'import-small': ['import:rows-written', 'import:before-commit', 'txn:begin', 'txn:before-commit'],
  triage: ['txn:begin', 'txn:before-commit', 'txn:before-commit'],
  annotate: ['txn:begin', 'txn:before-commit'],
  report: [],
};

export async function runTorture(options: TortureOptions): Promise<TortureRound[]> {
  const log = options.log ?? (() => undefined);
  const random = mulberry32(options.seed);
  rmSync(options.dir, { recursive: true, force: true });
  mkdirSync(options.dir, { recursive: true });
  const casePath = join(options.dir, 'case.duckdb');
  const small = join(options.dir, 'small-strace.txt');
  const big = join(options.dir, 'big-strace.txt');
  await generateStrace(small, join(options.dir, 'small.csv'), 256 * 1024);
  await writeUniformStrace(big, options.bigCalls ?? 600_000);

  // The state every round must preserve: one capture, an annotation, a findings set.
  await runCli(['import', casePath, small, '--format', 'strace', '--date', '2026-11-26', '--json']);
  await runCli(['annotate', casePath, '--event', '1', '--tag', 'benign', '--note', 'before the torture']);
  const known: KnownState = { captures: new Map(), annotations: new Map() };
  const setupProblems = await checkCase(casePath, known, null);
  if (setupProblems.length > 0) throw new Error(`torture setup: ${setupProblems.join('; ')}`);

  // How long each command takes uncut on this machine, so kills can land anywhere in it: the first
  // round of each operation runs it to the end (and its result is checked like any other).
  const durations = new Map<Operation, number>();
  const rounds: TortureRound[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    const op = OPERATIONS[Math.floor(random() * OPERATIONS.length)]!;
    const report = join(options.dir, `report-${round}.html`);
    const args = commandFor(op, casePath, { small, big, report, round });
    const phases = PHASES[op];
    const uncutMs = durations.get(op);
    // Half the kills land on a named phase (plus 0–400 ms, into DuckDB's commit), half anywhere
    // in the command's run (0–115 % of its uncut time).
    const onPhase = phases.length > 0 && random() < 0.5;
    const phase = onPhase ? phases[Math.floor(random() * phases.length)]! : null;
    const delayMs = Math.floor(random() * (phase ? 400 : 1.15 * (uncutMs ?? 0)));
    const aim = uncutMs === undefined ? 'no kill (timing run)' : phase ? `${phase}+${delayMs}ms` : `start+${delayMs}ms`;
    const started = performance.now();
    const ended = await runCli(args, uncutMs === undefined ? undefined : { phase, delayMs });
    if (uncutMs === undefined) durations.set(op, performance.now() - started);
    const problems = await checkCase(casePath, known, op === 'report' ? report : null);
    rounds.push({ round, op, aim, ended, problems });
    log(`round ${round} ${op} kill at ${aim}: ${ended}; ${problems.length === 0 ? 'intact' : `LOST: ${problems.join('; ')}`}`);
  }
  return rounds;
}

function commandFor(op: Operation, casePath: string, f: { small: string; big: string; report: string; round: number }): string[] {
  switch (op) {
    case 'import-big':
      return ['import', casePath, f.big, '--format', 'strace', '--date', '2026-11-26', '--json'];
    case 'import-small':
      return ['import', casePath, f.small, '--format', 'strace', '--date', '2026-11-26', '--json'];
    case 'triage':
      return ['findings', casePath, '--refresh', '--json'];
    case 'annotate':
      return ['annotate', casePath, '--event', String(f.round), '--tag', 'suspicious', '--note', `round ${f.round}`];
    case 'report':
      return ['report', casePath, '--out', f.report];
  }
}

/**
 * Runs one CLI command; with `kill`, SIGKILLs it `delayMs` after it reports `phase` (or after
 * its start). Resolves to 'killed' or 'exit N'.
 */
function runCli(args: string[], kill?: { phase: string | null; delayMs: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: REPO,
      env: { ...process.env, TRACEBENCH_TEST_PHASES: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      if (kill && !timer) timer = setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
    };
    if (kill && kill.phase === null) arm();
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (kill?.phase && stderr.includes(`@phase ${kill.phase}\n`)) arm();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal === 'SIGKILL') resolve('killed');
      else if (code !== 0 && !kill) reject(new Error(`tracebench ${args[0]} failed (${code}): ${stderr.replace(/@phase \S+\n/g, '').slice(-500)}`));
      else resolve(`exit ${code}`);
    });
  });
}

if (process.argv[1] === import.meta.filename) {
  const { values } = parseArgs({ options: { rounds: { type: 'string' }, seed: { type: 'string' }, big: { type: 'string' }, dir: { type: 'string' } } });
  const rounds = await runTorture({
    rounds: Number(values.rounds ?? 50),
    seed: Number(values.seed ?? 20261203),
    bigCalls: values.big ? Number(values.big) : undefined,
    dir: values.dir ?? join(REPO, 'bench', 'out', 'torture'),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  const lost = rounds.filter((r) => r.problems.length > 0);
  const killed = rounds.filter((r) => r.ended === 'killed').length;
  process.stdout.write(`${rounds.length} rounds, ${killed} killed mid-way, ${lost.length} with losses\n`);
  process.exitCode = lost.length > 0 ? 1 : 0;
}
