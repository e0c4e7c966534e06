// strace importer on the real captures kept in the repository: an excerpt of a `strace -f -tt -T`
// capture, the sample scenario traced with `strace -f -tt -T -y` (demo-tt), two `-ff -ttt -y`
// per-pid files from tracecode-toolkit-strace (fixtures/strace/SOURCES.md) and the sample case's
// own `strace -f -ttt -T -y` capture (samples/demo). The larger corpus is
// read by strace.test.ts. Expected values are read from the fixture lines themselves.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from '../testing/corpus.ts';
import { fileLines, lineFates, runFile } from '../testing/collecting-sink.ts';
import { detectFormat, makeDetectSample } from './registry.ts';
import { straceImporter } from './strace.ts';

const TT_EXCERPT = fixture('strace/strace_f_tt_T.head200.log');
const TRACE_1 = fixture('strace/trace.1');
const PER_PID = fixture('strace/strace2.2453403');
const DEMO_TT = fixture('strace/demo-tt/strace-tt.txt');
const DEMO = join(import.meta.dirname, '..', '..', 'samples', 'demo', 'strace.txt');
const FILES = [TT_EXCERPT, DEMO_TT, TRACE_1, PER_PID, DEMO];

const isResumedLine = (l: string): boolean => /^(\[pid +\d+\] |\d+ +)?[\d:.]* ?<\.\.\. \w+ resumed>/.test(l);

describe('strace importer on the repository fixtures', () => {
  it.each(FILES)('imports %s with zero rejects and accounts for every line once', (path) => {
    const run = runFile(straceImporter, path);
    expect(run.rejects).toEqual([]);
    const fate = lineFates(run);
    for (let n = 1; n <= run.lines.length; n++) expect(fate.get(n)?.length, `line ${n}`).toBe(1);
    // every "<... x resumed>" line is folded into the call its first half started
    expect(run.continuations.length).toBe(run.lines.filter(isResumedLine).length);
  });

  it('reads the first execve of the -tt excerpt exactly (pid, time on the given date, target, duration)', () => {
    // line 1: 11574 05:50:12.915367 execve("./job.sh", ["./job.sh"], 0x7ffd166542f8 /* 3 vars */) = 0 <0.001032>
    const first = runFile(straceImporter, TT_EXCERPT, { date: '2026-11-26' }).events.find((e) => e.source_line === 1);
    expect(first).toMatchObject({
      ts_us: Date.parse('2026-11-26T05:50:12.915Z') * 1000 + 367,
      pid: 11574,
      op: 'execve',
      category: 'process',
      target: './job.sh',
      ret: '0',
      dur_us: 1032,
    });
  });

  it('joins an unfinished vfork with its resumed half and names the child after its execve', () => {
    const run = runFile(straceImporter, TT_EXCERPT, { date: '2026-11-26' });
    const lines = fileLines(TT_EXCERPT);
    const start = lines.findIndex((l) => /^11574 \S+ vfork\( <unfinished \.\.\.>$/.test(l)) + 1;
    const resumed = lines.findIndex((l) => l.startsWith('11574 ') && l.includes('<... vfork resumed>')) + 1;
    expect(start).toBeGreaterThan(0);
    expect(resumed).toBeGreaterThan(start);
    const child = / = (\d+) </.exec(lines[resumed - 1] ?? '')?.[1];
    expect(run.events.filter((e) => e.source_line === start)).toEqual([expect.objectContaining({ op: 'vfork', pid: 11574, ret: child })]);
    expect(run.continuations).toContain(resumed);
    const exec = run.events.find((e) => e.op === 'execve' && e.pid === Number(child));
    expect(exec).toMatchObject({ ppid: 11574, target: '/usr/bin/ls', process: 'ls' });
  });

  it('takes the pid of a -ff file from its name, and fd paths from -y', () => {
    const run = runFile(straceImporter, PER_PID);
    expect(new Set(run.events.map((e) => e.pid))).toEqual(new Set([2453403]));
    expect(run.events[0]).toMatchObject({ op: 'execve', target: '/bin/bash', ts_us: 1389171522392656 });
    // trace.1 line 10: dup2(4<pipe:[571018935]>, 1<pipe:[568432322]>) = 1
    const dup = runFile(straceImporter, TRACE_1).events.find((e) => e.op === 'dup2');
    expect(dup).toMatchObject({ target: 'pipe:[571018935]', ret: '1', source_line: 10 });
  });

  it('is detected as strace, not ltrace, on every fixture', () => {
    for (const path of FILES) {
      const d = detectFormat(makeDetectSample(path, readFileSync(path).subarray(0, 65536)));
      expect(d.status === 'found' ? d.importer.format : d.status, path).toBe('strace');
    }
  });
});
