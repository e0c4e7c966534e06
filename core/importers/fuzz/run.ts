// The long fuzz run (`npm run fuzz`): every importer, its fixed cases (with a 50 MB runaway line)
// and then random cases, round-robin over the importers until --rounds or --minutes run out.
// The cases run in a child process watched by this one: an importer stuck in a loop cannot be
// interrupted from inside, so the child is killed when a case overruns its time budget well
// past it, the case is counted as a hang, and a new child carries on after it.
// Prints one line per failure (enough to rebuild the input: seed, format, case number), saves the
// failing inputs under --out, and ends with a summary line. Exit code 1 when anything failed.
//   npm run fuzz -- --seed 1 --minutes 10
//   npm run fuzz -- --seed 1 --format zeek --case 10412      (replay one case)
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { IMPORTERS } from '../registry.ts';
import { describeCase, FIRST_RANDOM_CASE, fixedCases, randomCase, type CampaignSizes, type FuzzCase } from './campaign.ts';
import { runFuzzInput, timeBudgetMs, type Verdict } from './harness.ts';
import { seedsFor } from './seeds.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    rounds: { type: 'string' },
    minutes: { type: 'string', default: '10' },
    format: { type: 'string' },
    case: { type: 'string' },
    'long-line-mb': { type: 'string', default: '50' },
    out: { type: 'string', default: 'fuzz-failures' },
    // Set by the supervisor for its child: skip the first N cases, stop at this wall-clock time.
    child: { type: 'boolean', default: false },
    skip: { type: 'string', default: '0' },
    'deadline-ms': { type: 'string' },
  },
});

const runSeed = Number(values.seed);
const importers = IMPORTERS.filter((i) => !values.format || i.format === values.format);
if (importers.length === 0) throw new Error(`no importer "${values.format}"`);

/** A hang: this many times the case's time budget, plus slack for a busy machine. */
const HANG_FACTOR = 4;
const HANG_SLACK_MS = 30_000;

type ChildMessage =
  | { type: 'start'; seq: number; describe: string; budgetMs: number }
  | { type: 'result'; seq: number; format: string; bytes: number; verdict: Verdict; describe: string; detail: string; saved: string | null }
  | { type: 'end' };

// ---- child: runs cases in a fixed order, reports each one ----

async function child(): Promise<void> {
  const send = (m: ChildMessage): void => void process.send?.(m);
  const skip = Number(values.skip);
  const deadline = Number(values['deadline-ms']);
  const maxRounds = values.rounds === undefined ? Infinity : Number(values.rounds);
  const sizes: CampaignSizes = {
    longLineBytes: Number(values['long-line-mb']) * 1024 * 1024,
    nestingDepth: 100_000,
    truncationChunk: 4096,
    maxTruncationsPerSeed: Infinity,
    maxSeeds: Infinity,
  };
  const seeds = new Map(importers.map((i) => [i.format, seedsFor(i.format)]));
  let seq = 0;
  const run = async (c: FuzzCase): Promise<void> => {
    const mine = seq++;
    if (mine < skip) return;
    const importer = importers.find((i) => i.format === c.format)!;
    send({ type: 'start', seq: mine, describe: describeCase(c, runSeed), budgetMs: timeBudgetMs(c.bytes.length) });
    const r = await runFuzzInput(importer, c.bytes, { chunkBytes: c.chunkBytes, exactHeap: true });
    let saved: string | null = null;
    if (r.verdict !== 'ok' && r.verdict !== 'refused') {
      mkdirSync(values.out, { recursive: true });
      saved = join(values.out, `${c.format}-seed${runSeed}-case${c.index}.bin`);
      writeFileSync(saved, c.bytes);
    }
    send({ type: 'result', seq: mine, format: c.format, bytes: c.bytes.length, verdict: r.verdict, describe: describeCase(c, runSeed), detail: r.detail, saved });
  };
  if (values.case !== undefined) {
    const index = Number(values.case);
    for (const imp of importers) {
      const s = seeds.get(imp.format)!;
      await run(index < FIRST_RANDOM_CASE ? fixedCases(imp, s, runSeed, sizes)[index]! : randomCase(imp, s, runSeed, index, sizes));
    }
  } else {
    // Fixed cases one importer at a time: a 50 MB input is made only when it is about to run.
    for (const imp of importers) for (const c of fixedCases(imp, seeds.get(imp.format)!, runSeed, sizes)) if (Date.now() < deadline) await run(c);
    for (let round = 0; round < maxRounds && Date.now() < deadline; round++) {
      for (const imp of importers) await run(randomCase(imp, seeds.get(imp.format)!, runSeed, FIRST_RANDOM_CASE + round, sizes));
    }
  }
  send({ type: 'end' });
}

// ---- supervisor: starts the child, notices hangs, tallies and reports ----

interface Tally {
  inputs: number;
  bytes: number;
  verdicts: Record<Verdict | 'hang', number>;
}

async function supervise(): Promise<void> {
  const started = Date.now();
  const deadline = started + Number(values.minutes) * 60_000;
  const tallies = new Map<string, Tally>(importers.map((i) => [i.format, { inputs: 0, bytes: 0, verdicts: { ok: 0, refused: 0, crash: 0, slow: 0, memory: 0, unaccounted: 0, hang: 0 } }]));
  let failures = 0;
  let skip = 0;
  for (;;) {
    const outcome = await new Promise<'end' | 'hang' | 'died'>((resolve) => {
      const args = [...process.argv.slice(2), '--child', '--skip', String(skip), '--deadline-ms', String(deadline)];
      const proc: ChildProcess = fork(new URL(import.meta.url).pathname, args, { execArgv: [...process.execArgv, '--expose-gc'] });
      let current: { seq: number; describe: string; since: number; limitMs: number } | null = null;
      const watchdog = setInterval(() => {
        if (current && Date.now() - current.since > current.limitMs) {
          clearInterval(watchdog);
          failures++;
          const format = current.describe.split(' ')[0]!;
          tallies.get(format)!.inputs++;
          tallies.get(format)!.verdicts.hang++;
          console.log(`FAIL hang: ${current.describe} (killed after ${((Date.now() - current.since) / 1000).toFixed(0)} s)`);
          skip = current.seq + 1;
          proc.kill('SIGKILL');
          resolve('hang');
        }
      }, 1000);
      proc.on('message', (m: ChildMessage) => {
        if (m.type === 'start') current = { seq: m.seq, describe: m.describe, since: Date.now(), limitMs: HANG_FACTOR * m.budgetMs + HANG_SLACK_MS };
        else if (m.type === 'result') {
          current = null;
          skip = m.seq + 1;
          const t = tallies.get(m.format)!;
          t.inputs++;
          t.bytes += m.bytes;
          t.verdicts[m.verdict]++;
          if (m.verdict !== 'ok' && m.verdict !== 'refused') {
            failures++;
            console.log(`FAIL ${m.verdict}: ${m.describe} → ${m.saved}\n  ${m.detail.split('\n').slice(0, 6).join('\n  ')}`);
          }
        } else {
          clearInterval(watchdog);
          resolve('end');
        }
      });
      proc.on('exit', (code) => {
        clearInterval(watchdog);
        if (code !== 0 && code !== null) {
          // The child died on its own (e.g. out of memory): count the case it was running as a crash.
          if (current) {
            failures++;
            const format = current.describe.split(' ')[0]!;
            tallies.get(format)!.inputs++;
            tallies.get(format)!.verdicts.crash++;
            console.log(`FAIL crash: ${current.describe} (process exited with ${code})`);
            skip = current.seq + 1;
          }
          resolve('died');
        }
      });
    });
    if (outcome === 'end') break;
    if (Date.now() >= deadline) break;
  }
  for (const [format, t] of tallies) {
    const v = t.verdicts;
    console.log(`${format.padEnd(15)} ${String(t.inputs).padStart(7)} inputs ${(t.bytes / 1048576).toFixed(1).padStart(8)} MB  ok ${v.ok} refused ${v.refused} crash ${v.crash} hang ${v.hang} slow ${v.slow} memory ${v.memory} unaccounted ${v.unaccounted}`);
  }
  const sum = (f: (t: Tally) => number): number => [...tallies.values()].reduce((s, t) => s + f(t), 0);
  console.log(`fuzz seed ${runSeed}: ${sum((t) => t.inputs)} inputs over ${tallies.size} importers in ${((Date.now() - started) / 60_000).toFixed(1)} min; ${sum((t) => t.verdicts.crash)} crashes, ${sum((t) => t.verdicts.hang)} hangs, ${failures} failures`);
  process.exitCode = failures > 0 ? 1 : 0;
}

await (values.child ? child() : supervise());
